using System.Text;
using System.Text.Json;

namespace Halflife.Reporting.Export;

/// <summary>
/// The re-identification key of one de-identified export: which pseudonym is which patient, each patient's date
/// shift, and every UID mapping, as JSON lines. Created with mode 0600 (owner read/write only) before the first byte
/// is written; it is stored apart from the export and only an admin endpoint serves it.
/// </summary>
public sealed class ReidentificationKeyFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly HashSet<string> _uids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _patients = new(StringComparer.Ordinal);

    public ReidentificationKeyFile(string path, Guid exportId, string keyFingerprint, ExportDates dates)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        _writer = new StreamWriter(new FileStream(path, options), new UTF8Encoding(false));
        Line(new { type = "export", exportId, keyFingerprint, dates = dates.ToString(), createdAt = DateTimeOffset.UtcNow });
    }

    public void Patient(string pseudonym, string patientId, string? patientName, int? dateShiftDays, string? firstScanDate)
    {
        if (_patients.Add(pseudonym)) Line(new { type = "patient", pseudonym, patientId, patientName, dateShiftDays, firstScanDate });
    }

    public void Uid(string kind, string original, string pseudonym)
    {
        if (_uids.Add(original)) Line(new { type = "uid", kind, original, pseudonym });
    }

    private void Line(object value) => _writer.Write(JsonSerializer.Serialize(value, Json) + "\n");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Dispose() => _writer.Dispose();
}
