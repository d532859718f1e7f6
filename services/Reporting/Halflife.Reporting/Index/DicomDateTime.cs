using System.Globalization;

namespace Halflife.Reporting.Index;

/// <summary>DICOM DA ("YYYYMMDD") and TM ("HHMMSS.FFFFFF", and the shorter forms PS3.5 6.2 allows) as .NET values.</summary>
public static class DicomDateTime
{
    public static DateOnly? ParseDate(string? da)
    {
        var s = da?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        // ACR-NEMA style "YYYY.MM.DD" still appears in old scanners.
        s = s.Replace(".", "", StringComparison.Ordinal);
        return DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    public static TimeSpan? ParseTime(string? tm)
    {
        var s = tm?.Trim().Replace(":", "", StringComparison.Ordinal);
        if (string.IsNullOrEmpty(s)) return null;
        var fraction = 0.0;
        var dot = s.IndexOf('.');
        if (dot >= 0)
        {
            if (!double.TryParse("0" + s[dot..], NumberStyles.Float, CultureInfo.InvariantCulture, out fraction)) return null;
            s = s[..dot];
        }
        if (s.Length is not (2 or 4 or 6) || !s.All(char.IsAsciiDigit)) return null;
        var h = int.Parse(s[..2], CultureInfo.InvariantCulture);
        var m = s.Length >= 4 ? int.Parse(s[2..4], CultureInfo.InvariantCulture) : 0;
        var sec = s.Length == 6 ? int.Parse(s[4..6], CultureInfo.InvariantCulture) : 0;
        if (h > 23 || m > 59 || sec > 60) return null;
        return new TimeSpan(h, m, Math.Min(sec, 59)) + TimeSpan.FromSeconds(fraction);
    }

    public static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string? Iso(string? da) => ParseDate(da)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
