namespace Halflife.Reporting;

/// <summary>Configuration section "Reporting".</summary>
public sealed class ReportingOptions
{
    public const string Section = "Reporting";

    public Hl7Options Hl7 { get; set; } = new();
    public PacsOptions Pacs { get; set; } = new();
    public ExportOptions Export { get; set; } = new();
}

/// <summary>"Reporting:Hl7": the HL7 v2 MLLP listener for ORU^R01 reports.</summary>
public sealed class Hl7Options
{
    public bool Enabled { get; set; }
    public string Host { get; set; } = "0.0.0.0";
    /// <summary>2575 is the IANA port for HL7 over MLLP. 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 2575;
    /// <summary>A frame larger than this is answered AR and the connection closed (a report is a few kB).</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;
    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>A frame must be complete this long after its start byte, so a slow peer cannot hold a connection.</summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxConnections { get; set; } = 32;
    /// <summary>Used when MSH-18 is empty and the bytes are not valid UTF-8 (Korean HIS often send EUC-KR unlabelled).</summary>
    public string FallbackEncoding { get; set; } = "EUC-KR";
    public string ApplicationName { get; set; } = "HALFLIFE";
    public string FacilityName { get; set; } = "REPORTING";
}

/// <summary>"Reporting:Pacs": where structured reports are forwarded (C-STORE).</summary>
public sealed class PacsOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 104;
    public string CalledAeTitle { get; set; } = "PACS";
    public string CallingAeTitle { get; set; } = "HALFLIFE";
}

/// <summary>"Reporting:Export": research data-set exports.</summary>
public sealed class ExportOptions
{
    /// <summary>
    /// HMAC key (base64, at least 32 bytes) for pseudonyms, date shifts and UID remapping. The same key gives the same
    /// pseudonyms in every export. When empty, a random key is made once and kept in the blob store.
    /// </summary>
    public string? PseudonymKey { get; set; }
    /// <summary>Early scan: this many minutes after injection, inclusive lower and exclusive upper bound.</summary>
    public int EarlyFromMinutes { get; set; } = 60;
    public int EarlyToMinutes { get; set; } = 180;
    /// <summary>Standard (delayed) scan window.</summary>
    public int StandardFromMinutes { get; set; } = 180;
    public int StandardToMinutes { get; set; } = 420;
    /// <summary>Largest date shift (days back) applied when de-identifying.</summary>
    public int MaxDateShiftDays { get; set; } = 365;
}
