namespace Halflife.Restore.Forwarding;

/// <summary>Configuration section "Restore:Forwarding": the PACS that receives every restored instance.</summary>
public sealed class ForwardingOptions
{
    public bool Enabled { get; set; }
    public string Host { get; set; } = "";
    public int Port { get; set; } = 104;
    public string CalledAeTitle { get; set; } = "";
    public string CallingAeTitle { get; set; } = "HALFLIFE";
    /// <summary>Attempts before a forwarding is given up as failed (transient errors only; permanent ones stop at once).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Wait after the first failure; doubled after each further one, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How often the worker looks for due forwardings when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Connect, association and DIMSE timeouts of one attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BackoffAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromMilliseconds(Math.Min(InitialBackoff.TotalMilliseconds * factor, MaxBackoff.TotalMilliseconds));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>Startup check: a half-configured destination is a configuration error, not a runtime surprise.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(Host)) yield return "Restore:Forwarding:Host is empty";
        if (Port is <= 0 or > 65535) yield return $"Restore:Forwarding:Port {Port} is not a TCP port";
        if (!IsAeTitle(CalledAeTitle)) yield return $"Restore:Forwarding:CalledAeTitle '{CalledAeTitle}' is not an AE title (1-16 characters, no backslash)";
        if (!IsAeTitle(CallingAeTitle)) yield return $"Restore:Forwarding:CallingAeTitle '{CallingAeTitle}' is not an AE title";
        if (MaxAttempts < 1) yield return "Restore:Forwarding:MaxAttempts must be at least 1";
    }

    private static bool IsAeTitle(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 16 && !value.Contains('\\') && value.All(c => c >= 0x20 && c < 0x7F);
}
