using Halflife.Contracts;
using Halflife.Dicom;

namespace Halflife.Restore.Tests;

/// <summary>
/// In auto mode the service restores each scan with the model that fits it, and every result says which model and
/// version made it: a scan of unknown timing with the count model, an early bone scan with the 2 h -> 4 h model.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ModelSelectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Auto_mode_records_the_model_it_chose_for_each_scan()
    {
        await using var host = await RestoreHost.StartAsync();

        var unknown = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct), Ct);
        Assert.Equal(("bone-denoise-counts", "1.0.0"), (unknown.ModelName, unknown.ModelVersion));
        var dataset = await host.DerivedDatasetAsync(unknown, Ct);
        Assert.Equal("Restored with bone-denoise-counts 1.0.0 (Halflife)", dataset.GetString(DicomTag.DerivationDescription));
        var equipment = dataset.GetSequence(DicomTag.ContributingEquipmentSequence).Last();
        Assert.Equal(("bone-denoise-counts", "1.0.0"), (equipment.GetString(DicomTag.ManufacturerModelName), equipment.GetString(DicomTag.SoftwareVersions)));

        var twoHours = new StudyContext(null, null, null, null, null, null, null, "BONE SCAN", "WB", null, null, "110000", "090000", "Tc99m MDP", null);
        var early = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct, twoHours), Ct);
        Assert.Equal(("bone-restore", "1.0.0"), (early.ModelName, early.ModelVersion));
        Assert.NotEqual(unknown.DerivedSopInstanceUid, early.DerivedSopInstanceUid);

        var events = await RestoreHost.PollAsync(() => Task.FromResult(host.Events.Restored.Count >= 2 ? host.Events.Restored.ToList() : null),
            TimeSpan.FromSeconds(30), "two ImageRestored events");
        Assert.Equal("bone-denoise-counts", events.Single(e => e.DerivedSopInstanceUid == unknown.DerivedSopInstanceUid).ModelName);
        Assert.Equal("bone-restore", events.Single(e => e.DerivedSopInstanceUid == early.DerivedSopInstanceUid).ModelName);
    }

    [Fact]
    public async Task A_mode_that_does_not_exist_stops_the_start()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await RestoreHost.StartAsync(new Dictionary<string, string?> { ["Restore:Mode"] = "fastest" });
        });
        Assert.Contains("Restore:Mode 'fastest'", e.ToString());
    }
}
