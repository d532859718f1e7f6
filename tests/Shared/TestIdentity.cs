using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Halflife.Testing;

/// <summary>
/// Lets a test host accept tokens that the test mints itself, for a role and projects, without running the Auth
/// service: merge <see cref="Settings"/> into the host's configuration (it trusts this process's test key and turns
/// Security:Enforce on), then send <see cref="Bearer(string, string[])"/>. Only the base class library is used, so
/// every test project can compile this file.
/// </summary>
public static class TestIdentity
{
    public const string KeyId = "test-identity";
    public const string Issuer = "halflife";
    public const string Audience = "halflife-api";

    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    // Same kid, different key: a token "signed by someone else".
    private static readonly ECDsa ForgerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Configuration for a host under test: trust the test key; enforce access unless told otherwise.</summary>
    public static Dictionary<string, string?> Settings(bool enforce = true) => new()
    {
        ["Security:Enforce"] = enforce ? "true" : "false",
        [$"Security:TrustedKeys:{KeyId}"] = Key.ExportSubjectPublicKeyInfoPem(),
    };

    /// <summary>A valid 10-minute token for a user with one role (or none: null) in the given projects.</summary>
    public static string Token(string? role, params string[] projects) =>
        Mint(new TokenSpec { Roles = role is null ? [] : [role], Projects = projects });

    public static AuthenticationHeaderValue Bearer(string? role, params string[] projects) => new("Bearer", Token(role, projects));

    /// <summary>Sends <paramref name="token"/> on every request of <paramref name="client"/>.</summary>
    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Everything a token can get wrong, for tests of the refusals.</summary>
    public sealed record TokenSpec
    {
        public string UserName { get; init; } = "test-user";
        public string? UserId { get; init; }
        public IReadOnlyList<string> Roles { get; init; } = [];
        public IReadOnlyList<string> Projects { get; init; } = [];
        public string Issuer { get; init; } = TestIdentity.Issuer;
        public string Audience { get; init; } = TestIdentity.Audience;
        public DateTimeOffset? IssuedAt { get; init; }
        public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(10);
        /// <summary>Signed with another key under the trusted kid.</summary>
        public bool ForgedSignature { get; init; }
    }

    public static string Mint(TokenSpec spec)
    {
        var issued = spec.IssuedAt ?? DateTimeOffset.UtcNow.AddSeconds(-5);
        var header = new Dictionary<string, object> { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = KeyId };
        var payload = new Dictionary<string, object>
        {
            ["iss"] = spec.Issuer,
            ["aud"] = spec.Audience,
            ["sub"] = spec.UserId ?? DeterministicId(spec.UserName),
            ["name"] = spec.UserName,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = issued.ToUnixTimeSeconds(),
            ["nbf"] = issued.ToUnixTimeSeconds(),
            ["exp"] = (issued + spec.Lifetime).ToUnixTimeSeconds(),
        };
        if (spec.Roles.Count > 0) payload["role"] = spec.Roles;
        if (spec.Projects.Count > 0) payload["project"] = spec.Projects;
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        // JWS ES256 is the raw r||s signature, which is .NET's default (IEEE P1363) format.
        var signature = (spec.ForgedSignature ? ForgerKey : Key).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    private static string DeterministicId(string userName) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(userName)).AsSpan(0, 16)).ToString();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
