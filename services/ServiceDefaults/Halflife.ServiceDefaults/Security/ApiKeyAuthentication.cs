using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Halflife.ServiceDefaults.Security;

/// <summary>Checks an API key and says whose it is. Implemented by the Auth service, which holds the hashed keys.</summary>
public interface IApiKeyValidator
{
    /// <summary>The key's identity (roles = its scopes, its projects), or null when unknown, revoked or malformed.</summary>
    Task<ClaimsPrincipal?> ValidateAsync(string apiKey, CancellationToken cancellationToken);
}

/// <summary>
/// Machine clients send "X-Api-Key: hlk_..." or "Authorization: ApiKey hlk_...". Where no validator is registered
/// (a service without Auth in its process) the key is not understood here: such clients exchange it for an access
/// token at POST /api/auth/token first (docs/security.md).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    public static string? Find(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header) return header.Trim();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase) ? authorization[(SchemeName.Length + 1)..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Find(Request);
        if (key is null) return AuthenticateResult.NoResult();
        var validator = Context.RequestServices.GetService<IApiKeyValidator>();
        if (validator is null) return AuthenticateResult.Fail("API keys are not accepted by this process; exchange the key at /api/auth/token.");
        var principal = await validator.ValidateAsync(key, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("Unknown or revoked API key.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
