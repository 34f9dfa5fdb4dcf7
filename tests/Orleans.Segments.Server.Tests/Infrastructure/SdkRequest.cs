using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>
/// One request exactly as a Segment SDK sends it, read from <c>tests/fixtures/sdk/*.http</c>: its path, headers and
/// body byte for byte, with the placeholders filled in and the body gzipped when the SDK gzips it.
/// </summary>
public sealed class SdkRequest
{
    private SdkRequest(string method, string path, List<(string Name, string Value)> headers, string body)
    {
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
    }

    public string Method { get; }

    public string Path { get; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; }

    /// <summary>The body as text, before any content encoding.</summary>
    public string Body { get; }

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Reads a fixture and fills in the values of one user and one app.</summary>
    public static SdkRequest Load(string file, string writeKey, string userId, DateTimeOffset timestamp)
    {
        string text = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "sdk", file)).Replace("\r\n", "\n");
        int blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = text[..blank].Split('\n');
        string body = text[(blank + 2)..];
        var requestLine = head[0].Split(' ');
        var headers = head.Skip(1).Select(h => (h[..h.IndexOf(':')].Trim(), h[(h.IndexOf(':') + 1)..].Trim())).ToList();

        string Fill(string s) => s
            .Replace("{{writeKey}}", writeKey)
            .Replace("{{basicWriteKey}}", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")))
            .Replace("{{userId}}", userId)
            .Replace("{{anonymousId}}", "anon-" + userId)
            .Replace("{{messageId}}", Guid.NewGuid().ToString("N"))
            .Replace("{{timestamp}}", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"))
            .Replace("{{sentAt}}", timestamp.UtcDateTime.AddSeconds(5).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));

        return new SdkRequest(requestLine[0], requestLine[1], headers.Select(h => (h.Item1, Fill(h.Item2))).ToList(), Fill(body));
    }

    /// <summary>The request as the SDK would send it.</summary>
    public HttpRequestMessage ToMessage()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Body);
        if (Header("Content-Encoding") == "gzip")
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(bytes);
            bytes = buffer.ToArray();
        }

        var message = new HttpRequestMessage(new HttpMethod(Method), Path) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (message.Content.Headers.ContentType is null) message.Content.Headers.ContentType = null;
        return message;
    }
}
