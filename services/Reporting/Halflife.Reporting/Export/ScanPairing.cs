using Halflife.Reporting.Data;
using Halflife.Reporting.Index;

namespace Halflife.Reporting.Export;

public sealed record ScanPair(IndexedSeries Early, IndexedSeries Standard, int? EarlyMinutes, int? StandardMinutes, string Method, string? Note);

/// <summary>
/// The 2 h / 4 h pairing rule for one patient's scans of one day. With injection times, the early scan is the
/// acquisition in the early window (default 60-180 min after injection) nearest 120 min and the standard scan the one
/// in the standard window (180-420 min) nearest 240 min. When an injection time is missing, the first and the last
/// acquisition of the day are paired if at least an hour apart, and the row says so.
/// </summary>
public sealed class ScanPairing(ExportOptions options)
{
    public const string ByInjectionTime = "injection-time";
    public const string ByAcquisitionOrder = "acquisition-order";

    public ScanPair? Pair(IReadOnlyList<IndexedSeries> day)
    {
        var scans = day.Where(s => s.Modality is null or "NM")
            .Select(s => (Series: s, Time: DicomDateTime.ParseTime(s.ScanTime), Injection: DicomDateTime.ParseTime(s.RadiopharmaceuticalStartTime)))
            .Where(s => s.Time is not null)
            .OrderBy(s => s.Time)
            .ToList();
        if (scans.Count < 2) return null;
        if (scans.All(s => s.Injection is not null))
        {
            var timed = scans.Select(s => (s.Series, s.Time, Minutes: (int)Math.Round((s.Time!.Value - s.Injection!.Value).TotalMinutes))).ToList();
            var early = timed.Where(s => s.Minutes >= options.EarlyFromMinutes && s.Minutes < options.EarlyToMinutes)
                .OrderBy(s => Math.Abs(s.Minutes - 120)).FirstOrDefault();
            var standard = timed.Where(s => s.Minutes >= options.StandardFromMinutes && s.Minutes <= options.StandardToMinutes)
                .OrderBy(s => Math.Abs(s.Minutes - 240)).FirstOrDefault();
            if (early.Series is null || standard.Series is null || early.Time >= standard.Time) return null;
            return new ScanPair(early.Series, standard.Series, early.Minutes, standard.Minutes, ByInjectionTime, null);
        }
        var first = scans[0];
        var last = scans[^1];
        var gap = (last.Time!.Value - first.Time!.Value).TotalMinutes;
        if (gap < 60) return null;
        var note = $"injection time missing: paired by acquisition order (first and last of {scans.Count} acquisitions, {gap:0} min apart)";
        int? Minutes((IndexedSeries Series, TimeSpan? Time, TimeSpan? Injection) s) =>
            s.Injection is { } i ? (int)Math.Round((s.Time!.Value - i).TotalMinutes) : null;
        return new ScanPair(first.Series, last.Series, Minutes(first), Minutes(last), ByAcquisitionOrder, note);
    }
}
