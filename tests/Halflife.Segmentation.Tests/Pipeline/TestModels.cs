using Halflife.Inference;
using Halflife.Models.Cards;
using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Pipeline;

/// <summary>
/// The small ONNX models of Models/make_test_models.py, built once per test run with Debian's python3-onnx (a missing
/// tool fails the test under CI=true and skips it elsewhere), and cards for them.
/// </summary>
internal static class TestModels
{
    private static readonly Lazy<string?> Folder = new(Build);

    public static InferenceSession Open(string file)
    {
        var folder = Folder.Value;
        if (folder is null) TestServers.Unavailable("python3-onnx for /usr/bin/python3 (apt python3-onnx python3-numpy), which builds the test models");
        return new InferenceSession(Path.Combine(folder!, file));
    }

    public static ModelCard Card(string json) => ModelCard.Parse(System.Text.Encoding.UTF8.GetBytes(json));

    private static string? Build()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python) || ExternalTools.Run(python, "-c", "import onnx, numpy").ExitCode != 0) return null;
        var folder = Path.Combine(Path.GetTempPath(), $"halflife-seg-models-{Environment.ProcessId}");
        var (exit, output, error) = ExternalTools.Run(python, Path.Combine(AppContext.BaseDirectory, "Models", "make_test_models.py"), folder);
        Assert.True(exit == 0, $"make_test_models.py failed: {output} {error}");
        return folder;
    }
}
