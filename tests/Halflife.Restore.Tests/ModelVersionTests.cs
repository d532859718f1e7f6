using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Halflife.Dicom;
using Halflife.Models.Api;
using Halflife.Restore.Api;
using Halflife.Testing;

namespace Halflife.Restore.Tests;

/// <summary>
/// Restore takes its model from the registry: seeded on first start, and a version activated through the API is
/// used for the next instance without a restart; every result names the version that made it.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ModelVersionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_activating_v2_new_results_record_v2_in_the_row_the_event_and_the_dicom()
    {
        // A long poll interval: the switch must come from the activation itself, not from a timer. The 2 h -> 4 h
        // model is forced (the test file has no injection time, so auto mode would pick the count model).
        await using var host = await RestoreHost.StartAsync(new Dictionary<string, string?>
        {
            ["Models:ActivePollInterval"] = "01:00:00", ["Restore:Mode"] = "early-to-standard",
        });

        var first = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct), Ct);
        Assert.Equal(("bone-restore", "1.0.0"), (first.ModelName, first.ModelVersion));

        var card = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "models", "bone-restore", "model-card.json"), Ct))!;
        card["version"] = "2.0.0";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(card.ToJsonString()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, "card", "card.json" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "models", "bone-restore", "bone-restore-v1.onnx"), Ct)), "model", "model.onnx" },
        };
        using (var upload = await host.Client.PostAsync("/api/models?activate=true", form, Ct))
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal("2.0.0", (await host.Client.GetFromJsonAsync<ActivationDto>("/api/models/bone-restore/active", Ct))!.Version);

        var second = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct), Ct);
        Assert.Equal(("bone-restore", "2.0.0"), (second.ModelName, second.ModelVersion));
        // A different model version is a different derived object, not an overwrite of the first.
        Assert.NotEqual(first.DerivedSopInstanceUid, second.DerivedSopInstanceUid);

        var dataset = await host.DerivedDatasetAsync(second, Ct);
        Assert.Equal("Restored with bone-restore 2.0.0 (Halflife)", dataset.GetString(DicomTag.DerivationDescription));
        Assert.Equal("2.0.0", dataset.GetSequence(DicomTag.ContributingEquipmentSequence).Last().GetString(DicomTag.SoftwareVersions));

        var events = await RestoreHost.PollAsync(() => Task.FromResult(host.Events.Restored.Count >= 2 ? host.Events.Restored.ToList() : null),
            TimeSpan.FromSeconds(30), "two ImageRestored events");
        Assert.Equal("1.0.0", events.Single(e => e.DerivedSopInstanceUid == first.DerivedSopInstanceUid).ModelVersion);
        Assert.Equal("2.0.0", events.Single(e => e.DerivedSopInstanceUid == second.DerivedSopInstanceUid).ModelVersion);

        var api = await host.Client.GetFromJsonAsync<DerivedInstanceDetailsDto>($"/api/restore/derived/{second.Id}", Ct);
        Assert.Equal("2.0.0", api!.Instance.ModelVersion);
    }

    [Fact]
    public async Task Restored_images_are_served_as_image_info_and_windowed_png()
    {
        await using var host = await RestoreHost.StartAsync();
        var derived = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct), Ct);

        var info = await host.Client.GetFromJsonAsync<JsonObject>($"/api/restore/derived/{derived.Id}/image", Ct);
        Assert.Equal((256, 256, 2), ((int)info!["width"]!, (int)info["height"]!, (int)info["frames"]!));
        Assert.True((double)info["maximum"]! > 0);

        using var png = await host.Client.GetAsync($"/api/restore/derived/{derived.Id}/render.png?frame=1&wc=40&ww=80", Ct);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await png.Content.ReadAsByteArrayAsync(Ct))[..4]);
        Assert.Equal("40", png.Headers.GetValues("X-Window-Center").Single());

        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.GetAsync($"/api/restore/derived/{derived.Id}/render.png?frame=2", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/restore/derived/{Guid.NewGuid()}/image", Ct)).StatusCode);
    }
}
