namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>Splits C# argument lists and expressions at top-level separators (not inside parentheses, brackets or strings).</summary>
public static class CallArguments
{
    /// <summary>The comma-separated arguments of the call whose '(' is at <paramref name="open"/>; empty when it never closes.</summary>
    public static List<string> Of(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { i = CSharpSource.SkipString(text, i); continue; }
            if (c == '\'') { i = CSharpSource.SkipChar(text, i); continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}')
            {
                depth--;
                if (depth == 0) return SplitTopLevel(text[(open + 1)..i], ',').Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
            }
        }
        return [];
    }

    public static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { i = CSharpSource.SkipString(text, i); continue; }
            if (c == '\'') { i = CSharpSource.SkipChar(text, i); continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == separator && depth == 0) { parts.Add(text[start..i]); start = i + 1; }
        }
        parts.Add(text[start..]);
        return parts;
    }
}
