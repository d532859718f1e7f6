using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Halflife.Auth.Tokens;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.Auth.External;

/// <summary>
/// Authorization-code login with Kakao or an OpenID Connect provider. The state and the PKCE verifier live in an
/// encrypted, HttpOnly cookie set on the browser that started the login, so a callback is accepted only from that
/// browser with the state it was given (no login CSRF), and a stolen code is useless without the verifier.
/// </summary>
public static class ExternalLoginEndpoints
{
    private const string CookiePrefix = "halflife_oauth_";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    private sealed record Pending(string Provider, string State, string Verifier, string ReturnUrl, DateTimeOffset Expires);

    public static RouteGroupBuilder MapExternalLoginEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/external", (IOptions<AuthOptions> options) =>
            Results.Ok(options.Value.External.Select(p => new { name = p.Key.ToLowerInvariant(), displayName = p.Value.DisplayName ?? p.Key, type = p.Value.Type.ToString() })))
            .WithName("ListExternalProviders");
        group.MapGet("/external/{provider}/login", StartAsync).WithName("StartExternalLogin");
        group.MapGet("/external/{provider}/callback", CallbackAsync).WithName("CompleteExternalLogin");
        return group;
    }

    private static async Task<IResult> StartAsync(string provider, string? returnUrl, IOptions<AuthOptions> options, OAuthClient client,
        IDataProtectionProvider protection, HttpContext http, CancellationToken cancellationToken)
    {
        if (!options.Value.External.TryGetValue(provider, out var configured))
            return Results.Problem($"No external login provider '{provider}'.", statusCode: StatusCodes.Status404NotFound);
        var settings = await client.ResolveEndpointsAsync(configured, cancellationToken);
        var pending = new Pending(provider.ToLowerInvariant(), Random(), Random(), SafeReturnUrl(returnUrl), DateTimeOffset.UtcNow + PendingLifetime);
        http.Response.Cookies.Append(CookiePrefix + pending.Provider, Protector(protection).Protect(JsonSerializer.Serialize(pending)), new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, Path = "/api/auth/external", MaxAge = PendingLifetime, IsEssential = true,
            // Lax, not Strict: the provider's redirect back to us is a cross-site top-level navigation that must carry it.
            SameSite = SameSiteMode.Lax,
        });
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = settings.ClientId, ["redirect_uri"] = RedirectUri(settings, pending.Provider, http),
            ["state"] = pending.State, ["code_challenge"] = Challenge(pending.Verifier), ["code_challenge_method"] = "S256",
        };
        if (settings.Scopes.Count > 0) query["scope"] = string.Join(' ', settings.Scopes);
        return Results.Redirect(QueryHelpers.AddQueryString(settings.AuthorizationEndpoint!, query));
    }

    private static async Task<IResult> CallbackAsync(string provider, string? code, string? state, string? error, IOptions<AuthOptions> options,
        IOptions<SecurityOptions> security, OAuthClient client, IDataProtectionProvider protection, AuthDbContext db, SessionService sessions,
        IAuditLog audit, HttpContext http, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var name = provider.ToLowerInvariant();
        if (!options.Value.External.TryGetValue(name, out var configured))
            return Results.Problem($"No external login provider '{provider}'.", statusCode: StatusCodes.Status404NotFound);
        var cookieName = CookiePrefix + name;
        var pending = Read(http, cookieName, protection);
        // One use only, whatever happens next.
        http.Response.Cookies.Delete(cookieName, new CookieOptions { Path = "/api/auth/external", Secure = http.Request.IsHttps, HttpOnly = true });
        if (error is not null) return Refuse($"The provider reported '{error}'.");
        if (pending is null || pending.Provider != name || pending.Expires < DateTimeOffset.UtcNow)
            return Refuse("This login was not started in this browser, or it took too long. Start again.");
        if (string.IsNullOrEmpty(state) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(pending.State)))
            return Refuse("The state does not match the login this browser started.");
        if (string.IsNullOrEmpty(code)) return Refuse("The provider sent no code.");

        ExternalIdentity identity;
        try
        {
            var settings = await client.ResolveEndpointsAsync(configured, cancellationToken);
            var accessToken = await client.ExchangeCodeAsync(settings, code, RedirectUri(settings, name, http), pending.Verifier, cancellationToken);
            identity = await client.GetUserAsync(settings, accessToken, cancellationToken);
        }
        catch (Exception e) when (e is ExternalLoginException or HttpRequestException or JsonException or TaskCanceledException)
        {
            loggers.CreateLogger("Halflife.Auth.External").LogWarning(e, "External login with {Provider} failed", name);
            await audit.RecordAsync(AuditActions.Login, AuditResources.User, name, outcome: "failure", details: e.Message, cancellationToken: cancellationToken);
            return Results.Problem($"Login with {name} failed: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
        }

        var user = await FindOrCreateUserAsync(db, name, identity, configured, cancellationToken);
        if (user.Disabled)
        {
            await audit.RecordAsync(AuditActions.Login, AuditResources.User, user.UserName, outcome: "disabled", cancellationToken: cancellationToken);
            return Results.Problem("This account is disabled.", statusCode: StatusCodes.Status403Forbidden);
        }
        var tokens = await sessions.StartAsync(user, cancellationToken);
        TokenCookies.Write(http, security.Value, tokens);
        await audit.RecordAsync(AuditActions.Login, AuditResources.User, user.UserName, details: "external:" + name, cancellationToken: cancellationToken);
        return Results.Redirect(pending.ReturnUrl);

        static IResult Refuse(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>First login creates "{provider}:{subject}" with the provider's default roles (none unless configured).</summary>
    private static async Task<User> FindOrCreateUserAsync(AuthDbContext db, string provider, ExternalIdentity identity, ExternalProviderOptions settings,
        CancellationToken cancellationToken)
    {
        var link = await db.ExternalLogins.AsNoTracking().FirstOrDefaultAsync(l => l.Provider == provider && l.Subject == identity.Subject, cancellationToken);
        if (link is not null && await db.Users.FirstOrDefaultAsync(u => u.Id == link.UserId, cancellationToken) is { } existing) return existing;
        var user = new User
        {
            Id = Guid.CreateVersion7(), UserName = $"{provider}:{identity.Subject}", DisplayName = identity.Name, Email = identity.Email,
            Roles = string.Join(',', settings.DefaultRoles.Where(Roles.IsKnown).Distinct()), CreatedAt = DateTime.UtcNow,
        };
        db.Users.Add(user);
        db.ExternalLogins.Add(new ExternalLogin { Provider = provider, Subject = identity.Subject, UserId = user.Id, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    private static Pending? Read(HttpContext http, string cookieName, IDataProtectionProvider protection)
    {
        if (!http.Request.Cookies.TryGetValue(cookieName, out var value) || string.IsNullOrEmpty(value)) return null;
        try
        {
            return JsonSerializer.Deserialize<Pending>(Protector(protection).Unprotect(value));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector("Halflife.Auth.ExternalLogin.v1");

    private static string RedirectUri(ExternalProviderOptions settings, string provider, HttpContext http) =>
        settings.RedirectUri ?? $"{http.Request.Scheme}://{http.Request.Host}/api/auth/external/{provider}/callback";

    private static string Random() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>Only paths on this site: an open redirect after login would hand the session to a phishing page.</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
