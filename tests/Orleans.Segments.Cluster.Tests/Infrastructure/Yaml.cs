using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>YAML documents as plain dictionaries and lists, with anchors, aliases and merge keys (&lt;&lt;) resolved.</summary>
public static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<Dictionary<object, object>> Documents(string path)
    {
        var parser = new MergingParser(new Parser(new StringReader(File.ReadAllText(path))));
        var documents = new List<Dictionary<object, object>>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Deserializer.Deserialize<Dictionary<object, object>>(parser) is { } document) documents.Add(document);
        }

        return documents;
    }

    public static Dictionary<object, object> Map(this object? node, string what) =>
        node as Dictionary<object, object> ?? throw new InvalidOperationException($"{what} is not a mapping.");

    public static List<object> List(this object? node, string what) =>
        node as List<object> ?? throw new InvalidOperationException($"{what} is not a list.");

    public static object? At(this Dictionary<object, object> map, string key) => map.TryGetValue(key, out var value) ? value : null;
}
