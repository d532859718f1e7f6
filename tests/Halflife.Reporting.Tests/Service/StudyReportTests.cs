using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Halflife.Reporting.Tests.Service;

/// <summary>The study report as JSON, as a printable page, as a Basic Text SR (checked by DCMTK and pydicom) and forwarded to storescp.</summary>
public sealed class StudyReportTests : IAsyncLifetime
{
    private const string ReportText = "소견:\nRt. 6th rib에 focal uptake 증가, 골절 가능성.\nL4 vertebral body에 열소, 전이 의심.\n\n결론:\n골전이 의심 (L4).";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _storeFolder = Directory.CreateTempSubdirectory("halflife-reporting-storescp").FullName;
    private readonly int _pacsPort = ExternalTools.FreePort();
    private ReportingHost _host = null!;
    private BoneScanDay _day = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ReportingHost.StartAsync(new Dictionary<string, string?>
        {
            ["Reporting:Pacs:Host"] = "127.0.0.1", ["Reporting:Pacs:Port"] = _pacsPort.ToString(), ["Reporting:Pacs:CalledAeTitle"] = "TEST_PACS",
        });
        _day = BoneScanDay.Create("P-SR1", "김^영희", "20261105");
        await _day.ReceiveAsync(_host, restoreEarly: true, Ct);
        var response = await _host.Http.PostAsync($"/api/reporting/reports?accessionNumber={_day.Early.AccessionNumber}",
            new StringContent(ReportText, Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_storeFolder, recursive: true);
    }

    private string StudyUid => _day.Early.StudyInstanceUid;

