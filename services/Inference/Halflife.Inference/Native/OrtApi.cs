using System.Runtime.InteropServices;
using System.Text;

namespace Halflife.Inference.Native;

/// <summary>
/// The entry into ONNX Runtime: <c>OrtGetApiBase()-&gt;GetApi(version)</c> yields the table of function pointers
/// every other call goes through. The only exported symbol we bind by name is <c>OrtGetApiBase</c>.
/// </summary>
internal static unsafe partial class OrtApi
{
    private static readonly Lazy<nint> LazyTable = new(LoadTable, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The library's version string, e.g. "1.30.0".</summary>
    public static string Version => Marshal.PtrToStringUTF8(
        ((delegate* unmanaged[Cdecl]<nint>)((nint*)OrtGetApiBase())[1])()) ?? "";

    /// <summary>Slot <paramref name="index"/> of the OrtApi table.</summary>
    public static nint Fn(int index) => ((nint*)LazyTable.Value)[index];

    [LibraryImport(OnnxRuntimeLibrary.LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static partial nint OrtGetApiBase();

    private static nint LoadTable()
    {
        nint apiBase;
        try
        {
            apiBase = OrtGetApiBase();
        }
        catch (DllNotFoundException e)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail,
                "The ONNX Runtime library could not be loaded. Tried: " + string.Join(", ", OnnxRuntimeLibrary.Candidates()) +
                $". Build Halflife.Inference on linux-x64 to fetch it, or set {OnnxRuntimeLibrary.PathVariable}.", e);
        }

        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
        var getApi = (delegate* unmanaged[Cdecl]<uint, nint>)((nint*)apiBase)[0];
        var table = getApi(OrtApiIndex.ApiVersion);
        if (table == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail,
                $"ONNX Runtime {Version} does not offer API version {OrtApiIndex.ApiVersion}; version 1.30 or newer is needed.");
        }

        return table;
    }

    /// <summary>Throws for a non-null OrtStatus*, after reading and releasing it.</summary>
    public static void Check(nint status)
    {
        if (status == 0)
        {
            return;
        }

        var code = ((delegate* unmanaged[Cdecl]<nint, OrtErrorCode>)Fn(OrtApiIndex.GetErrorCode))(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<nint, nint>)Fn(OrtApiIndex.GetErrorMessage))(status));
        ((delegate* unmanaged[Cdecl]<nint, void>)Fn(OrtApiIndex.ReleaseStatus))(status);
        throw new OnnxRuntimeException(code, message ?? "(no message)");
    }

    /// <summary>Calls a <c>void Release*(T*)</c> slot; null is allowed by the C API.</summary>
    public static void Release(int index, nint handle) =>
        ((delegate* unmanaged[Cdecl]<nint, void>)Fn(index))(handle);

    /// <summary>The build description ONNX Runtime reports (git commit, build type).</summary>
    public static string BuildInfo =>
        Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<nint>)Fn(OrtApiIndex.GetBuildInfoString))()) ?? "";

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/> for the duration of one call.</summary>
    public static byte[] Utf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
