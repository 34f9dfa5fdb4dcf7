using System.Text;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>The last lines a child process wrote, for failure messages; bounded so a chatty process costs little.</summary>
public sealed class OutputLog(int capacity = 400)
{
    private readonly Queue<string> lines = new();

    public void Add(string? line)
    {
        if (line is null) return;
        lock (lines)
        {
            lines.Enqueue(line);
            while (lines.Count > capacity) lines.Dequeue();
        }
    }

    public bool Contains(string text)
    {
        lock (lines) return lines.Any(l => l.Contains(text, StringComparison.Ordinal));
    }

    public string Tail(int count = 40)
    {
        lock (lines) return string.Join('\n', lines.TakeLast(count));
    }

    /// <summary>
    /// The last <paramref name="count"/> log entries as their category line and first message line, without
    /// stack traces, so one exception does not fill a failure message that should show what led to it.
    /// </summary>
    public string Entries(int count = 40)
    {
        string[] levels = ["trce:", "dbug:", "info:", "warn:", "fail:", "crit:"];
        var entries = new List<string>();
        lock (lines)
        {
            var all = lines.ToArray();
            for (int i = 0; i < all.Length; i++)
            {
                if (!levels.Any(l => all[i].StartsWith(l, StringComparison.Ordinal))) continue;
                entries.Add(i + 1 < all.Length ? $"{all[i]} {all[i + 1].Trim()}" : all[i]);
            }
        }

        return string.Join('\n', entries.TakeLast(count));
    }

    public string All()
    {
        var text = new StringBuilder();
        lock (lines)
        {
            foreach (string line in lines) text.AppendLine(line);
        }

        return text.ToString();
    }
}
