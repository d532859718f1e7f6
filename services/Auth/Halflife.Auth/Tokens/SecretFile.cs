namespace Halflife.Auth.Tokens;

/// <summary>Secrets the server generates for itself are files readable only by the user running it (mode 0600).</summary>
public static class SecretFile
{
    public static void WriteNew(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
