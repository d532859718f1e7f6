using System.Text;

namespace Halflife.Reporting.Hl7;

/// <summary>Original-mode acknowledgements: AA accepted, AE error (content), AR rejected (structure, type, size).</summary>
public static class Hl7Acknowledgement
{
    public const string Accept = "AA";
    public const string Error = "AE";
    public const string Reject = "AR";

    /// <param name="request">The message being answered, or null when it could not be parsed at all.</param>
    /// <param name="errorCode">HL7 table 0357 code for ERR-3 (100 segment sequence, 101 required field missing,
    /// 102 data type, 200 unsupported message type, 203 unsupported version/character set, 207 application error).</param>
    public static string Build(Hl7Message? request, string code, string? text, string? errorCode, string application, string facility)
    {
        var d = request?.Delimiters ?? Hl7Delimiters.Default;
        var msh = request?.Segment("MSH");
        string F(string? value) => Hl7Escaping.Escape(value ?? "", d);
        var controlId = msh?.Get(10);
        var sb = new StringBuilder();
        sb.Append("MSH").Append(d.Field).Append(d.EncodingCharacters)
            .Append(d.Field).Append(F(application))
            .Append(d.Field).Append(F(facility))
            .Append(d.Field).Append(msh?.Raw(3))
            .Append(d.Field).Append(msh?.Raw(4))
            .Append(d.Field).Append(Hl7Escaping.Timestamp(DateTimeOffset.Now))
            .Append(d.Field)
            .Append(d.Field).Append("ACK").Append(d.Component).Append(msh?.Get(9, 2) ?? "R01").Append(d.Component).Append("ACK")
            .Append(d.Field).Append(Guid.NewGuid().ToString("N")[..20])
            .Append(d.Field).Append(msh?.Get(11) ?? "P")
            .Append(d.Field).Append(msh?.Get(12) ?? "2.5.1");
        // MSH-18: answer in the character set we were spoken to in.
        if (msh?.Raw(18) is { Length: > 0 } charset)
            sb.Append(d.Field, 6).Append(charset);
        sb.Append('\r');
        sb.Append("MSA").Append(d.Field).Append(code).Append(d.Field).Append(F(controlId));
        if (text is not null) sb.Append(d.Field).Append(F(Limit(text, 80)));
        sb.Append('\r');
        if (code != Accept)
        {
            // ERR (v2.5): ERR-3 error code (CWE from table 0357), ERR-4 severity, ERR-8 user message (full text).
            sb.Append("ERR").Append(d.Field).Append(d.Field)
                .Append(d.Field).Append(errorCode ?? "207").Append(d.Component).Append(F(CodeMeaning(errorCode ?? "207"))).Append(d.Component).Append("HL70357")
                .Append(d.Field).Append('E')
                .Append(d.Field).Append(d.Field).Append(d.Field).Append(d.Field)
                .Append(d.Field).Append(F(text)).Append('\r');
        }
        return sb.ToString();
    }

    private static string Limit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string CodeMeaning(string code) => code switch
    {
        "100" => "Segment sequence error",
        "101" => "Required field missing",
        "102" => "Data type error",
        "200" => "Unsupported message type",
        "203" => "Unsupported version id",
        "206" => "Application record locked",
        _ => "Application internal error",
    };
}
