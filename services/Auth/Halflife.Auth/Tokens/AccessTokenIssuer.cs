using System.Security.Claims;
using Halflife.Auth.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.Auth.Tokens;

/// <summary>Short-lived signed JWT access tokens (HS256) carrying the user's id, name and roles.</summary>
public sealed class AccessTokenIssuer(SigningKeyProvider keys, IOptions<AuthOptions> options, TimeProvider clock)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(User user)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var expires = now + o.AccessTokenLifetime;
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, user.Id.ToString()), new("name", user.UserName) };
        claims.AddRange(user.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim("role", r)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
