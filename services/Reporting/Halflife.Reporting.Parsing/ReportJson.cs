using System.Text.Encodings.Web;
using System.Text.Json;

namespace Halflife.Reporting.Parsing;

/// <summary>The JSON shape of a parsed report: camelCase, enums as names, Korean kept readable (not \uXXXX).</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(ParsedReport report) => JsonSerializer.Serialize(report, Options);

    public static ParsedReport? Deserialize(string json) => JsonSerializer.Deserialize<ParsedReport>(json, Options);
}
