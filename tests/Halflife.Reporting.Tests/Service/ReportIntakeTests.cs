using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Halflife.Dicom;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Tests.Service;

/// <summary>REST intake: linking by accession or patient and date, pending reports, duplicates and amendments.</summary>
public sealed class ReportIntakeTests : IAsyncLifetime
{
    private ReportingHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await ReportingHost.StartAsync();
    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private const string KoreanReport = "소견:\nRt. 6th rib에 focal uptake 증가, 골절 가능성.\nL4 vertebral body에 열소, 전이 의심.\n\n결론:\n1. 골전이 의심 (L4).\n2. 우측 6번째 늑골 골절 가능성.";

    [Fact]
    public async Task Plain_text_report_links_by_accession_and_keeps_korean_text()
    {
        var scan = new NmScan("P100", "홍^길동", DicomUID.Generate().UID, DicomUID.Generate().UID, "20261101", "140000", "100000", "ACC100");
        await _host.ReceiveAsync(scan.Build(), Ct);

        using var content = new StringContent(KoreanReport, Encoding.UTF8, "text/plain");
        var response = await _host.Http.PostAsync("/api/reporting/reports?accessionNumber=ACC100", content, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(scan.StudyInstanceUid, created.GetProperty("studyInstanceUid").GetString());
        Assert.Equal("Created", created.GetProperty("outcome").GetString());

        var report = await _host.Http.GetFromJsonAsync<JsonElement>(response.Headers.Location, Ct);
        var current = report.GetProperty("current");
        Assert.Equal(KoreanReport, current.GetProperty("text").GetString());
        Assert.Equal("Equivocal", current.GetProperty("impressionCategory").GetString());
        var findings = current.GetProperty("parsed").GetProperty("findings").EnumerateArray().ToList();
        var rib = findings.First(f => f.GetProperty("site").GetString() == "Rib");
        Assert.Equal("Rt. 6th rib", rib.GetProperty("span").GetProperty("text").GetString());
        // Spans point into the text as stored.
        var span = rib.GetProperty("span");
        Assert.Equal("Rt. 6th rib", KoreanReport.Substring(span.GetProperty("start").GetInt32(), span.GetProperty("length").GetInt32()));
    }

    [Fact]
    public async Task Report_before_its_study_stays_pending_and_links_when_the_study_arrives()
    {
        var body = JsonContent.Create(new { text = "IMPRESSION: No evidence of bony metastasis.", patientId = "P200", studyDate = "2026-11-02" });
        var response = await _host.Http.PostAsync("/api/reporting/reports", body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("studyInstanceUid").ValueKind);
        Assert.StartsWith("pending", created.GetProperty("linkNote").GetString());
        var id = created.GetProperty("reportId").GetGuid();
        var pending = await _host.Http.GetFromJsonAsync<JsonElement>("/api/reporting/reports?pending=true", Ct);
        Assert.Contains(pending.EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);

        var scan = new NmScan("P200", "Doe^Jane", DicomUID.Generate().UID, DicomUID.Generate().UID, "20261102", "150000", "110000", null);
        await _host.ReceiveAsync(scan.Build(), Ct);

        var linked = await _host.QueryAsync(db => db.Reports.AsNoTracking().FirstAsync(r => r.Id == id, Ct));
        Assert.Equal(scan.StudyInstanceUid, linked.StudyInstanceUid);
        Assert.Contains("patient ID and study date", linked.LinkNote);
        // ReportParsed went out again, now with the study.
        var parsedEvents = await _host.QueryAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.MessageType == "Halflife.Contracts.ReportParsed").Select(m => m.Body).ToListAsync(Ct));
        Assert.Contains(parsedEvents, b => b.Contains(scan.StudyInstanceUid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Same_text_again_is_a_duplicate_and_changed_text_needs_amends()
    {
        const string first = "FINDINGS: Increased uptake in the L3 vertebral body.\nIMPRESSION: Suspicious for metastasis.";
        const string corrected = "FINDINGS: Increased uptake in the L3 vertebral body.\nIMPRESSION: Degenerative change, not metastasis.";
        var a = await PostTextAsync(first, "ACC300");
        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        var id = (await a.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("reportId").GetGuid();

        var again = await PostTextAsync(first, "ACC300");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Duplicate", (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString());

        var conflict = await PostTextAsync(corrected, "ACC300");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var amended = await PostTextAsync(corrected, "ACC300", amends: id);
        Assert.Equal(HttpStatusCode.Created, amended.StatusCode);
        var result = await amended.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(id, result.GetProperty("reportId").GetGuid());
        Assert.Equal(2, result.GetProperty("version").GetInt32());

        var history = await _host.Http.GetFromJsonAsync<JsonElement>($"/api/reporting/reports/{id}/versions", Ct);
        var versions = history.EnumerateArray().ToList();
        Assert.Equal(2, versions.Count);
        Assert.Equal(first, versions[0].GetProperty("text").GetString());
        Assert.Equal("Equivocal", versions[0].GetProperty("impressionCategory").GetString());
        Assert.Equal("C", versions[1].GetProperty("resultStatus").GetString());
        Assert.Equal("Degenerative", versions[1].GetProperty("impressionCategory").GetString());
        var current = await _host.Http.GetFromJsonAsync<JsonElement>($"/api/reporting/reports/{id}", Ct);
        Assert.Equal(2, current.GetProperty("currentVersion").GetInt32());
    }

    [Fact]
    public async Task Report_without_identifiers_or_text_is_refused()
    {
        var noIds = await _host.Http.PostAsync("/api/reporting/reports", new StringContent("IMPRESSION: normal.", Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noIds.StatusCode);
        Assert.Contains("accession number", await noIds.Content.ReadAsStringAsync(Ct));
        var empty = await PostTextAsync("   ", "ACC400");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var badDate = await _host.Http.PostAsync("/api/reporting/reports?patientId=P1&studyDate=yesterday",
            new StringContent("normal", Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        var tooLong = await PostTextAsync(new string('a', 100_001), "ACC401");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task Euc_kr_plain_text_is_read_by_its_charset()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var euckr = Encoding.GetEncoding(51949);
        using var content = new ByteArrayContent(euckr.GetBytes(KoreanReport));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") { CharSet = "euc-kr" };
        content.Headers.Add("X-Accession-Number", "ACC500");
        var response = await _host.Http.PostAsync("/api/reporting/reports", content, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = await _host.Http.GetFromJsonAsync<JsonElement>(response.Headers.Location, Ct);
        Assert.Equal(KoreanReport, report.GetProperty("current").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Instances_of_one_study_arriving_together_give_one_study_and_series_in_the_index()
    {
        var study = DicomUID.Generate().UID;
        var series = DicomUID.Generate().UID;
        var scans = Enumerable.Range(0, 6).Select(_ => new NmScan("P600", "Park^Minsu", study, series, "20261106", "140000", "100000", "ACC600")).ToList();
        await Task.WhenAll(scans.Select((s, i) => _host.ReceiveAsync(s.Build(seed: i), Ct)));
        Assert.Equal(1, await _host.QueryAsync(db => db.Studies.CountAsync(s => s.StudyInstanceUid == study, Ct)));
        Assert.Equal(1, await _host.QueryAsync(db => db.Series.CountAsync(s => s.StudyInstanceUid == study, Ct)));
        var doc = await _host.Http.GetFromJsonAsync<JsonElement>($"/api/reporting/studies/{study}/report", Ct);
        Assert.Equal(6, doc.GetProperty("study").GetProperty("series")[0].GetProperty("instanceCount").GetInt32());
        Assert.Equal("Park^Minsu", doc.GetProperty("patient").GetProperty("name").GetString());
    }

    private Task<HttpResponseMessage> PostTextAsync(string text, string accession, Guid? amends = null) =>
        _host.Http.PostAsync($"/api/reporting/reports?accessionNumber={accession}" + (amends is null ? "" : $"&amends={amends}"),
            new StringContent(text, Encoding.UTF8, "text/plain"), Ct);
}
