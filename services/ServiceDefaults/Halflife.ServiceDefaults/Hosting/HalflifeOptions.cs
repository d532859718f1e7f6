namespace Halflife.ServiceDefaults.Hosting;

/// <summary>Configuration section "Halflife": settings every service shares.</summary>
public sealed class HalflifeOptions
{
    public const string Section = "Halflife";

    /// <summary>Root of everything the embedded default writes (SQLite files, blob folder). Default ./data.</summary>
    public string DataDirectory { get; set; } = "data";

    public string ResolveDataPath(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(DataDirectory, path));
}
