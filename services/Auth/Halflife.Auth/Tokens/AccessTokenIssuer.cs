using System.Security.Claims;
using Halflife.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.Auth.Tokens;

/// <summary>Who a token is for: a user (after login or refresh) or an API key (after exchange).</summary>
public sealed record TokenSubject(string Subject, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Projects, Guid? SessionId = null,
    Guid? ApiKeyId = null);

/// <summary>Short-lived ES256 JWT access tokens with the signing key's kid, carrying id, name, roles and projects.</summary>
public sealed class AccessTokenIssuer(SigningKeyStore keys, IOptions<AuthOptions> options, IOptions<SecurityOptions> security, TimeProvider clock)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(TokenSubject subject)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.AccessTokenLifetime;
        var claims = new List<Claim>
        {
            new(HalflifeClaims.Subject, subject.Subject),
            new(HalflifeClaims.Name, subject.Name),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
        };
        if (subject.SessionId is { } session) claims.Add(new Claim("sid", session.ToString()));
        if (subject.ApiKeyId is { } key) claims.Add(new Claim(HalflifeClaims.ApiKeyId, key.ToString()));
        claims.AddRange(subject.Roles.Select(r => new Claim(HalflifeClaims.Role, r)));
        claims.AddRange(subject.Projects.Select(p => new Claim(HalflifeClaims.Project, p)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = security.Value.Issuer,
            Audience = security.Value.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.SigningKey, SecurityAlgorithms.EcdsaSha256),
        });
        return (token, expires);
    }
}
