using System.Globalization;

namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>The <c>--name value</c> (or <c>--name=value</c>) options of a scenario; a bare <c>--name</c> means true.</summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase);

    public BenchArgs(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{arg}'; options look like --name value.");
            string name = arg[2..];
            int equals = name.IndexOf('=');
            if (equals >= 0)
            {
                values[name[..equals]] = name[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[name] = args[++i];
            }
            else
            {
                values[name] = "true";
            }
        }
    }

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var text) ? int.Parse(text.Replace("_", ""), CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        values.TryGetValue(name, out var text) ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name, bool fallback) =>
        values.TryGetValue(name, out var text) ? bool.Parse(text) : fallback;

    public string? Text(string name) => values.GetValueOrDefault(name);
}
