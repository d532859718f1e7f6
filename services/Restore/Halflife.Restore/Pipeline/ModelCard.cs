using System.Text.Json;

namespace Halflife.Restore.Pipeline;

/// <summary>The identity of a model as its model-card.json states it; recorded on every derived object.</summary>
public sealed record ModelCard(string Name, string Version)
{
    public static ModelCard Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = json.RootElement;
        string Required(string property) =>
            root.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text
                ? text
                : throw new InvalidDataException($"{path}: model card has no \"{property}\".");
        return new ModelCard(Required("name"), Required("version"));
    }
}
