using Halflife.Auth.Tokens;
using Halflife.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.Auth.Api;

/// <summary>The public key set (JWKS) and an OpenID-style discovery document pointing at it.</summary>
public static class KeySetEndpoints
{
    public static RouteGroupBuilder MapKeySetEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/.well-known/jwks.json", (SigningKeyStore keys, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            var jwks = keys.PublishedKeys.Select(k =>
            {
                var p = k.ECDsa.ExportParameters(false);
                return new Dictionary<string, string>
                {
                    ["kty"] = "EC", ["crv"] = "P-256", ["use"] = "sig", ["alg"] = SecurityAlgorithms.EcdsaSha256, ["kid"] = k.KeyId,
                    ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
                };
            }).ToList();
            return Results.Json(new { keys = jwks });
        }).WithName("GetJsonWebKeySet");

        group.MapGet("/.well-known/openid-configuration", (IOptions<SecurityOptions> security, HttpContext http) =>
        {
            var auth = $"{http.Request.Scheme}://{http.Request.Host}/api/auth";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = security.Value.Issuer,
                ["jwks_uri"] = auth + "/.well-known/jwks.json",
                ["token_endpoint"] = auth + "/refresh",
                ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.EcdsaSha256 },
                ["response_types_supported"] = new[] { "token" },
                ["subject_types_supported"] = new[] { "public" },
            });
        }).WithName("GetOpenIdConfiguration");
        return group;
    }
}
