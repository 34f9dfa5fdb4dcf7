using System.ComponentModel;
using System.Reflection;
using Orleans.Configuration;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Hosting;
using Orleans.Segments.Server.Hosting;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>
/// Whether an environment variable is one the server reads: its <c>Segments__…</c> path must lead, property
/// by property, to a settable value of the options type the server binds that section to, and the value must
/// convert to that property's type. A misspelt setting in a deployment file then fails a test instead of being
/// silently ignored in production.
/// </summary>
public static class ServerSettings
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        ("Segments:Server", typeof(ServerOptions)),
        ("Segments:Redis", typeof(RedisOptions)),
        ("Segments:AzureStorage", typeof(AzureStorageOptions)),
        ("Segments:RateLimits", typeof(RateLimitOptions)),
        ("Segments:Ingestion", typeof(IngestionLimits)),
        ("Segments:Orleans:Membership", typeof(ClusterMembershipOptions)),
        ("Segments:Orleans:Messaging", typeof(SiloMessagingOptions)),
        ("Segments:Orleans:Gateway", typeof(GatewayOptions)),
        ("Segments", typeof(SegmentsOptions)),
    ];

    /// <summary>Variables read by the runtime, ASP.NET Core or Orleans' Kubernetes hosting rather than by options.</summary>
    private static readonly string[] PlatformVariables = ["ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_gcServer", "POD_NAME", "POD_NAMESPACE", "POD_IP"];

    /// <summary>Null if the server reads <paramref name="name"/> and can use <paramref name="value"/>; otherwise why not.</summary>
    public static string? Problem(string name, string? value)
    {
        if (PlatformVariables.Contains(name, StringComparer.Ordinal)) return null;
        string key = name.Replace("__", ":", StringComparison.Ordinal);
        if (key.StartsWith("Logging:", StringComparison.Ordinal)) return null;
        if (key == "Segments:ClusterId") return null;

        var (section, type) = Sections.FirstOrDefault(s => key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase));
        if (section is null) return $"{name}: no options section of the server starts so.";
        string[] path = key[(section.Length + 1)..].Split(':');
        for (int i = 0; i < path.Length; i++)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                type = type.GetGenericArguments()[1];
                continue;
            }

            var property = type.GetProperty(path[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null) return $"{name}: {type.Name} has no property '{path[i]}'.";
            type = property.PropertyType;
            if (i == path.Length - 1)
            {
                if (!property.CanWrite) return $"{name}: {property.DeclaringType!.Name}.{property.Name} cannot be set.";
                return value is null ? null : Convertible(name, Nullable.GetUnderlyingType(type) ?? type, value);
            }
        }

        return $"{name}: names a section, not a setting.";
    }

    private static string? Convertible(string name, Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException)
        {
            return $"{name}: '{value}' is not a {type.Name} ({ex.Message}).";
        }
    }
}
