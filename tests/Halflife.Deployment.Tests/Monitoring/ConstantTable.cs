using System.Text.RegularExpressions;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>A <c>const string</c> as declared: its class, its name, the expression it is set to, and where.</summary>
public sealed record ConstantDeclaration(string Type, string Name, string Expression, CSharpSource File, int Position);

/// <summary>
/// The string constants of the scanned code, looked up as the compiler would: a qualified name (<c>T.Name</c>) by its
/// class, a bare name first in the enclosing classes, then in the classes the file imports with <c>using static</c>,
/// then anywhere if exactly one class declares it. Two classes with the same constant name and no way to choose
/// between them make the name ambiguous rather than silently picking the first.
/// </summary>
public sealed partial class ConstantTable
{
    private const int MaxDepth = 8;
    private readonly Dictionary<string, List<ConstantDeclaration>> byName = new(StringComparer.Ordinal);

    public ConstantTable(IEnumerable<CSharpSource> files)
    {
        foreach (var file in files)
        {
            foreach (Match m in ConstString().Matches(file.Text))
            {
                var type = file.EnclosingTypes(m.Index).FirstOrDefault();
                if (type is null) continue; // a local const in top-level statements: not reachable from elsewhere
                var name = m.Groups["name"].Value;
                if (!byName.TryGetValue(name, out var list)) byName[name] = list = [];
                list.Add(new ConstantDeclaration(type, name, m.Groups["value"].Value.Trim(), file, m.Index));
            }
        }
    }

    /// <summary>
    /// The value of a literal, a constant, or a '+' chain of them, as written at <paramref name="position"/> of
    /// <paramref name="file"/>; null with a reason for anything computed at run time, unknown or ambiguous.
    /// </summary>
    public (string? Value, string? Problem) Evaluate(string expression, CSharpSource file, int position) =>
        Evaluate(expression, file, position, depth: 0);

    private (string? Value, string? Problem) Evaluate(string expression, CSharpSource file, int position, int depth)
    {
        if (depth > MaxDepth) return (null, $"constants nested deeper than {MaxDepth} levels");
        var result = "";
        foreach (var raw in CallArguments.SplitTopLevel(expression.Trim(), '+'))
        {
            var part = raw.Trim();
            if (part.StartsWith('"') && part.EndsWith('"') && part.Length >= 2) { result += Regex.Unescape(part[1..^1]); continue; }
            if (part.StartsWith("@\"", StringComparison.Ordinal) && part.EndsWith('"')) { result += part[2..^1].Replace("\"\"", "\"", StringComparison.Ordinal); continue; }
            if (!IdentifierOnly().IsMatch(part)) return (null, $"'{part}' is computed at run time");

            var (constant, problem) = Find(part, file, position);
            if (constant is null) return (null, problem);
            var (value, inner) = Evaluate(constant.Expression, constant.File, constant.Position, depth + 1);
            if (value is null) return (null, inner);
            result += value;
        }
        return (result, null);
    }

    private (ConstantDeclaration? Constant, string? Problem) Find(string reference, CSharpSource file, int position)
    {
        var parts = reference.Split('.');
        var name = parts[^1];
        var candidates = byName.GetValueOrDefault(name) ?? [];
        if (parts.Length > 1)
        {
            // Qualified: "Telemetry.Name", "Outer.Inner.Name" or "Namespace.Telemetry.Name" name the class directly.
            candidates = candidates.Where(c => c.Type == parts[^2]).ToList();
            return Choose(candidates, reference, file, position);
        }

        foreach (var type in file.EnclosingTypes(position))
        {
            var own = candidates.Where(c => c.Type == type).ToList();
            if (own.Count > 0) return Choose(own, reference, file, position);
        }
        var imported = candidates.Where(c => file.StaticImports.Contains(c.Type)).ToList();
        if (imported.Count > 0) return Choose(imported, reference, file, position);
        return Choose(candidates, reference, file, position);
    }

    private static (ConstantDeclaration?, string?) Choose(List<ConstantDeclaration> candidates, string reference, CSharpSource file, int position)
    {
        if (candidates.Count == 0) return (null, $"no const string '{reference}' in the scanned code");
        if (candidates.Count == 1) return (candidates[0], null);
        // The same class name in two namespaces: still ambiguous for a text scan, whatever the compiler does.
        var where = string.Join(", ", candidates.Select(c => $"{c.Type}.{c.Name} ({c.File.Path}:{c.File.LineOf(c.Position)})"));
        return (null, $"'{reference}' at {file.Path}:{file.LineOf(position)} is ambiguous: {where}; qualify it with its class");
    }

    [GeneratedRegex(@"\bconst\s+string\s+(?<name>\w+)\s*=\s*(?<value>[^;]+);")]
    private static partial Regex ConstString();

    [GeneratedRegex(@"^[A-Za-z_][\w.]*$")]
    private static partial Regex IdentifierOnly();
}
