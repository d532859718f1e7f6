namespace Halflife.Inference.Tests.Support;

/// <summary>The tiny models of Oracle/make_tiny_models.py, generated once per test run into a temp folder.</summary>
internal static class TinyModels
{
    private static readonly Lazy<string> Folder = new(Generate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string IdentityFloat16 => PathOf("identity_f16.onnx");

    public static string CastUInt8ToFloat => PathOf("cast_u8_f32.onnx");

    public static string IdentityUInt8 => PathOf("identity_u8.onnx");

    public static string AddFloat => PathOf("add_f32.onnx");

    private static string PathOf(string file)
    {
        PythonOracle.Require();
        return Path.Combine(Folder.Value, file);
    }

    private static string Generate()
    {
        var folder = Path.Combine(Path.GetTempPath(), "halflife-inference-tests-" + Environment.ProcessId);
        PythonOracle.RunScript("make_tiny_models.py", folder);
        return folder;
    }
}
