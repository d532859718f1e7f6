using System.Text.RegularExpressions;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>
/// The instruments the code creates, read from the C# sources at test time (other developers add metrics all the
/// time; a fixed list would go stale). Names may be string literals, constants, or '+' concatenations of both;
/// constants are resolved by class and name (<see cref="ConstantTable"/>), and an ambiguous one is reported, not guessed.
/// </summary>
public static partial class InstrumentCatalog
{
    public static (IReadOnlyList<Instrument> Instruments, IReadOnlyList<UnresolvedInstrument> Unresolved) Scan() =>
        Scan(SourceFiles().Select(f => (Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'), File.ReadAllText(f))));

    /// <summary>Scans (path, text) pairs; paths look like "services/Inference/...".</summary>
    public static (IReadOnlyList<Instrument> Instruments, IReadOnlyList<UnresolvedInstrument> Unresolved) Scan(IEnumerable<(string Path, string Text)> files)
    {
        var sources = files.Select(f => CSharpSource.Parse(f.Path, f.Text)).ToList();
        var constants = new ConstantTable(sources);

        var instruments = new List<Instrument>();
        var unresolved = new List<UnresolvedInstrument>();
        foreach (var file in sources)
        {
            foreach (Match m in CreateCall().Matches(file.Text))
            {
                var arguments = CallArguments.Of(file.Text, m.Index + m.Length - 1);
                var source = $"{file.Path}:{file.LineOf(m.Index)}";
                if (arguments.Count == 0) { unresolved.Add(new UnresolvedInstrument(m.Value, source, "no arguments found")); continue; }

                var (name, problem) = constants.Evaluate(arguments[0], file, m.Index);
                if (name is null) { unresolved.Add(new UnresolvedInstrument(arguments[0], source, problem)); continue; }

                var kind = Enum.Parse<InstrumentKind>(m.Groups["kind"].Value);
                var (unit, unitProblem) = UnitOf(arguments, kind, constants, file, m.Index);
                if (unitProblem is not null) { unresolved.Add(new UnresolvedInstrument(arguments[0], source, "unit: " + unitProblem)); continue; }
                instruments.Add(new Instrument(name, string.IsNullOrEmpty(unit) ? null : unit, kind, AreaOf(file.Path), source));
            }
        }
        return (instruments, unresolved);
    }

    /// <summary>
    /// unit: by name, else positionally: second argument of Create{Counter,Histogram,...}(name, unit, description),
    /// third of CreateObservable*(name, callback, unit, description).
    /// </summary>
    private static (string? Unit, string? Problem) UnitOf(List<string> arguments, InstrumentKind kind, ConstantTable constants, CSharpSource file, int position)
    {
        var named = arguments.FirstOrDefault(a => a.StartsWith("unit:", StringComparison.Ordinal));
        if (named is not null) return constants.Evaluate(named["unit:".Length..], file, position);
        var index = kind.ToString().StartsWith("Observable", StringComparison.Ordinal) ? 2 : 1;
        if (arguments.Count <= index) return (null, null);
        var candidate = arguments[index];
        return NamedArgument().IsMatch(candidate) ? (null, null) : constants.Evaluate(candidate, file, position);
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

    // The type argument is optional: an observable instrument's is inferred from its callback.
    [GeneratedRegex(@"\.Create(?<kind>Counter|Histogram|UpDownCounter|Gauge|ObservableCounter|ObservableGauge|ObservableUpDownCounter)\s*(?:<[^>()]+>)?\s*\(")]
    private static partial Regex CreateCall();

    [GeneratedRegex(@"^\w+\s*:")]
    private static partial Regex NamedArgument();
}
