using System.Text.RegularExpressions;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>
/// The instruments the code creates, read from the C# sources at test time (other developers add metrics all the
/// time; a fixed list would go stale). Names may be string literals, constants, or '+' concatenations of both.
/// </summary>
public static partial class InstrumentCatalog
{
    public static (IReadOnlyList<Instrument> Instruments, IReadOnlyList<UnresolvedInstrument> Unresolved) Scan() =>
        Scan(SourceFiles().Select(f => (Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'), File.ReadAllText(f))));

    /// <summary>Scans (path, text) pairs; paths look like "services/Inference/...".</summary>
    public static (IReadOnlyList<Instrument> Instruments, IReadOnlyList<UnresolvedInstrument> Unresolved) Scan(IEnumerable<(string Path, string Text)> files)
    {
        var sources = files.Select(f => (f.Path, Text: StripComments(f.Text))).ToList();
        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, text) in sources)
        {
            foreach (Match m in ConstString().Matches(text)) constants.TryAdd(m.Groups["name"].Value, m.Groups["value"].Value);
        }

        var instruments = new List<Instrument>();
        var unresolved = new List<UnresolvedInstrument>();
        foreach (var (path, text) in sources)
        {
            foreach (Match m in CreateCall().Matches(text))
            {
                var arguments = Arguments(text, m.Index + m.Length - 1);
                var line = text[..m.Index].Count(c => c == '\n') + 1;
                var source = $"{path}:{line}";
                if (arguments.Count == 0) { unresolved.Add(new UnresolvedInstrument(m.Value, source)); continue; }

                var name = Evaluate(arguments[0], constants, depth: 0);
                if (name is null) { unresolved.Add(new UnresolvedInstrument(arguments[0], source)); continue; }

                var kind = Enum.Parse<InstrumentKind>(m.Groups["kind"].Value);
                var unit = UnitOf(arguments, kind, constants);
                instruments.Add(new Instrument(name, string.IsNullOrEmpty(unit) ? null : unit, kind, AreaOf(path), source));
            }
        }
        return (instruments, unresolved);
    }

    /// <summary>
    /// unit: by name, else positionally: second argument of Create{Counter,Histogram,...}(name, unit, description),
    /// third of CreateObservable*(name, callback, unit, description).
    /// </summary>
    private static string? UnitOf(List<string> arguments, InstrumentKind kind, Dictionary<string, string> constants)
    {
        var named = arguments.FirstOrDefault(a => a.StartsWith("unit:", StringComparison.Ordinal));
        if (named is not null) return Evaluate(named["unit:".Length..], constants, depth: 0);
        var position = kind.ToString().StartsWith("Observable", StringComparison.Ordinal) ? 2 : 1;
        if (arguments.Count <= position) return null;
        var candidate = arguments[position];
        return NamedArgument().IsMatch(candidate) ? null : Evaluate(candidate, constants, depth: 0);
    }

    private static IEnumerable<string> SourceFiles()
    {
        foreach (var top in new[] { "services", "gateway" })
        {
            var dir = Repository.PathOf(top);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
                if (!Repository.IsBuildOutput(file)) yield return file;
        }
    }

    private static string AreaOf(string path)
    {
        var parts = path.Split('/');
        return parts.Length > 1 ? parts[1] : path;
    }

    /// <summary>A literal, a constant, or a '+' chain of them; null for anything computed at run time.</summary>
    private static string? Evaluate(string expression, Dictionary<string, string> constants, int depth)
    {
        if (depth > 8) return null;
        var parts = SplitTopLevel(expression.Trim(), '+');
        var result = "";
        foreach (var raw in parts)
        {
            var part = raw.Trim();
            if (part.StartsWith('"') && part.EndsWith('"') && part.Length >= 2) { result += Regex.Unescape(part[1..^1]); continue; }
            if (part.StartsWith("@\"", StringComparison.Ordinal) && part.EndsWith('"')) { result += part[2..^1].Replace("\"\"", "\"", StringComparison.Ordinal); continue; }
            var identifier = part.Split('.')[^1];
            if (!IdentifierOnly().IsMatch(part) || !constants.TryGetValue(identifier, out var value)) return null;
            var resolved = Evaluate(value, constants, depth + 1);
            if (resolved is null) return null;
            result += resolved;
        }
        return result;
    }

    /// <summary>The comma-separated arguments of the call whose '(' is at <paramref name="open"/>.</summary>
    private static List<string> Arguments(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { i = SkipString(text, i); continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}')
            {
                depth--;
                if (depth == 0) return SplitTopLevel(text[(open + 1)..i], ',').Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
            }
        }
        return [];
    }

    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { i = SkipString(text, i); continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == separator && depth == 0) { parts.Add(text[start..i]); start = i + 1; }
        }
        parts.Add(text[start..]);
        return parts;
    }

    private static int SkipString(string text, int quote)
    {
        for (var i = quote + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '"') return i;
        }
        return text.Length - 1;
    }

    private static string StripComments(string text) => Comments().Replace(text, m => m.Value.StartsWith('"') ? m.Value : " ");

    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""|//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\bconst\s+string\s+(?<name>\w+)\s*=\s*(?<value>[^;]+);")]
    private static partial Regex ConstString();

    [GeneratedRegex(@"\.Create(?<kind>Counter|Histogram|UpDownCounter|Gauge|ObservableCounter|ObservableGauge|ObservableUpDownCounter)\s*<[^>()]+>\s*\(")]
    private static partial Regex CreateCall();

    [GeneratedRegex(@"^\w+\s*:")]
    private static partial Regex NamedArgument();

    [GeneratedRegex(@"^[A-Za-z_][\w.]*$")]
    private static partial Regex IdentifierOnly();
}
