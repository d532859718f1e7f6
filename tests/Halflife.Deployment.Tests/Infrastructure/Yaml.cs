using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Halflife.Deployment.Tests.Infrastructure;

/// <summary>
/// YAML documents as plain objects (maps with string keys, lists, scalar strings), with anchors, aliases and
/// merge keys (&lt;&lt;) resolved as docker compose resolves them. Parse errors carry the file name and position.
/// </summary>
public static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static IReadOnlyList<Dictionary<string, object?>> LoadAll(string path) => ParseAll(File.ReadAllText(path), path);

    public static Dictionary<string, object?> Load(string path) =>
        LoadAll(path) is [var single] ? single : throw new InvalidDataException($"{path}: expected exactly one YAML document");

    public static IReadOnlyList<Dictionary<string, object?>> ParseAll(string text, string source = "<text>")
    {
        var documents = new List<Dictionary<string, object?>>();
        try
        {
            var parser = new MergingParser(new Parser(new StringReader(text)));
            parser.Consume<StreamStart>();
            while (parser.Accept<DocumentStart>(out _))
            {
                var document = Deserializer.Deserialize<object?>(parser);
                if (document is null) continue; // an empty document between two "---"
                documents.Add(Map(document, source));
            }
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: {e.Message} at {e.Start}", e);
        }
        return documents;
    }

    /// <summary>The value as a string-keyed map; a clear error names what was found instead.</summary>
    public static Dictionary<string, object?> Map(object? value, string what) => value switch
    {
        Dictionary<string, object?> ready => ready,
        IDictionary<object, object?> raw => raw.ToDictionary(kv => Convert.ToString(kv.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            kv => Normalise(kv.Value), StringComparer.Ordinal),
        _ => throw new InvalidDataException($"{what}: expected a mapping, found {Describe(value)}"),
    };

    public static IReadOnlyList<object?> List(object? value, string what) => value switch
    {
        IList<object?> list => list.Select(Normalise).ToList(),
        _ => throw new InvalidDataException($"{what}: expected a sequence, found {Describe(value)}"),
    };

    public static string? Str(this Dictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var v) ? v as string : null;

    public static Dictionary<string, object?>? MapAt(this Dictionary<string, object?> map, params string[] path)
    {
        object? current = map;
        foreach (var key in path)
        {
            if (current is not Dictionary<string, object?> m || !m.TryGetValue(key, out current)) return null;
        }
        return current as Dictionary<string, object?>;
    }

    public static IReadOnlyList<object?> ListAt(this Dictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is not null ? List(v, key) : [];

    private static object? Normalise(object? value) => value switch
    {
        IDictionary<object, object?> raw => Map(raw, "value"),
        IList<object?> list => list.Select(Normalise).ToList(),
        _ => value,
    };

    private static string Describe(object? value) => value is null ? "nothing" : value.GetType().Name;
}
