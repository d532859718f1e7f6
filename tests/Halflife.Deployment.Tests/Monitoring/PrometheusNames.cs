using System.Text.RegularExpressions;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>
/// The names an OTLP instrument gets in Prometheus after the OpenTelemetry Collector's prometheus exporter
/// (translator with metric suffixes on, the default): characters outside [a-zA-Z0-9_:] split the name into
/// tokens joined by '_'; the unit is appended as a word (ms -> milliseconds, By -> bytes, {annotations}
/// dropped, "1" on a gauge -> ratio, a/b -> a_per_b) unless the name already holds it; monotonic counters end
/// in _total; histograms are queried as _bucket, _sum and _count. docs/operations.md shows the same table.
/// </summary>
public static partial class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days", ["h"] = "hours", ["min"] = "minutes", ["s"] = "seconds", ["ms"] = "milliseconds",
        ["us"] = "microseconds", ["ns"] = "nanoseconds",
        ["By"] = "bytes", ["KiBy"] = "kibibytes", ["MiBy"] = "mebibytes", ["GiBy"] = "gibibytes", ["TiBy"] = "tibibytes",
        ["KBy"] = "kilobytes", ["MBy"] = "megabytes", ["GBy"] = "gigabytes", ["TBy"] = "terabytes",
        ["m"] = "meters", ["V"] = "volts", ["A"] = "amperes", ["J"] = "joules", ["W"] = "watts", ["g"] = "grams",
        ["Cel"] = "celsius", ["Hz"] = "hertz", ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second", ["m"] = "minute", ["h"] = "hour", ["d"] = "day", ["w"] = "week", ["mo"] = "month", ["y"] = "year",
    };

    /// <summary>The series names a query may use for this instrument.</summary>
    public static IReadOnlyList<string> SeriesOf(Instrument instrument)
    {
        var name = BaseName(instrument.Name, instrument.Unit, instrument.Kind);
        return instrument.Kind == InstrumentKind.Histogram ? [name + "_bucket", name + "_sum", name + "_count"] : [name];
    }

    public static string BaseName(string instrumentName, string? unit, InstrumentKind kind)
    {
        var tokens = InvalidCharacters().Split(instrumentName).Where(t => t.Length > 0).ToList();
        var monotonic = kind is InstrumentKind.Counter or InstrumentKind.ObservableCounter;
        var gauge = kind is InstrumentKind.Gauge or InstrumentKind.ObservableGauge;

        var (main, per) = UnitWords(unit);
        if (main.Length > 0 && !tokens.Contains(main, StringComparer.Ordinal)) tokens.Add(main);
        if (per.Length > 0 && !tokens.Contains(per, StringComparer.Ordinal)) tokens.AddRange(["per", per]);
        if (gauge && unit == "1" && !tokens.Contains("ratio", StringComparer.Ordinal)) tokens.Add("ratio");
        // A counter ends in "total" exactly once: the translator moves the token to the end.
        if (monotonic)
        {
            tokens.RemoveAll(t => t == "total");
            tokens.Add("total");
        }

        var joined = string.Join('_', tokens);
        return joined.Length > 0 && char.IsDigit(joined[0]) ? "_" + joined : joined;
    }

    private static (string Main, string Per) UnitWords(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit)) return ("", "");
        var clean = Annotations().Replace(unit, "").Trim();
        if (clean.Length == 0 || clean == "1") return ("", "");
        var slash = clean.IndexOf('/');
        var main = slash < 0 ? clean : clean[..slash];
        var per = slash < 0 ? "" : clean[(slash + 1)..];
        return (Word(main, Units), Word(per, PerUnits));
    }

    private static string Word(string unit, Dictionary<string, string> table)
    {
        if (unit.Length == 0) return "";
        var word = table.TryGetValue(unit, out var mapped) ? mapped : unit;
        return string.Join('_', InvalidCharacters().Split(word).Where(t => t.Length > 0));
    }

    [GeneratedRegex(@"[^a-zA-Z0-9:_]+|_+")]
    private static partial Regex InvalidCharacters();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Annotations();
}
