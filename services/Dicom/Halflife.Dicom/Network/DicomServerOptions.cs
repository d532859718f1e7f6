namespace Halflife.Dicom.Network;

/// <summary>Settings of a <see cref="DicomServer"/>. Defaults suit a storage SCP facing modalities on a hospital LAN.</summary>
public sealed class DicomServerOptions
{
    /// <summary>Our AE title; an A-ASSOCIATE-RQ calling another one is rejected (called AE title not recognized).</summary>
    public string AeTitle { get; set; } = "HALFLIFE";

    /// <summary>When false, any called AE title is accepted (useful behind a router that rewrites titles).</summary>
    public bool ValidateCalledAeTitle { get; set; } = true;

    /// <summary>Calling AE titles allowed to associate; null or empty allows every caller.</summary>
    public IReadOnlyCollection<string>? AllowedCallingAeTitles { get; set; }

    /// <summary>Concurrent associations; one more is answered A-ASSOCIATE-RJ "local limit exceeded".</summary>
    public int MaxAssociations { get; set; } = 32;

    /// <summary>ARTIM: how long a new connection may take to send its A-ASSOCIATE-RQ.</summary>
    public TimeSpan ArtimTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an association may stay silent between PDUs (and how long one PDU may take) before we abort it.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest P-DATA-TF variable field we accept (announced in the A-ASSOCIATE-AC).</summary>
    public uint MaxPduLength { get; set; } = 256 * 1024;

    /// <summary>Largest data set accepted in one C-STORE; a larger one is drained and answered Out of Resources (A700).</summary>
    public long MaxDataSetLength { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Data sets up to this size are buffered in memory; larger ones spill to a temporary file.</summary>
    public long InMemoryDataSetLimit { get; set; } = 64L * 1024 * 1024;

    /// <summary>Folder for spilled data sets; null means the system temp folder.</summary>
    public string? SpillDirectory { get; set; }

    /// <summary>Transfer syntaxes we accept, most preferred first (see <see cref="TransferSyntaxPolicy"/>).</summary>
    public IReadOnlyList<string> TransferSyntaxPreference { get; set; } = TransferSyntaxPolicy.DefaultPreference;

    /// <summary>Which abstract syntaxes (SOP classes) get an accepted presentation context.</summary>
    public Func<string, bool> AcceptAbstractSyntax { get; set; } = TransferSyntaxPolicy.IsStorageOrVerification;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(AeTitle) || AeTitle.Length > 16)
        {
            throw new ArgumentException("AeTitle must be 1 to 16 characters.", nameof(AeTitle));
        }
        if (MaxAssociations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAssociations), "At least one association must be allowed.");
        }
        if (MaxPduLength is < 4096 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPduLength), "Use 4 KiB to 16 MiB.");
        }
        if (ArtimTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), "Timeouts must be positive.");
        }
    }
}
