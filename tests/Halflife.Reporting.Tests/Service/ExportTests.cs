using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Halflife.Reporting.Tests.Service;

/// <summary>Research exports: 2 h / 4 h pairing, labels, filters, CSV / XLSX / zip with manifest, de-identification.</summary>
public sealed class ExportTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private ReportingHost _host = null!;
    private BoneScanDay _korean = null!;
    private BoneScanDay _noInjection = null!;

    static ExportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async ValueTask InitializeAsync()
    {
        _host = await ReportingHost.StartAsync(new Dictionary<string, string?> { ["Reporting:Hl7:Enabled"] = "false" });
        _korean = BoneScanDay.Create("KR-7788", "홍^길동", "20261110");
        await _korean.ReceiveAsync(_host, restoreEarly: true, Ct);
        _noInjection = BoneScanDay.Create("US-1234", "Doe^John", "20261111", injection: null, earlyTime: "093000", standardTime: "114000");
        await _noInjection.ReceiveAsync(_host, restoreEarly: false, Ct);
        // A single scan: nothing to pair.
        await _host.ReceiveAsync(new NmScan("SOLO-1", "Solo^Han", Halflife.Dicom.DicomUID.Generate().UID, Halflife.Dicom.DicomUID.Generate().UID,
            "20261112", "140000", "100000", "ASOLO").Build(), Ct);

        await PostReportAsync(_korean.Standard.AccessionNumber!,
            "홍길동 님 전신 골스캔.\n소견: 우측 6번째 늑골과 L4에 다발성 섭취 증가.\n결론: Multiple bone metastases in the right 6th rib and L4.");
        await PostReportAsync(_noInjection.Standard.AccessionNumber!, "IMPRESSION: No evidence of bony metastasis.");
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task PostReportAsync(string accession, string text)
    {
        var r = await _host.Http.PostAsync($"/api/reporting/reports?accessionNumber={accession}", new StringContent(text, Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    private async Task<JsonElement> ExportAsync(object request)
    {
        var start = await _host.Http.PostAsJsonAsync("/api/reporting/exports", request, Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var status = await _host.Http.GetFromJsonAsync<JsonElement>(start.Headers.Location, Ct);
            var state = status.GetProperty("state").GetString();
            if (state == "Completed") return status;
            Assert.True(state != "Failed", status.ToString());
            Assert.True(DateTime.UtcNow < deadline, "export did not finish: " + status);
            await Task.Delay(200, Ct);
        }
    }

    private async Task<byte[]> FileAsync(JsonElement status, string name) =>
        await _host.Http.GetByteArrayAsync(status.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name)
            .GetProperty("url").GetString(), Ct);

    private static List<Dictionary<string, string>> ReadCsv(byte[] bytes)
    {
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8);
        using var csv = new CsvHelper.CsvReader(reader, System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        csv.Read();
        csv.ReadHeader();
        while (csv.Read())
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? ""));
        return rows;
    }

    private static List<List<string>> ReadXlsx(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        return sheet.Descendants<Row>().Select(r =>
        {
            var cells = new List<string>();
            foreach (var cell in r.Elements<Cell>())
            {
                var column = new string(cell.CellReference!.Value!.TakeWhile(char.IsLetter).ToArray());
                var index = column.Aggregate(0, (n, c) => n * 26 + c - 'A' + 1) - 1;
                while (cells.Count < index) cells.Add("");
                cells.Add(cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "");
            }
            return cells;
        }).ToList();
    }

    [Fact]
    public async Task Identified_export_pairs_by_injection_time_or_by_order_with_labels_in_csv_xlsx_and_a_verified_zip()
    {
        var status = await ExportAsync(new { deidentify = false });
        Assert.Equal(3, status.GetProperty("daysTotal").GetInt32());
        Assert.Equal(2, status.GetProperty("pairsWritten").GetInt32());
        Assert.Contains(status.GetProperty("log").EnumerateArray(), l => l.GetString()!.Contains("pairing: 3 patient-day(s)"));
        Assert.False(status.GetProperty("hasKeyFile").GetBoolean());

        var rows = ReadCsv(await FileAsync(status, "pairs.csv")).OrderBy(r => r["patient"]).ToList();
        Assert.Equal(["KR-7788", "US-1234"], rows.Select(r => r["patient"]));
        var kr = rows[0];
        Assert.Equal("홍^길동", kr["patient_name"]);
        Assert.Equal("injection-time", kr["pairing_method"]);
        Assert.Equal("125", kr["early_minutes_after_injection"]);
        Assert.Equal("240", kr["standard_minutes_after_injection"]);
        Assert.Equal(_korean.Early.SeriesInstanceUid, kr["early_series_uid"]);
        Assert.Equal("yes", kr["early_restored"]);
        Assert.Equal("bone-restore 1.0.0", kr["restored_model"]);
        Assert.Equal("Metastasis", kr["impression_category"]);
        Assert.Contains("Rib", kr["metastasis_sites"]);
        Assert.Equal("2026-11-10", kr["scan_date"]);
        Assert.StartsWith("홍길동 님", kr["report_text"]);
        Assert.Equal("3", kr["files"]);
        var us = rows[1];
        Assert.Equal("acquisition-order", us["pairing_method"]);
        Assert.Contains("injection time missing", us["pairing_note"]);
        Assert.Equal("", us["early_minutes_after_injection"]);
        Assert.Equal("NoMetastasis", us["impression_category"]);

        var xlsx = ReadXlsx(await FileAsync(status, "pairs.xlsx"));
        Assert.Equal("pair_id", xlsx[0][0]);
        Assert.Equal(3, xlsx.Count);
        var header = xlsx[0];
        var krRow = xlsx.Single(r => r.Count > 1 && r[1] == "KR-7788");
        Assert.Equal("홍^길동", krRow[header.IndexOf("patient_name")]);
        Assert.Equal("125", krRow[header.IndexOf("early_minutes_after_injection")]);
        Assert.Equal(kr["report_text"].Replace("\r\n", "\n"), krRow[header.IndexOf("report_text")]);

        using var zip = new ZipArchive(new MemoryStream(await FileAsync(status, "images.zip")));
        var manifest = ReadCsv([0xEF, 0xBB, 0xBF, .. ReadEntry(zip, "manifest.csv")]);
        Assert.Equal(zip.Entries.Count - 2, manifest.Count); // every entry but the two manifests
        foreach (var line in manifest)
            Assert.Equal(line["sha256"], Convert.ToHexStringLower(SHA256.HashData(ReadEntry(zip, line["path"]))));
        Assert.Equal(5, manifest.Count(m => m["path"].EndsWith(".dcm", StringComparison.Ordinal))); // 2 + 2 originals, 1 restored
        Assert.Contains(manifest, m => m["role"] == "early-restored");
        using var json = JsonDocument.Parse(ReadEntry(zip, "manifest.json"));
        Assert.Equal(manifest.Count, json.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Deidentified_export_leaks_no_identifier_and_pseudonyms_are_stable_across_exports()
    {
        var first = await ExportAsync(new { deidentify = true });
        var second = await ExportAsync(new { deidentify = true, images = "Dicom" });
        var outputs = new List<(string Name, byte[] Bytes)>();
        foreach (var status in new[] { first, second })
        foreach (var name in new[] { "pairs.csv", "pairs.xlsx", "images.zip" })
        {
            var bytes = await FileAsync(status, name);
            outputs.Add((name, bytes));
            if (name != "pairs.csv") outputs.AddRange(Unzip(bytes, name));
        }
        var identifiers = new[] { "KR-7788", "US-1234", "길동", "Doe", "John", "홍^길동", "ACC", _korean.Early.AccessionNumber!, _korean.Early.StudyInstanceUid,
            _korean.Standard.SeriesInstanceUid, _korean.Early.SopInstanceUid, "서울 핵의학 병원", "Referring", "20261110", "19580312" };
        var encodings = new[] { Encoding.UTF8, Encoding.GetEncoding(51949), Encoding.Unicode };
        foreach (var (name, bytes) in outputs)
        foreach (var identifier in identifiers)
        foreach (var encoding in encodings)
            Assert.True(bytes.AsSpan().IndexOf(encoding.GetBytes(identifier)) < 0, $"'{identifier}' ({encoding.WebName}) found in {name}");

        var a = ReadCsv(outputs.First(o => o.Name == "pairs.csv").Bytes);
        var b = ReadCsv(outputs.Where(o => o.Name == "pairs.csv").Last().Bytes);
        Assert.Equal(a.Select(r => r["patient"]).Order(), b.Select(r => r["patient"]).Order());
        Assert.All(a, r => Assert.StartsWith("HL-", r["patient"]));
        Assert.All(a, r => Assert.Equal("", r["patient_name"]));
        Assert.All(a, r => Assert.Equal("", r["report_text"]));
        var kr = a.Single(r => r["pairing_method"] == "injection-time");
        Assert.Equal("Metastasis", kr["impression_category"]);
        Assert.NotEqual("2026-11-10", kr["scan_date"]);
        Assert.True(DateOnly.Parse(kr["scan_date"]) < new DateOnly(2026, 11, 10));

        // The DICOM in the zip: pseudonym, remapped UIDs matching the CSV, shifted dates, no private attributes.
        ExternalTools.RequirePydicom();
        using var zip = new ZipArchive(new MemoryStream(outputs.First(o => o.Name == "images.zip").Bytes));
        var entry = zip.Entries.First(e => e.FullName.StartsWith(kr["pair_id"] + "/early/", StringComparison.Ordinal));
        var path = Path.Combine(_host.DataDirectory, "early.dcm");
        await File.WriteAllBytesAsync(path, ReadEntry(zip, entry.FullName), Ct);
        var py = ExternalTools.Run(ExternalTools.Python, "-c", """
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            print(ds.PatientName); print(ds.PatientID); print(ds.SeriesInstanceUID); print(ds.StudyDate)
            print(ds.PatientIdentityRemoved); print(any(e.tag.is_private for e in ds)); print(ds.get("InstitutionName", "-")); print(ds.AccessionNumber == "")
            """, path);
        Assert.True(py.ExitCode == 0, py.Error);
        var lines = py.Output.Split('\n');
        Assert.Equal(kr["patient"], lines[0]);
        Assert.Equal(kr["patient"], lines[1]);
        Assert.Equal(kr["early_series_uid"], lines[2]);
        Assert.Equal(kr["scan_date"].Replace("-", ""), lines[3]);
        Assert.Equal(["YES", "False", "-", "True"], lines[4..8]);

        // The key file: only through the admin endpoint, stored 0600, and it re-identifies.
        Assert.True(first.GetProperty("hasKeyFile").GetBoolean());
        var id = first.GetProperty("id").GetGuid();
        var key = await _host.Http.GetStringAsync($"/api/reporting/admin/exports/{id}/key", Ct);
        Assert.Contains("\"patientId\":\"KR-7788\"", key);
        Assert.Contains($"\"pseudonym\":\"{kr["patient"]}\"", key);
        Assert.Contains("홍^길동", key);
        Assert.Contains(_korean.Early.SeriesInstanceUid, key);
        using (var noKey = await _host.Http.GetAsync($"/api/reporting/exports/{id}/files/key.jsonl", Ct))
            Assert.Equal(HttpStatusCode.NotFound, noKey.StatusCode);
        var keyBlob = Directory.GetFiles(Path.Combine(_host.DataDirectory, "blobs", "reporting", "keys")).Single(f => f.Contains(id.ToString("N")));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyBlob));
    }

    [Fact]
    public async Task Filters_select_pairs_by_metastasis_site_restoration_and_date()
    {
        var rib = ReadCsv(await FileAsync(await ExportAsync(new { deidentify = false, metastasisSite = "Rib", images = "None" }), "pairs.csv"));
        Assert.Equal(["KR-7788"], rib.Select(r => r["patient"]));
        var notRestored = ReadCsv(await FileAsync(await ExportAsync(new { deidentify = false, hasRestored = false, images = "None" }), "pairs.csv"));
        Assert.Equal(["US-1234"], notRestored.Select(r => r["patient"]));
        var byDate = ReadCsv(await FileAsync(await ExportAsync(new { deidentify = false, dateFrom = "2026-11-11", dateTo = "2026-11-30", images = "None" }), "pairs.csv"));
        Assert.Equal(["US-1234"], byDate.Select(r => r["patient"]));
        var category = ReadCsv(await FileAsync(await ExportAsync(new { deidentify = false, impressionCategories = new[] { "NoMetastasis" }, images = "None" }), "pairs.csv"));
        Assert.Equal(["US-1234"], category.Select(r => r["patient"]));
    }

    [Fact]
    public async Task Png_export_has_one_png_per_frame_and_day_offsets_when_asked()
    {
        var status = await ExportAsync(new { deidentify = true, images = "Png", dates = "Offset" });
        using var zip = new ZipArchive(new MemoryStream(await FileAsync(status, "images.zip")));
        var pngs = zip.Entries.Where(e => e.FullName.EndsWith(".png", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, pngs.Count); // 5 instances x 2 frames
        Assert.All(pngs, p => Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, ReadEntry(zip, p.FullName)[..4]));
        var rows = ReadCsv(await FileAsync(status, "pairs.csv"));
        Assert.All(rows, r => Assert.Equal("", r["scan_date"]));
        Assert.All(rows, r => Assert.Equal("0", r["day_offset"]));
    }

    [Fact]
    public async Task Bad_requests_and_unknown_exports_are_refused()
    {
        using var bad = await _host.Http.PostAsync("/api/reporting/exports", new StringContent("{\"images\":\"tiff\"}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var reversed = await _host.Http.PostAsJsonAsync("/api/reporting/exports", new { dateFrom = "2026-12-01", dateTo = "2026-11-01" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        using var missing = await _host.Http.GetAsync($"/api/reporting/exports/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Every entry of a zip (XLSX parts, exported files), decompressed, and nested zips too.</summary>
    private static IEnumerable<(string, byte[])> Unzip(byte[] bytes, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var entries = zip.Entries.Select(e => (Name: $"{name}!{e.FullName}", Bytes: ReadEntry(zip, e.FullName), e.FullName)).ToList();
        foreach (var (entryName, entryBytes, fullName) in entries)
        {
            yield return (entryName, entryBytes);
            if (fullName.EndsWith(".xlsx", StringComparison.Ordinal))
                foreach (var inner in Unzip(entryBytes, entryName)) yield return inner;
        }
    }
}
