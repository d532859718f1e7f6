using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Halflife.Segmentation.Worker;

/// <summary>
/// This process's name on the jobs it claims (a singleton): <see cref="SegmentationOptions.WorkerId"/> or else
/// "{machine}/{process id}/{random}". The random part keeps two processes apart even where machine name and process
/// id repeat (containers restarted as pid 1 under the same pod name).
/// </summary>
public sealed class WorkerIdentity
{
    /// <summary>The job row's column width.</summary>
    public const int MaxLength = 200;

    public WorkerIdentity(IOptions<SegmentationOptions> options) : this(options.Value.WorkerId)
    {
    }

    public WorkerIdentity(string? configured)
    {
        var id = string.IsNullOrWhiteSpace(configured)
            ? $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}"
            : configured.Trim();
        if (id.Length > MaxLength)
            throw new ArgumentException($"Segmentation:WorkerId is {id.Length} characters long; at most {MaxLength} fit the job row.", nameof(configured));
        Id = id;
    }

    public string Id { get; }

    public override string ToString() => Id;
}
