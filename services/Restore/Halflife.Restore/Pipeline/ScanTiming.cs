using System.Globalization;
using Halflife.Contracts;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Time from injection to acquisition, from the DICOM times Ingest forwards in <see cref="StudyContext"/>:
/// Acquisition Time, else Series Time, minus the Radiopharmaceutical Start Time. DICOM TM is HHMMSS(.FFFFFF), any
/// trailing part omitted; the ACR-NEMA form HH:MM:SS is accepted too. The times carry no date, so an acquisition
/// "before" the injection is taken as the next day (a scan after midnight).
/// </summary>
public static class ScanTiming
{
    public static TimeSpan? SinceInjection(StudyContext? context)
    {
        if (context is null) return null;
        var start = ParseTime(context.RadiopharmaceuticalStartTime);
        var acquired = ParseTime(context.AcquisitionTime) ?? ParseTime(context.SeriesTime);
        if (start is null || acquired is null) return null;
        var elapsed = acquired.Value - start.Value;
        return elapsed < TimeSpan.Zero ? elapsed + TimeSpan.FromDays(1) : elapsed;
    }

    /// <summary>A DICOM TM value as a time of day, or null when it is missing or malformed.</summary>
    public static TimeSpan? ParseTime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim().Replace(":", "", StringComparison.Ordinal);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        if (whole.Length is not (2 or 4 or 6) || !whole.All(char.IsAsciiDigit)) return null;
        var hours = int.Parse(whole[..2], CultureInfo.InvariantCulture);
        var minutes = whole.Length >= 4 ? int.Parse(whole[2..4], CultureInfo.InvariantCulture) : 0;
        var seconds = whole.Length == 6 ? int.Parse(whole[4..6], CultureInfo.InvariantCulture) : 0;
        var fraction = 0.0;
        if (dot >= 0)
        {
            var digits = text[(dot + 1)..];
            if (digits.Length is 0 or > 6 || !digits.All(char.IsAsciiDigit)) return null;
            fraction = double.Parse("0." + digits, CultureInfo.InvariantCulture);
        }
        // 60 is allowed for a leap second by the standard; anything larger is not a time.
        if (hours > 23 || minutes > 59 || seconds > 60) return null;
        return new TimeSpan(0, hours, minutes, seconds) + TimeSpan.FromSeconds(fraction);
    }
}
