using System.Diagnostics;
using System.Text;
using Halflife.Testing;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Tests.Service;

/// <summary>The MLLP listener against our own peer (ACK and NAK cases) and against python-hl7's mllp_send.</summary>
public sealed class Hl7ListenerTests : IAsyncLifetime
{
    private ReportingHost _host = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Hl7ListenerTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async ValueTask InitializeAsync() => _host = await ReportingHost.StartAsync();
    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Utf8_oru_is_accepted_with_escapes_and_repetitions_unfolded()
    {
        using var client = await MllpTestClient.ConnectAsync(_host.Hl7Port);
        var ack = await client.SendAsync(Oru.Message("C1", "ACC-H1", "P-H1", "20261101103000",
            ["소견:\\.br\\Rt. 6th rib에 focal uptake 증가~골절 가능성 \\F\\ 추적 검사 요망.", "결론: 골절 가능성."]));

        var (code, controlId, _) = Oru.Msa(ack);
        Assert.Equal("AA", code);
        Assert.Equal("C1", controlId);
        Assert.Contains("ACK^R01^ACK", ack);
        var version = await _host.QueryAsync(db => db.ReportVersions.AsNoTracking().SingleAsync(v => v.ControlId == "C1", Ct));
        Assert.Equal("소견:\nRt. 6th rib에 focal uptake 증가\n골절 가능성 | 추적 검사 요망.\n결론: 골절 가능성.", version.Text);
        Assert.Equal("hl7", version.Source);
        Assert.Equal("Kim Radiologist", version.Author);
        var report = await _host.QueryAsync(db => db.Reports.AsNoTracking().SingleAsync(r => r.Id == version.ReportId, Ct));
        Assert.Equal("ACC-H1", report.AccessionNumber);
        Assert.Equal("P-H1", report.PatientId);
        Assert.Equal("20261101", report.StudyDate);
    }

    [Fact]
    public async Task Euc_kr_labelled_ks_x_1001_round_trips_and_the_ack_answers_in_it()
    {
        var euckr = Encoding.GetEncoding(949);
        using var client = await MllpTestClient.ConnectAsync(_host.Hl7Port);
        var ack = await client.SendAsync(Oru.Message("K1", "ACC-K1", "P-K1", "20261101", ["결론: 골전이 소견 없음."], charset: "KS X 1001"), euckr);
        Assert.Equal("AA", Oru.Msa(ack).Code);
        Assert.Contains("|KS X 1001", ack);
        var text = await _host.QueryAsync(db => db.ReportVersions.AsNoTracking().Where(v => v.ControlId == "K1").Select(v => v.Text).SingleAsync(Ct));
        Assert.Equal("결론: 골전이 소견 없음.", text);
    }

    [Fact]
    public async Task Unlabelled_euc_kr_is_read_with_the_fallback_encoding()
    {
        using var client = await MllpTestClient.ConnectAsync(_host.Hl7Port);
        var ack = await client.SendAsync(Oru.Message("K2", "ACC-K2", "P-K2", "20261101", ["우측 대퇴골 섭취 증가."], charset: ""), Encoding.GetEncoding(51949));
        Assert.Equal("AA", Oru.Msa(ack).Code);
        var text = await _host.QueryAsync(db => db.ReportVersions.AsNoTracking().Where(v => v.ControlId == "K2").Select(v => v.Text).SingleAsync(Ct));
        Assert.Equal("우측 대퇴골 섭취 증가.", text);
    }

    [Fact]
    public async Task Delimiters_are_taken_from_msh_1_and_msh_2()
    {
        using var client = await MllpTestClient.ConnectAsync(_host.Hl7Port);
        var ack = await client.SendAsync(Oru.Message("D1", "ACC-D1", "P-D1", "20261101", ["Uptake in L4 !F! r/o metastasis."],
            field: '#', encoding: "$*!@"));
        Assert.Equal("AA", Oru.Msa(ack).Code);
        Assert.StartsWith("MSH#$*!@#", ack);
        var text = await _host.QueryAsync(db => db.ReportVersions.AsNoTracking().Where(v => v.ControlId == "D1").Select(v => v.Text).SingleAsync(Ct));
        Assert.Equal("Uptake in L4 # r/o metastasis.", text);
    }

