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