    [Fact]
    public async Task Json_combines_patient_series_quality_model_and_parsed_report()
    {
        var doc = await _host.Http.GetFromJsonAsync<JsonElement>($"/api/reporting/studies/{StudyUid}/report", Ct);
        Assert.Equal("김^영희", doc.GetProperty("patient").GetProperty("name").GetString());
        var series = doc.GetProperty("study").GetProperty("series").EnumerateArray().Single();
        Assert.Equal(125, series.GetProperty("minutesAfterInjection").GetInt32());
        var image = doc.GetProperty("images").EnumerateArray().Single();
        var original = image.GetProperty("originalQuality");
        var restored = image.GetProperty("restored");
        Assert.Equal("bone-restore", restored.GetProperty("modelName").GetString());
        Assert.Equal("1.0.0", restored.GetProperty("modelVersion").GetString());
        // The restored image has about twice the counts (scale 1.0 vs 0.5) and so a better SNR (Poisson: about sqrt 2).
        var comparison = restored.GetProperty("comparedWithOriginal");
        Assert.InRange(comparison.GetProperty("countRatio").GetDouble(), 1.8, 2.2);
        Assert.InRange(comparison.GetProperty("signalToNoiseGain").GetDouble(), 1.15, 1.8);
        Assert.True(original.GetProperty("noiseSigma").GetDouble() > 0);
        var report = doc.GetProperty("report");
        Assert.Equal(ReportText, report.GetProperty("text").GetString());
        Assert.Equal("Equivocal", report.GetProperty("impressionCategory").GetString());
        var rib = report.GetProperty("parsed").GetProperty("findings").EnumerateArray().First(f => f.GetProperty("site").GetString() == "Rib");
        Assert.Equal("Rt. 6th rib", rib.GetProperty("span").GetProperty("text").GetString());
        Assert.Equal("bone-restore", doc.GetProperty("models").EnumerateArray().Single().GetProperty("name").GetString());

        using var png = await _host.Http.GetAsync(image.GetProperty("originalPngUrl").GetString(), Ct);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, (await png.Content.ReadAsByteArrayAsync(Ct))[..4]);
        var info = await _host.Http.GetFromJsonAsync<JsonElement>(restored.GetProperty("pngUrl").GetString()!.Replace("render.png", "image"), Ct);
        Assert.Equal(2, info.GetProperty("frames").GetInt32());
    }

    [Fact]
    public async Task Page_is_utf8_with_korean_text_both_pictures_and_highlighted_findings()
    {
        using var response = await _host.Http.GetAsync($"/api/reporting/studies/{StudyUid}/report.html", Ct);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var html = new UTF8Encoding(false, true).GetString(bytes);
        Assert.Contains("김^영희", html);
        Assert.Contains("골전이 의심", html);
        Assert.Contains("<mark title=\"Rib Right IncreasedUptake Fracture Uncertain\">Rt. 6th rib</mark>", html);
        Assert.Equal(2, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.Contains("bone-restore 1.0.0", html);
    }

    [Fact]
    public async Task Sr_is_a_valid_basic_text_sr_in_the_same_study_with_references()
    {
        var dsrdump = ExternalTools.Require("dsrdump");
        ExternalTools.RequirePydicom();
        var bytes = await _host.Http.GetByteArrayAsync($"/api/reporting/studies/{StudyUid}/report/sr", Ct);
        var file = Path.Combine(_storeFolder, "sr.dcm");
        await File.WriteAllBytesAsync(file, bytes, Ct);

        var dump = ExternalTools.Run(dsrdump, "-v", "+U8", "+Pu", "+Pl", "+Pc", file);
        Assert.True(dump.ExitCode == 0, dump.Output + dump.Error);
        Assert.DoesNotContain("Error", dump.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Basic Text SR", dump.Output);
        Assert.Contains("골전이 의심", dump.Output);
        Assert.Contains("(121070,DCM,\"Findings\")", dump.Output);
        Assert.Contains(_day.RestoredSopInstanceUid!, dump.Output);
        Assert.Contains("Rib Right rib 6: IncreasedUptake, Fracture, Uncertain", dump.Output);

        var script = """
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            refs = [r.ReferencedSOPInstanceUID for s in ds.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence for r in s.ReferencedSOPSequence]
            print(ds.SOPClassUID)
            print(ds.StudyInstanceUID)
            print(ds.Modality)
            print(str(ds.PatientName))
            print(",".join(sorted(refs)))
            print(ds.ContentSequence[0].ContentSequence[0].TextValue.splitlines()[0])
            """;
        var py = ExternalTools.Run(ExternalTools.Python, "-c", script, file);
        Assert.True(py.ExitCode == 0, py.Error);
        var lines = py.Output.Split('\n');
        Assert.Equal("1.2.840.10008.5.1.4.1.1.88.11", lines[0]);
        Assert.Equal(StudyUid, lines[1]);
        Assert.Equal("SR", lines[2]);
        Assert.Equal("김^영희", lines[3]);
        Assert.Equal(string.Join(",", new[] { _day.Early.SopInstanceUid, _day.RestoredSopInstanceUid! }.Order(StringComparer.Ordinal)), lines[4]);
        Assert.Equal("소견:", lines[5]);

        // Asking again gives the same object (same version, same UIDs), not a second SR.
        var again = await _host.Http.GetByteArrayAsync($"/api/reporting/studies/{StudyUid}/report/sr", Ct);
        Assert.Equal(bytes, again);
    }

    [Fact]
    public async Task Forward_stores_the_sr_on_storescp()
    {
        using var storescp = await ExternalTools.StartStorescpAsync(_pacsPort, _storeFolder, "TEST_PACS");
        try
        {
            using var response = await _host.Http.PostAsync($"/api/reporting/studies/{StudyUid}/report/sr/forward", null, Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal(0, body.GetProperty("status").GetInt32());
            var sop = body.GetProperty("sopInstanceUid").GetString()!;
            var received = Directory.GetFiles(_storeFolder).Single(f => Path.GetFileName(f).Contains(sop));
            var dump = ExternalTools.Run(ExternalTools.Require("dcmdump"), received);
            Assert.Contains("=BasicTextSRStorage", dump.Output);
            Assert.Contains(StudyUid, dump.Output);
        }
        finally
        {
            storescp.Kill();
        }
    }

    [Fact]
    public async Task Unknown_study_and_unreachable_pacs_are_clear_errors()
    {
        using var missing = await _host.Http.GetAsync("/api/reporting/studies/1.2.3.4/report", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var noSr = await _host.Http.GetAsync($"/api/reporting/studies/{_day.Standard.StudyInstanceUid}/report/sr", Ct);
        Assert.Equal(HttpStatusCode.NotFound, noSr.StatusCode);
        Assert.Contains("no report", await noSr.Content.ReadAsStringAsync(Ct));
        // Nobody listens on the PACS port in this test.
        using var forward = await _host.Http.PostAsync($"/api/reporting/studies/{StudyUid}/report/sr/forward", null, Ct);
        Assert.Equal(HttpStatusCode.BadGateway, forward.StatusCode);
    }
}
