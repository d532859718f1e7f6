namespace Halflife.Deployment.Tests.Docker;

/// <summary>One logical instruction (continuation lines joined), with the line it starts on for error messages.</summary>
public sealed record DockerfileInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>Arguments split on whitespace, with leading --flag=value options separated out.</summary>
    public (IReadOnlyDictionary<string, string> Flags, string Remainder) SplitFlags()
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = Arguments.TrimStart();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest : rest[..end];
            var eq = flag.IndexOf('=');
            flags[eq < 0 ? flag[2..] : flag[2..eq]] = eq < 0 ? "" : flag[(eq + 1)..];
            rest = end < 0 ? "" : rest[end..].TrimStart();
        }
        return (flags, rest);
    }
}

/// <summary>FROM ... [AS name] and the instructions up to the next FROM.</summary>
public sealed record DockerfileStage(string BaseImage, string? Name, int Index, IReadOnlyList<DockerfileInstruction> Instructions)
{
    public IEnumerable<DockerfileInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));

    public DockerfileInstruction? Last(string keyword) => All(keyword).LastOrDefault();
}
