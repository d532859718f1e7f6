using System.Globalization;
using System.Text.RegularExpressions;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// Dates as Korean and international reports write them: 2023-05-12, 2023.5.12, 2023. 5. 12., 2023년 5월 12일,
/// '23.5.12, 20230512, 5/12/2023 (month first unless the first number cannot be a month), 12 May 2023,
/// May 12, 2023, and month precision (2023-05, 2023년 5월). Returned as ISO yyyy-MM-dd or yyyy-MM.
/// </summary>
internal static class DateParser
{
    private const string Months = "jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec";
    private static readonly string[] MonthOrder = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly Regex[] Patterns =
    [
        new(@"(?<![\d])(?<y>(?:19|20)\d{2})\s*(?:[-./]|년)\s*(?<m>\d{1,2})\s*(?:[-./]|월)\s*(?<d>\d{1,2})(?![\d])\s*(?:일|\.)?", RegexOptions.CultureInvariant),
        new(@"'(?<yy>\d{2})\.\s*(?<m>\d{1,2})\.\s*(?<d>\d{1,2})(?![\d])\.?", RegexOptions.CultureInvariant),
        new(@"(?<![\d])(?<y>(?:19|20)\d{2})(?<m>[01]\d)(?<d>[0-3]\d)(?![\d])", RegexOptions.CultureInvariant),
        new(@"(?<![\d/.])(?<a>\d{1,2})\s*[/.]\s*(?<b>\d{1,2})\s*[/.]\s*(?<y>(?:19|20)\d{2})(?![\d])", RegexOptions.CultureInvariant),
        new($@"(?<![a-z])(?<d>\d{{1,2}})\s+(?<mon>{Months})[a-z]*\.?,?\s+(?<y>(?:19|20)\d{{2}})(?![\d])", RegexOptions.CultureInvariant),
        new($@"(?<![a-z])(?<mon>{Months})[a-z]*\.?\s+(?:(?<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?(?<y>(?:19|20)\d{{2}})(?![\d])", RegexOptions.CultureInvariant),
        new(@"(?<![\d])(?<y>(?:19|20)\d{2})\s*(?:[-./]|년)\s*(?<m>\d{1,2})(?![\d])\s*(?:월)?(?!\s*[-./]\s*\d)", RegexOptions.CultureInvariant),
    ];

    /// <summary>Finds the first date in [start, end) of the lower-case text.</summary>
    public static (string Iso, int Start, int End)? FindFirst(string text, int start, int end)
    {
        (string, int, int)? best = null;
        var slice = text[start..end];
        foreach (var pattern in Patterns)
        {
            foreach (Match m in pattern.Matches(slice))
            {
                var iso = ToIso(m);
                if (iso is null) continue;
                if (best is null || m.Index + start < best.Value.Item2) best = (iso, m.Index + start, m.Index + start + m.Length);
                break;
            }
        }
        return best;
    }

    private static string? ToIso(Match m)
    {
        int year;
        if (m.Groups["yy"].Success) year = 2000 + int.Parse(m.Groups["yy"].Value, CultureInfo.InvariantCulture);
        else year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);

        int month, day = 0;
        if (m.Groups["mon"].Success)
        {
            month = Array.IndexOf(MonthOrder, m.Groups["mon"].Value[..3]) + 1;
            if (m.Groups["d"].Success) day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        }
        else if (m.Groups["a"].Success)
        {
            var a = int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture);
            var b = int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture);
            (month, day) = a > 12 ? (b, a) : (a, b);
        }
        else
        {
            month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["d"].Success) day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        }
        if (month is < 1 or > 12) return null;
        if (day == 0) return $"{year:D4}-{month:D2}";
        if (day > DateTime.DaysInMonth(year, month)) return null;
        return $"{year:D4}-{month:D2}-{day:D2}";
    }
}
