using System.Globalization;
using System.Text;
using Halflife.Reporting.Parsing;

namespace Halflife.Reporting.StudyReports;

/// <summary>
/// The printable page of a study report: one self-contained UTF-8 HTML file (pictures inlined as data: URIs, so it
/// prints and archives without the API and without a token), Korean written as is, not as entities.
/// </summary>
public static class StudyReportHtml
{
    public static string Render(StudyReportDocument doc)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\"><title>Study report ")
            .Append(E(doc.Study.AccessionNumber ?? doc.Study.StudyInstanceUid)).Append("</title>\n<style>")
            .Append("body{font-family:'Noto Sans KR','Malgun Gothic',sans-serif;margin:2em;color:#111}")
            .Append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}")
            .Append(".pair{display:flex;gap:1em;page-break-inside:avoid}.pair figure{margin:0}.pair img{height:360px;image-rendering:pixelated;border:1px solid #333}")
            .Append("mark{background:#ffe08a}pre{white-space:pre-wrap;font-family:inherit;border:1px solid #ccc;padding:.5em}")
            .Append("@media print{.noprint{display:none}}</style></head><body>\n");
        sb.Append("<h1>Bone scan study report</h1>\n<table>");
        Row(sb, "Patient", $"{doc.Patient.Name} ({doc.Patient.Id})");
        Row(sb, "Sex / birth date", $"{doc.Patient.Sex} / {doc.Patient.BirthDate}");
        Row(sb, "Study date", $"{doc.Study.StudyDate} {doc.Study.StudyTime}");
        Row(sb, "Accession number", doc.Study.AccessionNumber);
        Row(sb, "Study", doc.Study.Description);
        Row(sb, "Institution", doc.Study.Institution);
        Row(sb, "Study Instance UID", doc.Study.StudyInstanceUid);
        Row(sb, "Models", string.Join(", ", doc.Models.Select(m => $"{m.Name} {m.Version} ({m.Kind})")));
        sb.Append("</table>\n<h2>Series</h2>\n<table><tr><th>Series</th><th>Date / time</th><th>Injection</th><th>Minutes after injection</th><th>Instances</th></tr>");
        foreach (var s in doc.Study.Series)
            sb.Append("<tr><td>").Append(E(s.Description ?? s.SeriesInstanceUid)).Append("</td><td>").Append(E($"{s.ScanDate} {s.ScanTime}"))
                .Append("</td><td>").Append(E(s.InjectionTime)).Append("</td><td>").Append(s.MinutesAfterInjection?.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(s.InstanceCount).Append("</td></tr>");
        sb.Append("</table>\n<h2>Images: original and restored</h2>\n");
        foreach (var image in doc.Images)
        {
            sb.Append("<div class=\"pair\">");
            Figure(sb, image.OriginalPng, "Original", image.OriginalQuality, null);
            if (image.Restored is { } r)
                Figure(sb, r.Png, $"{r.Kind}: {r.ModelName} {r.ModelVersion}", r.Quality, r.ComparedWithOriginal);
            sb.Append("</div>\n");
            if (image.Problem is not null) sb.Append("<p>").Append(E(image.Problem)).Append("</p>\n");
        }
        if (doc.Report is { } report)
        {
            sb.Append("<h2>Report</h2>\n<table>");
            Row(sb, "Impression category", report.ImpressionCategory);
            Row(sb, "Metastasis sites", report.MetastasisSites);
            Row(sb, "Version", $"{report.Version} of {report.VersionCount} ({report.ResultStatus})");
            Row(sb, "Reader", report.Author);
            sb.Append("</table>\n<pre>").Append(Highlight(report)).Append("</pre>\n");
            var parsed = report.Parsed is null ? null : ReportJson.Deserialize(report.Parsed.ToJsonString());
            if (parsed is not null && parsed.Findings.Count > 0)
            {
                sb.Append("<table><tr><th>Site</th><th>Side</th><th>Level / rib</th><th>Sign</th><th>Diagnosis</th><th>Assertion</th><th>Text</th></tr>");
                foreach (var f in parsed.Findings)
                    sb.Append("<tr><td>").Append(f.Site).Append("</td><td>").Append(f.Laterality).Append("</td><td>")
                        .Append(E(string.Join(",", f.Levels.Concat(f.RibNumbers.Select(n => n.ToString(CultureInfo.InvariantCulture))))))
                        .Append("</td><td>").Append(f.Observation).Append("</td><td>").Append(f.Interpretation).Append("</td><td>")
                        .Append(f.Assertion).Append("</td><td>").Append(E(f.Span.Text)).Append("</td></tr>");
                sb.Append("</table>\n");
            }
        }
        else
        {
            sb.Append("<p>No report has been received for this study.</p>\n");
        }
        sb.Append("<p class=\"noprint\"><small>Generated ").Append(doc.GeneratedAt.ToString("u", CultureInfo.InvariantCulture))
            .Append(". Quality: total counts, mean count in the body, Immerkær noise estimate and their ratio (SNR).</small></p>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>The report text with the site phrase of every finding marked (spans are offsets into this text).</summary>
    private static string Highlight(ReportSectionDto report)
    {
        var parsed = report.Parsed is null ? null : ReportJson.Deserialize(report.Parsed.ToJsonString());
        var text = report.Text;
        if (parsed is null) return E(text);
        var sb = new StringBuilder();
        var at = 0;
        foreach (var f in parsed.Findings.OrderBy(f => f.Span.Start))
        {
            if (f.Span.Start < at || f.Span.End > text.Length) continue;
            sb.Append(E(text[at..f.Span.Start]))
                .Append("<mark title=\"").Append(E($"{f.Site} {f.Laterality} {f.Observation} {f.Interpretation} {f.Assertion}")).Append("\">")
                .Append(E(text[f.Span.Start..f.Span.End])).Append("</mark>");
            at = f.Span.End;
        }
        return sb.Append(E(text[at..])).ToString();
    }

    private static void Figure(StringBuilder sb, byte[]? png, string caption, ImageQuality? q, QualityComparison? c)
    {
        sb.Append("<figure>");
        if (png is not null) sb.Append("<img alt=\"").Append(E(caption)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\">");
        sb.Append("<figcaption>").Append(E(caption));
        if (q is not null)
            sb.Append(CultureInfo.InvariantCulture, $"<br>counts {q.TotalCounts:N0}, mean {q.MeanInBody:0.##}, noise {q.NoiseSigma:0.##}, SNR {q.SignalToNoise:0.##}");
        if (c is not null)
            sb.Append(CultureInfo.InvariantCulture, $"<br>vs original: counts x{c.CountRatio:0.###}, noise x{c.NoiseRatio:0.###}, SNR x{c.SignalToNoiseGain:0.###}");
        sb.Append("</figcaption></figure>");
    }

    private static void Row(StringBuilder sb, string label, string? value) =>
        sb.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    /// <summary>Escapes markup only; every other character (Hangul included) is written as UTF-8.</summary>
    private static string E(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            sb.Append(ch switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => ch.ToString() });
        }
        return sb.ToString();
    }
}
