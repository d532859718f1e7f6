using System.Security.Cryptography;
using System.Text;
using Halflife.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;

namespace Halflife.Reporting.Export;

/// <summary>
/// The HMAC key behind pseudonyms: Reporting:Export:PseudonymKey (base64) when configured, else a random 32-byte key
/// made at the first de-identified export and kept in the blob store, so later exports reuse it.
/// </summary>
public sealed class PseudonymKeyProvider(IBlobStore blobs, IOptions<ReportingOptions> options)
{
    public const string GeneratedKeyBlob = "reporting/secrets/pseudonym-key";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    public async Task<byte[]> GetAsync(CancellationToken ct)
    {
        if (_key is not null) return _key;
        await _gate.WaitAsync(ct);
        try
        {
            if (options.Value.Export.PseudonymKey is { Length: > 0 } configured)
            {
                var key = Convert.FromBase64String(configured);
                if (key.Length < 32) throw new InvalidOperationException("Reporting:Export:PseudonymKey must hold at least 32 bytes (base64).");
                return _key = key;
            }
            if (await blobs.ExistsAsync(GeneratedKeyBlob, ct))
            {
                await using var stream = await blobs.OpenReadAsync(GeneratedKeyBlob, cancellationToken: ct);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                return _key = Convert.FromBase64String((await reader.ReadToEndAsync(ct)).Trim());
            }
            var generated = RandomNumberGenerator.GetBytes(32);
            using (var content = new MemoryStream(Encoding.ASCII.GetBytes(Convert.ToBase64String(generated))))
                await blobs.PutAsync(GeneratedKeyBlob, content, "text/plain", ct);
            return _key = generated;
        }
        finally
        {
            _gate.Release();
        }
    }
}
