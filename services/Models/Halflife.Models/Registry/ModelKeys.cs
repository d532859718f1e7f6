using System.Globalization;

namespace Halflife.Models.Registry;

/// <summary>
/// Blob layout: models/{name}/{version}/model.onnx, card.json, data/{n}.bin and record.json (the commit marker);
/// models/{name}/_activations/{ticks}-{id}.json is the append-only activation log ('_' cannot start a version).
/// </summary>
internal static class ModelKeys
{
    public const string Root = "models/";
    public const string RecordFile = "record.json";

    public static string Version(string name, string version) => $"{Root}{name}/{version}/";
    public static string Model(string name, string version) => Version(name, version) + "model.onnx";
    public static string Card(string name, string version) => Version(name, version) + "card.json";
    public static string Record(string name, string version) => Version(name, version) + RecordFile;
    public static string Data(string name, string version, int index) => Version(name, version) + $"data/{index}.bin";
    public static string Activations(string name) => $"{Root}{name}/_activations/";

    /// <summary>Zero-padded ticks sort as text in time order, so the greatest key is the latest activation.</summary>
    public static string Activation(string name, DateTime at) =>
        Activations(name) + at.Ticks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N") + ".json";
}
