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
    public void Finds_an_observable_instrument_whose_type_argument_is_inferred_from_its_callback()
    {
        const string gauge = """
            sealed class QueueDepthGauge
            {
                private static readonly ObservableGauge<long> Gauge = Telemetry.Meter.CreateObservableGauge(
                    Telemetry.QueueDepthName, Observe, unit: "{job}", description: "Jobs queued or running.");
            }
            static class Telemetry { public const string QueueDepthName = "halflife.jobs.queue.depth"; }
            """;
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/Jobs/Gauge.cs", gauge)]);
        Assert.Empty(unresolved);
        Assert.Equal("halflife.jobs.queue.depth|{job}|ObservableGauge", instruments.Select(i => $"{i.Name}|{i.Unit}|{i.Kind}").Single());
    }

    [Fact]
    public void Reports_names_computed_at_run_time()
    {
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/X/A.cs", "class A { void M() { var c = meter.CreateCounter<long>($\"{service}.requests\"); } }")]);
        Assert.Empty(instruments);
        Assert.Equal("services/X/A.cs:1", Assert.Single(unresolved).Source);
    }

    // Two services each with a constant called DurationName: the one each class means must be the one it gets.
    private const string Denoise = """
        namespace Halflife.Denoise;
        public static class DenoiseTelemetry
        {
            public const string DurationName = "halflife.denoise.duration";
            public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(DurationName, "ms");
        }
        """;

    private const string Restore = """
        namespace Halflife.Restore;
        public static class RestoreTelemetry
        {
            public const string DurationName = "halflife.restore.duration";
            public const string Unit = "s";
            public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(DurationName, Unit);
        }
        """;

    [Fact]
    public void A_bare_constant_name_means_the_one_in_the_enclosing_class_even_when_another_class_declares_it_too()
    {
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/Denoise/T.cs", Denoise), ("services/Restore/T.cs", Restore)]);
        Assert.Empty(unresolved);
        Assert.Equal(["halflife.denoise.duration|ms|Denoise", "halflife.restore.duration|s|Restore"], instruments.Select(i => $"{i.Name}|{i.Unit}|{i.Area}"));
    }

    [Fact]
    public void A_qualified_constant_is_looked_up_in_the_class_it_names()
    {
        const string metrics = """
            using Halflife.Restore;
            namespace Halflife.Reporting;
            sealed class Metrics
            {
                private const string DurationName = "halflife.reporting.wrong";
                static readonly Counter<long> C = meter.CreateCounter<long>(RestoreTelemetry.DurationName + ".total");
                static readonly Counter<long> D = meter.CreateCounter<long>(Halflife.Denoise.DenoiseTelemetry.DurationName);
            }
            """;
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/Denoise/T.cs", Denoise), ("services/Restore/T.cs", Restore), ("services/Reporting/M.cs", metrics)]);
        Assert.Empty(unresolved);
        Assert.Equal(["halflife.restore.duration.total", "halflife.denoise.duration"], instruments.Where(i => i.Area == "Reporting").Select(i => i.Name));
    }

    [Fact]
    public void A_bare_constant_imported_with_using_static_is_found_in_the_imported_class()
    {
        const string metrics = """
            using static Halflife.Restore.RestoreTelemetry;
            sealed class Metrics
            {
                static readonly Counter<long> C = meter.CreateCounter<long>(DurationName);
            }
            """;
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/Denoise/T.cs", Denoise), ("services/Restore/T.cs", Restore), ("services/Reporting/M.cs", metrics)]);
        Assert.Empty(unresolved);
        Assert.Equal("halflife.restore.duration", instruments.Single(i => i.Area == "Reporting").Name);
    }

    [Fact]
    public void A_bare_constant_that_two_classes_declare_is_reported_as_ambiguous_instead_of_picking_the_first()
    {
        const string metrics = """
            sealed class Metrics
            {
                static readonly Counter<long> C = meter.CreateCounter<long>(DurationName);
            }
            """;
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/Denoise/T.cs", Denoise), ("services/Restore/T.cs", Restore), ("services/Reporting/M.cs", metrics)]);
        Assert.DoesNotContain(instruments, i => i.Area == "Reporting");
        var problem = Assert.Single(unresolved).Problem;
        Assert.Contains("ambiguous", problem, StringComparison.Ordinal);
        Assert.Contains("DenoiseTelemetry.DurationName", problem, StringComparison.Ordinal);
        Assert.Contains("RestoreTelemetry.DurationName", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_constant_no_class_declares_is_reported_by_name()
    {
        var (_, unresolved) = InstrumentCatalog.Scan([("services/X/A.cs", "class A { static readonly Counter<long> C = meter.CreateCounter<long>(Names.Missing); }")]);
        Assert.Contains("Names.Missing", Assert.Single(unresolved).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Braces_inside_strings_and_char_literals_do_not_end_a_class_early()
    {
        const string text = """
            class Outer
            {
                const string Json = "{ \"a\": { }";
                const char Close = '}';
                const string Raw = "x";
                public const string Name = "halflife.outer.requests";
                static readonly Counter<long> C = meter.CreateCounter<long>(Name);
            }
            class Other { public const string Name = "halflife.other"; }
            """;
        var (instruments, unresolved) = InstrumentCatalog.Scan([("services/X/A.cs", text)]);
        Assert.Empty(unresolved);
        Assert.Equal("halflife.outer.requests", Assert.Single(instruments).Name);
    }
}
