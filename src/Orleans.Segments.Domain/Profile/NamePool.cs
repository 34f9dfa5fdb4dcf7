using System.Collections.Concurrent;
using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Profile;

/// <summary>
/// One copy per process of the names every user repeats: event names, trait keys, interest categories, short trait
/// texts (a plan, a language). A resident
/// user's counters and traits are keyed by them, and without the pool each user read from storage holds its own
/// copy of "Product Viewed" and "first_name". Bounded: past <see cref="Capacity"/> names (a flood of unique
/// names) a name is kept as it is.
/// </summary>
public static class NamePool
{
    public const int Capacity = 100_000;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static int count;

    public static string Intern(string name)
    {
        if (Names.TryGetValue(name, out var pooled)) return pooled;
        if (Volatile.Read(ref count) >= Capacity || name.Length > 256) return name;
        if (Names.TryAdd(name, name))
        {
            Interlocked.Increment(ref count);
            return name;
        }

        return Names.TryGetValue(name, out pooled) ? pooled : name;
    }

    /// <summary>The longest trait text that is pooled: a plan, a language, a city; not an e-mail address or a bio.</summary>
    public const int MaxPooledValue = 24;

    /// <summary>A string trait with its text pooled, or null when it is not a short text or is pooled already.</summary>
    public static TraitValue? Value(TraitValue value)
    {
        if (value.Kind != TraitKind.String || value.Text is not { Length: <= MaxPooledValue } text) return null;
        string pooled = Intern(text);
        return ReferenceEquals(pooled, text) ? null : value with { Text = pooled };
    }

    /// <summary>The same dictionary with pooled keys, rebuilt only when a key is not pooled yet.</summary>
    public static Dictionary<string, T> Keys<T>(Dictionary<string, T> map)
    {
        bool pooled = true;
        foreach (string key in map.Keys)
        {
            if (!ReferenceEquals(Intern(key), key))
            {
                pooled = false;
                break;
            }
        }

        if (pooled) return map;
        var copy = new Dictionary<string, T>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map) copy[Intern(key)] = value;
        return copy;
    }
}
