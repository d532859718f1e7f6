using System.Globalization;
using System.Text;

namespace Halflife.Reporting.Hl7;

/// <summary>HL7 v2 escape sequences (v2.5.1 chapter 2.7): delimiters, hex data, and formatted-text line breaks.</summary>
public static class Hl7Escaping
{
    public static string Unescape(string value, Hl7Delimiters d)
    {
        if (value.IndexOf(d.Escape) < 0) return value;
        var sb = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            var end = c == d.Escape ? value.IndexOf(d.Escape, i + 1) : -1;
            if (end < 0)
            {
                sb.Append(c);
                i++;
                continue;
            }
            var code = value[(i + 1)..end];
            i = end + 1;
            switch (code)
            {
                case "F": sb.Append(d.Field); break;
                case "S": sb.Append(d.Component); break;
                case "T": sb.Append(d.Subcomponent); break;
                case "R": sb.Append(d.Repetition); break;
                case "E": sb.Append(d.Escape); break;
                case ".br": sb.Append('\n'); break;
                // Highlighting and other formatting commands carry no text.
                case "H": case "N": break;
                default:
                    if (code.Length > 1 && code[0] == 'X' && code.Length % 2 == 1 && code[1..].All(Uri.IsHexDigit))
                    {
                        // Hex data: bytes, read as UTF-8 (what our senders mean by it; line breaks are the usual use).
                        var bytes = Convert.FromHexString(code[1..]);
                        sb.Append(Encoding.UTF8.GetString(bytes));
                    }
                    else if (code.StartsWith(".sp", StringComparison.Ordinal) || code.StartsWith(".in", StringComparison.Ordinal)
                             || code.StartsWith(".ti", StringComparison.Ordinal) || code is ".fi" or ".nf" or ".ce"
                             || code.StartsWith('C') || code.StartsWith('M') || code.StartsWith('Z'))
                    {
                        if (code.StartsWith(".sp", StringComparison.Ordinal)) sb.Append('\n');
                    }
                    else
                    {
                        // Not an escape sequence we know: keep it as written rather than lose text.
                        sb.Append(d.Escape).Append(code).Append(d.Escape);
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Escapes delimiters and line breaks so that text can be put into a field.</summary>
    public static string Escape(string value, Hl7Delimiters d)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c == d.Escape) sb.Append(d.Escape).Append('E').Append(d.Escape);
            else if (c == d.Field) sb.Append(d.Escape).Append('F').Append(d.Escape);
            else if (c == d.Component) sb.Append(d.Escape).Append('S').Append(d.Escape);
            else if (c == d.Subcomponent) sb.Append(d.Escape).Append('T').Append(d.Escape);
            else if (c == d.Repetition) sb.Append(d.Escape).Append('R').Append(d.Escape);
            else if (c == '\n') sb.Append(d.Escape).Append(".br").Append(d.Escape);
            else if (c == '\r') { }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    internal static string Timestamp(DateTimeOffset time) => time.ToString("yyyyMMddHHmmsszzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);
}
