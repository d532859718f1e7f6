using System.Net.Http.Headers;

namespace Halflife.WebUi.Tests;

/// <summary>
/// A stand-in segmentation model for checkouts without the bundled he-tumour-seg: one 1x1 convolution whose sigmoid
/// says "blue over red" (hematoxylin-stained nuclei on H&amp;E), built with Debian's python3-onnx and uploaded through
/// the model API like a hospital's own model.
/// </summary>
public static class StandInModel
{
    public const string DefaultModel = "he-tumour-seg";
    public const string Name = "he-nuclei-standin";
    private const string Python = "/usr/bin/python3";

    private const string Card = """
        { "name": "he-nuclei-standin", "version": "1.0.0", "task": "segmentation",
          "description": "Test stand-in: blue over red per pixel. Not a tumour detector.",
          "inputs": [{ "name": "input", "layout": "NCHW", "shape": [-1, 3, -1, -1], "dtype": "float32", "channel_order": "RGB" }],
          "intensity_scaling": { "type": "range", "min": 0, "max": 255 },
          "outputs": [{ "name": "mask", "layout": "NCHW", "shape": [-1, 1, -1, -1], "activation": "sigmoid" }],
          "classes": ["hematoxylin"],
          "tiling": { "tile_size": 128, "overlap": 16, "microns_per_pixel": 1.0 } }
        """;

    private const string Script = """
        import sys, numpy as np, onnx
        from onnx import TensorProto, helper, numpy_helper
        k = numpy_helper.from_array(np.array([[[[-40.0]], [[0.0]], [[40.0]]]], np.float32), "K")
        g = helper.make_graph([helper.make_node("Conv", ["input", "K"], ["mask"])], "blue_over_red",
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, "H", "W"])],
            [helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["N", 1, "H", "W"])], [k])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 7
        onnx.checker.check_model(m)
        onnx.save(m, sys.argv[1])
        """;

    /// <summary>Writes the ONNX file; skips (fails under CI) without python3-onnx.</summary>
    public static string Build()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"halflife-webui-model-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        var script = Path.Combine(folder, "make_model.py");
        var onnx = Path.Combine(folder, "model.onnx");
        File.WriteAllText(script, Script);
        if (!File.Exists(Python) || ExternalTools.Run(Python, "-c", "import onnx, numpy").ExitCode != 0)
            Unavailable("models/he-tumour-seg/model.onnx is not in this checkout and python3-onnx is missing for the stand-in model (apt-get install -y python3-onnx python3-numpy).");
        var (exit, output, error) = ExternalTools.Run(Python, script, onnx);
        Assert.True(exit == 0, $"stand-in model: {output} {error}");
        return onnx;
    }

    public static async Task UploadAsync(HttpClient api, string onnx, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(Card, System.Text.Encoding.UTF8, "application/json"), "card", "card.json");
        var model = new ByteArrayContent(await File.ReadAllBytesAsync(onnx, ct));
        model.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(model, "model", "model.onnx");
        using var response = await api.PostAsync("/api/models?activate=true", form, ct);
        // 409: the fixture's product already has it (another test of this run uploaded it).
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Conflict,
            $"model upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static void Unavailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(reason);
        Assert.Skip(reason);
    }
}
