using System.Text.RegularExpressions;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>A type declaration and the extent of its body ('{' to the matching '}') in a source text.</summary>
public sealed record TypeSpan(string Name, int Start, int End)
{
    public bool Contains(int position) => position > Start && position < End;
}

/// <summary>
/// One C# file with comments removed, the types it declares and its <c>using static</c> imports: just enough
/// structure to tell which class a bare identifier means, without a compiler.
/// </summary>
public sealed partial class CSharpSource
{
    private CSharpSource(string path, string text)
    {
        Path = path;
        Text = text;
        Types = FindTypes(text);
        StaticImports = UsingStatic().Matches(text).Select(m => m.Groups["type"].Value.Split('.')[^1]).ToList();
    }

    public string Path { get; }

    /// <summary>The text with comments blanked out (string literals kept).</summary>
    public string Text { get; }

    public IReadOnlyList<TypeSpan> Types { get; }

    /// <summary>Simple names of the types imported with <c>using static Namespace.Type;</c>.</summary>
    public IReadOnlyList<string> StaticImports { get; }

    public static CSharpSource Parse(string path, string text) => new(path, StripComments(text));

    /// <summary>The types whose bodies contain a position, innermost first (C# looks names up in that order).</summary>
    public IReadOnlyList<string> EnclosingTypes(int position) =>
        Types.Where(t => t.Contains(position)).OrderBy(t => t.End - t.Start).Select(t => t.Name).ToList();

    public int LineOf(int position) => Text.AsSpan(0, position).Count('\n') + 1;

    /// <summary>Index of the quote that closes the string literal opening at <paramref name="quote"/>.</summary>
    public static int SkipString(string text, int quote)
    {
        if (string.CompareOrdinal(text, quote, "\"\"\"", 0, 3) == 0)
        {
            var end = text.IndexOf("\"\"\"", quote + 3, StringComparison.Ordinal);
            return end < 0 ? text.Length - 1 : end + 2;
        }
        var verbatim = quote > 0 && text[quote - 1] == '@';
        for (var i = quote + 1; i < text.Length; i++)
        {
            if (verbatim && text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"') { i++; continue; }
            if (!verbatim && text[i] == '\\') { i++; continue; }
            if (text[i] == '"') return i;
        }
        return text.Length - 1;
    }

    /// <summary>Index of the quote that closes a char literal ('{', '\'', '"'), so its content is not read as code.</summary>
    public static int SkipChar(string text, int quote)
    {
        var close = text.IndexOf('\'', quote + (quote + 1 < text.Length && text[quote + 1] == '\\' ? 3 : 2));
        return close < 0 || close - quote > 8 ? quote : close;
    }

    private static List<TypeSpan> FindTypes(string text)
    {
        var types = new List<TypeSpan>();
        foreach (Match m in TypeDeclaration().Matches(text))
        {
            var open = BodyStart(text, m.Index + m.Length);
            if (open < 0) continue; // "record R(int A);" has no body
            types.Add(new TypeSpan(m.Groups["name"].Value, open, MatchingBrace(text, open)));
        }
        return types;
    }

    /// <summary>The '{' that opens the body, past a primary constructor, base list and constraints; -1 at a ';' first.</summary>
    private static int BodyStart(string text, int from)
    {
        var depth = 0;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { i = SkipString(text, i); continue; }
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && c == '{') return i;
            else if (depth == 0 && c == ';') return -1;
        }
        return -1;
    }

    private static int MatchingBrace(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { i = SkipString(text, i); continue; }
            if (c == '\'') { i = SkipChar(text, i); continue; }
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return text.Length;
    }

    private static string StripComments(string text) => Comments().Replace(text, m => m.Value.StartsWith('"') ? m.Value : " ");

    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""|//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\b(?:class|struct|interface|record(?:\s+(?:class|struct))?)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+static\s+(?<type>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingStatic();
}