    [Fact]
    public async Task Repeated_control_id_is_a_duplicate_and_a_corrected_result_is_a_new_version()
    {
        using var client = await MllpTestClient.ConnectAsync(_host.Hl7Port);
        var first = Oru.Message("V1", "ACC-V1", "P-V1", "20261101", ["IMPRESSION: Suspicious for metastasis in T10."]);
        Assert.Equal("AA", Oru.Msa(await client.SendAsync(first)).Code);
        var again = await client.SendAsync(first);
        Assert.Equal("AA", Oru.Msa(again).Code);
        Assert.Contains("Duplicate", again);
        var corrected = await client.SendAsync(Oru.Message("V2", "ACC-V1", "P-V1", "20261101",
            ["IMPRESSION: Compression fracture of T10. No metastasis."], status: "C"));
        Assert.Equal("AA", Oru.Msa(corrected).Code);
        Assert.Contains("Amended", corrected);

        var versions = await _host.QueryAsync(db => db.ReportVersions.AsNoTracking().Join(db.Reports.Where(r => r.AccessionNumber == "ACC-V1"),
            v => v.ReportId, r => r.Id, (v, r) => v).OrderBy(v => v.Version).ToListAsync(Ct));
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal(["F", "C"], versions.Select(v => v.ResultStatus));
        Assert.Equal("Equivocal", versions[0].ImpressionCategory);
        Assert.NotEqual("Equivocal", versions[1].ImpressionCategory);
    }

    [Fact]
    public async Task Malformed_messages_get_nak_with_a_reason_and_the_connection_stays_usable()
    {
        using var client = await MllpTestClient.ConnectAsync(_host.Hl7Port);

        var notHl7 = await client.SendAsync("hello, this is not HL7");
        Assert.Equal("AR", Oru.Msa(notHl7).Code);
        Assert.Contains("MSH", Oru.Msa(notHl7).Text);
        Assert.Equal("100", Oru.ErrCode(notHl7));

        var adt = await client.SendAsync("MSH|^~\\&|ADT|H|HALFLIFE|R|20261101||ADT^A01|A1|P|2.5.1\rPID|1||P9\r");
        Assert.Equal(("AR", "A1"), (Oru.Msa(adt).Code, Oru.Msa(adt).ControlId));
        Assert.Equal("200", Oru.ErrCode(adt));

        var noText = await client.SendAsync("MSH|^~\\&|RIS|H|HALFLIFE|R|20261101||ORU^R01|N1|P|2.5.1\rPID|1||P9\rOBR|1||ACC-N1\r");
        Assert.Equal("AE", Oru.Msa(noText).Code);
        Assert.Equal("101", Oru.ErrCode(noText));

        var charset = await client.SendAsync(Oru.Message("N2", "ACC-N2", "P", "20261101", ["normal"], charset: "KLINGON"));
        Assert.Equal("AR", Oru.Msa(charset).Code);
        Assert.Equal("203", Oru.ErrCode(charset));

        var badUtf8 = Encoding.UTF8.GetString(await client.SendFrameAsync(
            [.. Encoding.ASCII.GetBytes(Oru.Message("N3", "ACC-N3", "P", "20261101", ["X"], charset: "UNICODE UTF-8").Replace("X", "")), 0xC3, 0x28]));
        Assert.Equal("AR", Oru.Msa(badUtf8).Code);

        // Bytes without a start block are answered too, then the next good frame still works.
        await client.SendRawAsync([.. Encoding.ASCII.GetBytes("MSH|^~\\&|RIS|H|||20261101||ORU^R01|S1|P|2.5.1\r"), 0x1C, 0x0D]);
        var stray = Encoding.UTF8.GetString(await client.ReadFrameAsync());
        Assert.Equal("AR", Oru.Msa(stray).Code);
        Assert.Contains("<VT>", Oru.Msa(stray).Text);

        var good = await client.SendAsync(Oru.Message("G1", "ACC-G1", "P-G1", "20261101", ["No abnormal uptake."]));
        Assert.Equal("AA", Oru.Msa(good).Code);
        Assert.Equal(0, await _host.QueryAsync(db => db.ReportVersions.CountAsync(v => v.ControlId!.StartsWith("N"), Ct)));
    }

