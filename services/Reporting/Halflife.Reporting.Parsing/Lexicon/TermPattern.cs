using System.Text;
using System.Text.RegularExpressions;

namespace Halflife.Reporting.Parsing.Lexicon;

/// <summary>
/// Turns a lexicon term into a regular expression over the canonical (lower-case, NFC) report text.
/// Terms stay readable for the people who maintain them: "increased uptake" also matches
/// "increased   uptake" and a line break between the words; "l-spine" matches "l spine" and "lspine";
/// Korean terms ignore spacing ("섭취 증가" matches "섭취증가") because Korean spacing in reports is loose.
/// Latin terms only match whole words; Korean terms match inside words because particles are attached
/// ("늑골에", "요추의").
/// </summary>
internal static class TermPattern
{
    private const string RawPrefix = "re:";

    public static string ToRegex(string term)
    {
        if (term.StartsWith(RawPrefix, StringComparison.Ordinal))
            return term[RawPrefix.Length..];

        var anyEnding = term.EndsWith('*');
        var body = anyEnding ? term[..^1] : term;
        var sb = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            // The word-start check comes after the first letter ("i(?<![a-z0-9].)ncreased"), not before it:
            // a pattern that starts with a literal lets the regex engine jump between candidate positions,
            // which makes scanning several times faster than a leading look-behind.
            if (i == 1 && IsWordChar(body[0])) sb.Append("(?<![a-z0-9].)");
            switch (c)
            {
                case ' ':
                    var hangulNear = (i > 0 && IsHangul(body[i - 1])) || (i + 1 < body.Length && IsHangul(body[i + 1]));
                    sb.Append(hangulNear ? @"\s*" : @"\s+");
                    break;
                case '-':
                    sb.Append(@"[\s\-]?");
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        if (body.Length == 1 && IsWordChar(body[0])) sb.Append("(?<![a-z0-9].)");
        if (anyEnding) sb.Append("[a-z가-힣]*");
        else if (IsWordChar(body[^1])) sb.Append("(?![a-z0-9])");
        return sb.ToString();
    }

    private static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    internal static bool IsHangul(char c) => c is (>= '\uAC00' and <= '\uD7A3') or (>= '\u3131' and <= '\u318E');
}
