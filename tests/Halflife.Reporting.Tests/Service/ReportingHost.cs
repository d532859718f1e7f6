using Halflife.Contracts;
using Halflife.Dicom;
using Halflife.Reporting.Data;
using Halflife.Reporting.Hl7;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;
using Halflife.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Tests.Service;

/// <summary>
/// Reporting alone on the embedded default (in-memory bus, SQLite, blob folder) in a temp folder, with the HL7
/// listener on a free loopback port. Studies arrive the way they do in production: as InstanceReceived events.
/// </summary>
public sealed class ReportingHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ReportingHost(WebApplication app, string data)
    {
        _app = app;
        DataDirectory = data;
    }

    public string DataDirectory { get; }
    public IServiceProvider Services => _app.Services;
    public HttpClient Http { get; private set; } = null!;
    public int Hl7Port { get; private set; }
    public IBlobStore Blobs => Services.GetRequiredService<IBlobStore>();

    public static async Task<ReportingHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "halflife-reporting-" + Guid.NewGuid().ToString("N"));
        var app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "reporting", [new ReportingModule()], builder =>
        {
            var config = new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = data,
                ["Reporting:Hl7:Enabled"] = "true",
                ["Reporting:Hl7:Host"] = "127.0.0.1",
                ["Reporting:Hl7:Port"] = "0",
                ["Reporting:Export:PseudonymKey"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("test-pseudonym-key-0123456789abcdef")),
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (k, v) in TestIdentity.Settings()) config[k] = v;
            foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
            builder.Configuration.AddInMemoryCollection(config);
        });
        var host = new ReportingHost(app, data);
        await app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(120) };
        // Security is enforced as in production; exports and key routes need an admin.
        host.Http.DefaultRequestHeaders.Authorization = TestIdentity.Bearer(Roles.Admin);
        if (settings?.TryGetValue("Reporting:Hl7:Enabled", out var enabled) != true || enabled == "true")
            host.Hl7Port = await app.Services.GetRequiredService<MllpListener>().Port.WaitAsync(TimeSpan.FromSeconds(10));
        return host;
    }

    /// <summary>Stores the file as Ingest would and announces it; waits until Reporting has indexed it.</summary>
    public async Task<Guid> ReceiveAsync(DicomFile file, CancellationToken ct)
    {
        var ds = file.Dataset;
        var sop = ds.GetString(DicomTag.SOPInstanceUID);
        var key = $"test/instances/{sop}.dcm";
        using (var buffer = new MemoryStream())
        {
            file.Save(buffer);
            buffer.Position = 0;
            await Blobs.PutAsync(key, buffer, "application/dicom", ct);
        }
        string? S(DicomTag tag) => ds.TryGetString(tag, out var v) && v.Length > 0 ? v : null;
        string? injection = null, agent = null;
        if (ds.TryGetSequence(DicomTag.RadiopharmaceuticalInformationSequence, out var rp) && rp.Items.Count > 0)
        {
            injection = rp.Items[0].TryGetString(DicomTag.RadiopharmaceuticalStartTime, out var t) ? t : null;
            agent = rp.Items[0].TryGetString(DicomTag.Radiopharmaceutical, out var a) ? a : null;
        }
        var context = new StudyContext(S(DicomTag.PatientID), S(DicomTag.PatientName), S(DicomTag.PatientSex), S(DicomTag.PatientBirthDate),
            S(DicomTag.StudyDate), S(DicomTag.StudyTime), S(DicomTag.AccessionNumber), S(DicomTag.StudyDescription),
            S(DicomTag.SeriesDescription), S(DicomTag.SeriesDate), S(DicomTag.SeriesTime), S(DicomTag.AcquisitionTime), injection, agent,
            S(DicomTag.InstitutionName));
        var id = Guid.NewGuid();
        await Services.GetRequiredService<IBus>().Publish(new InstanceReceived(id, ds.GetString(DicomTag.StudyInstanceUID),
            ds.GetString(DicomTag.SeriesInstanceUID), sop, ds.GetString(DicomTag.SOPClassUID), S(DicomTag.Modality), key, 0, null,
            DateTimeOffset.UtcNow, context), ct);
        await WaitUntilAsync(db => db.Instances.AnyAsync(i => i.InstanceId == id, ct), ct);
        return id;
    }

    public async Task PublishAsync<T>(T message, CancellationToken ct) where T : class =>
        await Services.GetRequiredService<IBus>().Publish(message, ct);

    public async Task WaitUntilAsync(Func<ReportingDbContext, Task<bool>> condition, CancellationToken ct, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            using (var scope = Services.CreateScope())
                if (await condition(scope.ServiceProvider.GetRequiredService<ReportingDbContext>())) return;
            if (DateTime.UtcNow > deadline) Assert.Fail("The condition did not become true within " + seconds + " s.");
            await Task.Delay(50, ct);
        }
    }

    public async Task<T> QueryAsync<T>(Func<ReportingDbContext, Task<T>> query)
    {
        using var scope = Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
