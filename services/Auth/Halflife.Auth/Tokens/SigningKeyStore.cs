using System.Security.Cryptography;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.Auth.Tokens;

/// <summary>
/// ES256 signing keys in the Auth database (private halves encrypted). The newest unretired key signs; every key
/// whose tokens may still be valid is published in the key set and accepted in this process. Rotation makes a new
/// key and retires the old one, which stays published for the access-token lifetime (plus clock skew).
/// </summary>
public sealed class SigningKeyStore(IServiceScopeFactory scopes, KeyEncryption encryption, IOptions<AuthOptions> options,
    IOptions<SecurityOptions> security, TimeProvider clock, ILogger<SigningKeyStore> logger) : ISigningKeySource, IStartupTask
{
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(ECDsaSecurityKey Signing, IReadOnlyList<ECDsaSecurityKey> Published, DateTimeOffset LoadedAt);

    public ECDsaSecurityKey SigningKey => Current().Signing;

    public IReadOnlyList<ECDsaSecurityKey> PublishedKeys => Current().Published;

    public IEnumerable<SecurityKey> ValidationKeys() => _snapshot is null ? [] : Current().Published;

    public async Task RunAsync(CancellationToken cancellationToken) => await EnsureCurrentAsync(force: true, cancellationToken);

    /// <summary>Makes a new signing key now (admin action, or when the newest one is older than the rotation period).</summary>
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var kid = await CreateKeyAsync(db, cancellationToken);
            await LoadAsync(db, cancellationToken);
            return kid;
        }
        finally
        {
            _lock.Release();
        }
    }

    private Snapshot Current()
    {
        var snapshot = _snapshot;
        if (snapshot is null || clock.GetUtcNow() - snapshot.LoadedAt > ReloadInterval)
            EnsureCurrentAsync(force: false, CancellationToken.None).GetAwaiter().GetResult();
        return _snapshot ?? throw new InvalidOperationException("No signing key loaded.");
    }

    private async Task EnsureCurrentAsync(bool force, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!force && _snapshot is { } s && clock.GetUtcNow() - s.LoadedAt <= ReloadInterval) return;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            var newest = await db.SigningKeys.Where(k => k.RetiredAt == null).OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (newest is null || now - newest.CreatedAt > options.Value.SigningKeyRotation)
                await CreateKeyAsync(db, cancellationToken);
            await LoadAsync(db, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<string> CreateKeyAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Tokens signed by a retired key remain valid until their expiry (+ skew): keep its public half that long.
        var keepPublished = now + options.Value.AccessTokenLifetime + security.Value.ClockSkew + TimeSpan.FromMinutes(1);
        foreach (var old in await db.SigningKeys.Where(k => k.RetiredAt == null).ToListAsync(cancellationToken))
        {
            old.RetiredAt = now;
            old.ExpiresAt = keepPublished;
        }
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = ec.ExportSubjectPublicKeyInfo();
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(publicKey))[..16];
        db.SigningKeys.Add(new SigningKey
        {
            Kid = kid, PublicKey = Convert.ToBase64String(publicKey),
            ProtectedPrivateKey = encryption.Protect(ec.ExportPkcs8PrivateKey()), CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Created signing key {Kid}", kid);
        return kid;
    }

    private async Task LoadAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await db.SigningKeys.AsNoTracking().Where(k => k.ExpiresAt == null || k.ExpiresAt > now).ToListAsync(cancellationToken);
        var signingRow = rows.Where(k => k.RetiredAt == null).OrderByDescending(k => k.CreatedAt).First();
        var published = rows.OrderByDescending(k => k.CreatedAt).Select(k =>
        {
            var ec = ECDsa.Create();
            ec.ImportSubjectPublicKeyInfo(Convert.FromBase64String(k.PublicKey), out _);
            return new ECDsaSecurityKey(ec) { KeyId = k.Kid };
        }).ToList();
        var signing = ECDsa.Create();
        signing.ImportPkcs8PrivateKey(encryption.Unprotect(signingRow.ProtectedPrivateKey), out _);
        _snapshot = new Snapshot(new ECDsaSecurityKey(signing) { KeyId = signingRow.Kid }, published, clock.GetUtcNow());
    }
}
