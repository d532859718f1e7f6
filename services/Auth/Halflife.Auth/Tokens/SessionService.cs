using System.Security.Cryptography;
using System.Text;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Auth.Tokens;

/// <summary>What a login or refresh hands out.</summary>
public sealed record IssuedTokens(string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt, Guid SessionId);

public enum RefreshOutcome { Refreshed, Unknown, Expired, Reused, Disabled }

/// <summary>
/// Login sessions: an access token plus a rotating refresh token. A refresh token works once; a second use of the
/// same token (a thief or a replay racing the owner) revokes the whole family, so both parties must log in again.
/// </summary>
public sealed class SessionService(AuthDbContext db, AccessTokenIssuer issuer, IOptions<AuthOptions> options, TimeProvider clock)
{
    private const string RefreshPrefix = "hlr_";

    public async Task<IssuedTokens> StartAsync(User user, CancellationToken cancellationToken) =>
        await IssueAsync(user, Guid.CreateVersion7(), cancellationToken);

    public async Task<(RefreshOutcome Outcome, IssuedTokens? Tokens)> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = Hash(refreshToken);
        var row = await db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (row is null) return (RefreshOutcome.Unknown, null);
        var now = clock.GetUtcNow().UtcDateTime;
        if (row.UsedAt is not null || row.RevokedAt is not null)
        {
            await RevokeFamilyAsync(row.FamilyId, cancellationToken);
            return (RefreshOutcome.Reused, null);
        }
        if (row.ExpiresAt <= now) return (RefreshOutcome.Expired, null);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == row.UserId, cancellationToken);
        if (user is null || user.Disabled)
        {
            await RevokeFamilyAsync(row.FamilyId, cancellationToken);
            return (RefreshOutcome.Disabled, null);
        }
        // The conditional update makes two concurrent refreshes with one token count as reuse, not as two sessions.
        var claimed = await db.RefreshTokens.Where(t => t.Id == row.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(row.FamilyId, cancellationToken);
            return (RefreshOutcome.Reused, null);
        }
        return (RefreshOutcome.Refreshed, await IssueAsync(user, row.FamilyId, cancellationToken));
    }

    /// <summary>Logout: the refresh token's family is revoked (tokens already issued expire within minutes).</summary>
    public async Task<bool> EndAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = Hash(refreshToken);
        var row = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (row is null) return false;
        await RevokeFamilyAsync(row.FamilyId, cancellationToken);
        return true;
    }

    public async Task RevokeAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ProjectsOfAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.ProjectMembers.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.ProjectId).OrderBy(p => p).ToListAsync(cancellationToken);

    private async Task<IssuedTokens> IssueAsync(User user, Guid family, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var secret = RefreshPrefix + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var refreshExpires = now + options.Value.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(), FamilyId = family, UserId = user.Id, TokenHash = Hash(secret),
            CreatedAt = now.UtcDateTime, ExpiresAt = refreshExpires.UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        var projects = await ProjectsOfAsync(user.Id, cancellationToken);
        var (access, expires) = issuer.Issue(new TokenSubject(user.Id.ToString(), user.UserName, user.RoleList, projects, family));
        return new IssuedTokens(access, expires, secret, refreshExpires, family);
    }

    private async Task RevokeFamilyAsync(Guid family, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.RefreshTokens.Where(t => t.FamilyId == family && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
