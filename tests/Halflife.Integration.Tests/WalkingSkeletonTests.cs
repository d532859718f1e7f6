using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Halflife.Contracts;
using Halflife.Gateway;
using Halflife.Ingest;
using Halflife.Restore;
using Halflife.Restore.Api;
using Halflife.ServiceDefaults.Hosting;
using Halflife.Standalone;
using Halflife.Testing;

namespace Halflife.Integration.Tests;

/// <summary>
/// The thinnest slice end to end: a DICOM file POSTed through the gateway is stored by Ingest, the event crosses the
/// bus to Restore, which writes a derived object that is then downloaded through the gateway — in the embedded
/// default and distributed over RabbitMQ, PostgreSQL and S3. One trace must span the whole path.
/// </summary>
[Collection(nameof(SpanCollection))]
public sealed class WalkingSkeletonTests(SpanFixture spans) : IDisposable
{
    private static readonly string NmFile = TestPaths.Data("dicom", "poumonsReins.dcm");
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "halflife-it-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Embedded_default_stores_restores_and_serves_the_derived_object_in_one_trace()
    {
        await using var host = await TestHost.StartAsync(StandaloneApp.Create, new Dictionary<string, string?>
        {
            ["Halflife:DataDirectory"] = _dataDirectory,
        });
        // As the README says: the first start creates "admin" with a one-time password in the data folder.
        using var client = await FirstAdminAsync(host);

        var traceId = await RunSliceAsync(client);

        var trace = spans.Collector.InTrace(traceId);
        Assert.Contains(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        Assert.Contains(trace, s => s.Source.Name == "Halflife.Ingest" && s.OperationName == "ingest store instance");
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
        Assert.Contains(trace, s => s.Source.Name == "Halflife.Restore" && s.OperationName == "restore instance");
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "db", "halflife_ingest.db")), "Ingest's SQLite catalogue is under the data directory");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dataDirectory, "blobs", "restore", "derived")));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Distributed_services_behind_the_gateway_use_rabbitmq_postgres_and_s3_in_one_trace()
    {
        var run = "it" + Guid.NewGuid().ToString("N")[..10];
        var settings = TestServers.DistributedSettings(run);
        settings["Halflife:DataDirectory"] = _dataDirectory;
        await using var ingest = await TestHost.StartAsync(Service(new IngestModule()), settings);
        await using var restore = await TestHost.StartAsync(Service(new RestoreModule()), settings);
        await using var gateway = await TestHost.StartAsync(Service(new GatewayModule()), new Dictionary<string, string?>(settings)
        {
            ["Gateway:Services:ingest"] = ingest.Address.ToString(),
            ["Gateway:Services:restore"] = restore.Address.ToString(),
        });
        using var client = gateway.Client();

        var traceId = await RunSliceAsync(client);

        var trace = spans.Collector.InTrace(traceId);
        // Gateway and Ingest each serve the upload (two server spans), joined by YARP's outgoing HTTP call.
        Assert.True(trace.Count(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server) >= 2,
            "the upload passes the gateway and then Ingest within one trace");
        Assert.Contains(trace, s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client);
        Assert.Contains(trace, s => s.Source.Name == "Halflife.Ingest" && s.OperationName == "ingest store instance");
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
        Assert.Contains(trace, s => s.Source.Name == "Halflife.Restore" && s.OperationName == "restore instance");
        Assert.False(Directory.Exists(Path.Combine(_dataDirectory, "blobs")), "blobs went to S3, not to the local folder");
    }

    /// <summary>Upload, wait for the derived object, download it; returns the trace id of the upload.</summary>
    private static async Task<ActivityTraceId> RunSliceAsync(HttpClient client)
    {
        var ct = TestContext.Current.CancellationToken;
        var original = await File.ReadAllBytesAsync(NmFile, ct);
        using var content = new ByteArrayContent(original);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");

        using var upload = await client.PostAsync("/api/ingest/instances", content, ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var stored = await upload.Content.ReadFromJsonAsync<StoredInstance>(ct);
        Assert.NotNull(stored);
        Assert.False(stored.Duplicate);
        var traceId = TraceIdOf(upload);

        // Sending the same instance again is harmless: same id, marked duplicate, nothing new downstream.
        using var again = await client.PostAsync("/api/ingest/instances", new ByteArrayContent(original) { Headers = { ContentType = new("application/dicom") } }, ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(stored.InstanceId, (await again.Content.ReadFromJsonAsync<StoredInstance>(ct))!.InstanceId);

        var derived = await PollAsync(async () =>
        {
            var list = await client.GetFromJsonAsync<List<DerivedInstanceDto>>($"/api/restore/derived?sourceInstanceId={stored.InstanceId}", ct);
            return list is { Count: > 0 } ? list : null;
        });
        Assert.Single(derived);

        var bytes = await client.GetByteArrayAsync($"/api/restore/derived/{derived[0].Id}/file", ct);
        // The restored object: a new instance in a derived series of the same study, pointing back at the original.
        var source = Halflife.Dicom.DicomFile.Open(new MemoryStream(original)).Dataset;
        var restored = Halflife.Dicom.DicomFile.Open(new MemoryStream(bytes)).Dataset;
        Assert.NotEqual(source.GetString(Halflife.Dicom.DicomTag.SOPInstanceUID), restored.GetString(Halflife.Dicom.DicomTag.SOPInstanceUID));
        Assert.Equal(source.GetString(Halflife.Dicom.DicomTag.StudyInstanceUID), restored.GetString(Halflife.Dicom.DicomTag.StudyInstanceUID));
        Assert.Contains("DERIVED", restored.GetValues<string>(Halflife.Dicom.DicomTag.ImageType));
        Assert.Equal(source.GetString(Halflife.Dicom.DicomTag.SOPInstanceUID),
            restored.GetSequence(Halflife.Dicom.DicomTag.SourceImageSequence).Single().GetString(Halflife.Dicom.DicomTag.ReferencedSOPInstanceUID));
        var catalogue = await client.GetFromJsonAsync<PagedResult<StudySummary>>($"/api/ingest/studies?modality=NM", ct);
        Assert.Contains(catalogue!.Items, s => s.StudyInstanceUid == stored.StudyInstanceUid && s.InstanceCount == 1);
        return traceId;
    }

    /// <summary>Logs in with the password the first start wrote to data/initial-admin-password.</summary>
    private async Task<HttpClient> FirstAdminAsync(TestHost host)
    {
        var ct = TestContext.Current.CancellationToken;
        var password = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "initial-admin-password"), ct)).Trim();
        var client = host.Anonymous();
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password }, ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("accessToken").GetString()!;
        return client.WithToken(token);
    }

    /// <summary>Every response carries its trace context in the traceresponse header.</summary>
    private static ActivityTraceId TraceIdOf(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("traceresponse", out var values) ? values.First() : null;
        Assert.False(header is null, "the gateway returns the trace context in traceresponse");
        return ActivityTraceId.CreateFromString(header.Split('-')[1]);
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("The derived object did not appear within 60 s.");
    }

    private static Func<string[], Action<WebApplicationBuilder>, WebApplication> Service(IServiceModule module) =>
        (args, configure) => HalflifeApplication.Create(args, module.Name, [module], configure);

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}

public sealed class SpanFixture : IDisposable
{
    public SpanCollector Collector { get; } = new();
    public void Dispose() => Collector.Dispose();
}

[CollectionDefinition(nameof(SpanCollection))]
public sealed class SpanCollection : ICollectionFixture<SpanFixture>;
