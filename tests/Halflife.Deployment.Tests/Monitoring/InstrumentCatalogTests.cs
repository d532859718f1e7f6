namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>The source scanner on small samples, so a miss in the real tree is a real miss.</summary>
public sealed class InstrumentCatalogTests
{
    [Fact]
    public void Reads_literals_constants_concatenations_and_units_by_name_or_position()
    {
        const string telemetry = """
            public static class T
            {
                public const string Prefix = "halflife.tiles";
                public const string Duration = Prefix + ".duration";
                // m.CreateCounter<long>("commented.out");
                static readonly Histogram<double> D = Meter.CreateHistogram<double>(Duration, unit: "ms", description: "x");
                static readonly Counter<long> C = meter.CreateCounter<long>("halflife.tiles.served", "{tile}", "Tiles, (served)");
                static readonly ObservableGauge<int> G = meter.CreateObservableGauge<int>("halflife.tiles.cached", () => Count(1, 2), "By");
                static readonly UpDownCounter<long> U = meter.CreateUpDownCounter<long>(T.Prefix + ".open");
            }
            """;
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/Imaging/Telemetry.cs", telemetry)]);
        Assert.Empty(unresolved);
        Assert.Equal(
            ["halflife.tiles.duration|ms|Histogram", "halflife.tiles.served|{tile}|Counter", "halflife.tiles.cached|By|ObservableGauge", "halflife.tiles.open||UpDownCounter"],
            instruments.Select(i => $"{i.Name}|{i.Unit}|{i.Kind}"));
        Assert.All(instruments, i => Assert.Equal("Imaging", i.Area));
    }

    [Fact]
    public void Reports_names_computed_at_run_time()
    {
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/X/A.cs", "var c = meter.CreateCounter<long>($\"{service}.requests\");")]);
        Assert.Empty(instruments);
        Assert.Equal("services/X/A.cs:1", Assert.Single(unresolved).Source);
    }
}
