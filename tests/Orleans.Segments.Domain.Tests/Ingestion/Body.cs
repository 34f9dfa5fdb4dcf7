using System.Text;

namespace Orleans.Segments.Domain.Tests.Ingestion;

/// <summary>Request bodies for the parser tests.</summary>
internal static class Body
{
    public static ReadOnlyMemory<byte> Of(string json) => Encoding.UTF8.GetBytes(json);
}
