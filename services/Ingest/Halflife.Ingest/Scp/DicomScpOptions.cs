namespace Halflife.Ingest.Scp;

/// <summary>Configuration section "Ingest:Dicom": the C-STORE SCP scanners push to.</summary>
public sealed class DicomScpOptions
{
    public const string Section = "Ingest:Dicom";
    public bool Enabled { get; set; } = true;
    /// <summary>Address to listen on; 0.0.0.0 for every interface.</summary>
    public string Host { get; set; } = "0.0.0.0";
    public int Port { get; set; } = 11112;
    public string AeTitle { get; set; } = "HALFLIFE";
    /// <summary>Calling AE titles allowed to associate; empty allows any (A-ASSOCIATE-RJ otherwise).</summary>
    public string[] AllowedCallingAeTitles { get; set; } = [];
    public int MaxAssociations { get; set; } = 32;
    public TimeSpan ArtimTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
