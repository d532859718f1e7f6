using System.Text.Json.Nodes;
using Halflife.Testing;

namespace Halflife.Models.Tests;

/// <summary>The repository's own bone-restore model and cards derived from it, for upload and registry tests.</summary>
internal static class ModelFiles
{
    public static string BoneRestoreFolder => Path.Combine(TestPaths.RepoRoot, "models", "bone-restore");
    public static string BoneRestoreOnnx => Path.Combine(BoneRestoreFolder, "bone-restore-v1.onnx");

    /// <summary>The committed card with edits applied (e.g. another version).</summary>
    public static byte[] BoneRestoreCard(Action<JsonObject>? edit = null)
    {
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(BoneRestoreFolder, "model-card.json")))!.AsObject();
        edit?.Invoke(card);
        return System.Text.Encoding.UTF8.GetBytes(card.ToJsonString());
    }

    public static byte[] WithVersion(string version) => BoneRestoreCard(c => c["version"] = version);

    /// <summary>The shared DnCNN denoiser keeps its weights in an external data file: a test of the data part.</summary>
    public static (string Onnx, string Data) SharedDenoiser()
    {
        var onnx = TestPaths.Data("onnx", "dncnn_gray_blind.onnx");
        if (!File.Exists(onnx)) TestServers.Unavailable($"the shared test model {onnx}");
        return (onnx, onnx + ".data");
    }

    public static byte[] DenoiserCard(string version = "1.0.0") => System.Text.Encoding.UTF8.GetBytes($$"""
        {
          "name": "dncnn-test", "version": "{{version}}", "task": "denoising",
          "inputs": [{ "name": "input", "layout": "NCHW", "shape": [-1, 1, -1, -1], "dtype": "float32", "channels": ["grey"],
                       "scaling": { "type": "range", "min": 0, "max": 255 } }],
          "outputs": [{ "name": "output", "layout": "NCHW", "shape": [-1, 1, -1, -1], "dtype": "float32", "activation": "none",
                        "meaning": "denoised image, 0..1" }]
        }
        """);
}