    [Fact]
    public async Task Oversized_frame_is_rejected_and_the_connection_closed()
    {
        await using var host = await ReportingHost.StartAsync(new Dictionary<string, string?> { ["Reporting:Hl7:MaxMessageBytes"] = "4096" });
        using var client = await MllpTestClient.ConnectAsync(host.Hl7Port);
        var big = Oru.Message("B1", "ACC-B1", "P-B1", "20261101", [new string('x', 10_000)]);
        await client.SendRawAsync([0x0B, .. Encoding.UTF8.GetBytes(big)]);
        var answer = Encoding.UTF8.GetString(await client.ReadFrameAsync());
        Assert.Equal(("AR", "B1"), (Oru.Msa(answer).Code, Oru.Msa(answer).ControlId));
        Assert.Contains("4096", Oru.Msa(answer).Text);
        Assert.True(await client.IsClosedByPeerAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Silent_and_slow_peers_are_disconnected_while_others_are_served()
    {
        await using var host = await ReportingHost.StartAsync(new Dictionary<string, string?>
        {
            ["Reporting:Hl7:IdleTimeout"] = "00:00:01", ["Reporting:Hl7:MessageTimeout"] = "00:00:02",
        });
        using var silent = await MllpTestClient.ConnectAsync(host.Hl7Port);
        using var slow = await MllpTestClient.ConnectAsync(host.Hl7Port);
        await slow.SendRawAsync([0x0B, .. "MSH|^~\\&|"u8.ToArray()]);

        using (var other = await MllpTestClient.ConnectAsync(host.Hl7Port))
            Assert.Equal("AA", Oru.Msa(await other.SendAsync(Oru.Message("O1", "ACC-O1", "P-O1", "20261101", ["Normal."]))).Code);

        Assert.True(await silent.IsClosedByPeerAsync(TimeSpan.FromSeconds(15)), "the silent peer was not disconnected");
        // The slow peer's half frame is answered AR (timeout) before the close.
        var answer = Encoding.UTF8.GetString(await slow.ReadFrameAsync(15));
        Assert.Equal("AR", Oru.Msa(answer).Code);
        Assert.True(await slow.IsClosedByPeerAsync(TimeSpan.FromSeconds(15)), "the slow peer was not disconnected");
    }

    [Fact]
    public async Task Mllp_send_from_python_hl7_gets_an_ack_per_message()
    {
        const string tool = "/usr/bin/mllp_send";
        if (!File.Exists(tool)) TestServers.Unavailable("mllp_send (apt python3-hl7)");
        var file = Path.Combine(Path.GetTempPath(), $"halflife-oru-{Guid.NewGuid():N}.hl7");
        var messages = Oru.Message("M1", "ACC-M1", "P-M1", "20261103", ["Rt. 6th rib에 focal uptake 증가, 골절 가능성."])
                       + Oru.Message("M2", "ACC-M2", "P-M2", "20261103", ["IMPRESSION: Multiple bone metastases."]);
        await File.WriteAllTextAsync(file, messages.Replace("\r", "\r\n", StringComparison.Ordinal), new UTF8Encoding(false), Ct);
        try
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--port", _host.Hl7Port.ToString(), "--file", file, "--loose", "127.0.0.1" }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(Ct);
            var error = await process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            Assert.True(process.ExitCode == 0, error);
            var msas = output.Split(['\r', '\n']).Where(l => l.StartsWith("MSA", StringComparison.Ordinal)).ToList();
            Assert.Equal(["MSA|AA|M1", "MSA|AA|M2"], msas.Select(m => string.Join('|', m.Split('|').Take(3))));
        }
        finally
        {
            File.Delete(file);
        }
        var stored = await _host.QueryAsync(db => db.ReportVersions.AsNoTracking().Where(v => v.ControlId == "M1" || v.ControlId == "M2")
            .OrderBy(v => v.ControlId).ToListAsync(Ct));
        Assert.Equal("Rt. 6th rib에 focal uptake 증가, 골절 가능성.", stored[0].Text);
        Assert.Equal("Metastasis", stored[1].ImpressionCategory);
    }
}
