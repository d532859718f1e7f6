using Halflife.Auth.ApiKeys;
using Halflife.Auth.Tokens;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Auth.Api;

public sealed record LoginRequest(string UserName, string Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record LoginResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string? RefreshToken = null,
    DateTimeOffset? RefreshExpiresAt = null);

public sealed record MeResponse(string Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Projects, bool ApiKey);

public static class LoginEndpoints
{
    public static RouteGroupBuilder MapLoginEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/login", LoginAsync).WithName("Login");
        group.MapPost("/refresh", RefreshAsync).WithName("RefreshToken");
        group.MapPost("/logout", LogoutAsync).WithName("Logout");
        group.MapPost("/token", ExchangeApiKeyAsync).WithName("ExchangeApiKey");
        group.MapGet("/me", Me).WithName("Me");
        return group;
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, AuthDbContext db, SessionService sessions, LoginThrottle throttle,
        IOptions<AuthOptions> options, IOptions<SecurityOptions> security, IAuditLog audit, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password) || request.Password.Length > 1024 || request.UserName.Length > 100)
            return Results.Problem("userName and password are required.", statusCode: StatusCodes.Status400BadRequest);
        if (throttle.TryAcquire(http, request.UserName) is { } tooMany) return tooMany;

        var now = clock.GetUtcNow().UtcDateTime;
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == request.UserName, cancellationToken);
        if (user?.LockedUntil > now)
        {
            await audit.RecordAsync(AuditActions.Login, AuditResources.User, request.UserName, outcome: "locked", cancellationToken: cancellationToken);
            return Results.Problem("Too many failed logins: the account is locked for a while.", statusCode: StatusCodes.Status423Locked);
        }
        // Hash even for unknown users (and those without a password) so response time does not reveal which names exist.
        var valid = PasswordHasher.Verify(request.Password, user is { PasswordHash.Length: > 0 } ? user.PasswordHash : DummyHash.Value);
        if (user is null || !valid || user.PasswordHash.Length == 0)
        {
            if (user is not null)
            {
                user.FailedLogins++;
                if (user.FailedLogins >= options.Value.MaxFailedLogins)
                {
                    user.LockedUntil = now + options.Value.LockoutDuration;
                    user.FailedLogins = 0;
                }
                await db.SaveChangesAsync(cancellationToken);
            }
            await audit.RecordAsync(AuditActions.Login, AuditResources.User, request.UserName, outcome: "failure", cancellationToken: cancellationToken);
            return Results.Problem("Unknown user name or wrong password.", statusCode: StatusCodes.Status401Unauthorized);
        }
        if (user.Disabled)
        {
            await audit.RecordAsync(AuditActions.Login, AuditResources.User, request.UserName, outcome: "disabled", cancellationToken: cancellationToken);
            return Results.Problem("This account is disabled.", statusCode: StatusCodes.Status403Forbidden);
        }
        user.FailedLogins = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        var tokens = await sessions.StartAsync(user, cancellationToken);
        TokenCookies.Write(http, security.Value, tokens);
        await audit.RecordAsync(AuditActions.Login, AuditResources.User, user.UserName, cancellationToken: cancellationToken);
        return Results.Ok(ToResponse(tokens));
    }

    /// <summary>The refresh token comes in the body, or from the HttpOnly cookie with the anti-CSRF header.</summary>
    private static async Task<IResult> RefreshAsync(RefreshRequest? request, SessionService sessions, IOptions<SecurityOptions> security, IAuditLog audit,
        HttpContext http, CancellationToken cancellationToken)
    {
        var token = RefreshTokenOf(request, http);
        if (token is null) return Results.Problem("Send the refresh token (body, or cookie with X-Requested-With).", statusCode: StatusCodes.Status401Unauthorized);
        var (outcome, tokens) = await sessions.RefreshAsync(token, cancellationToken);
        if (tokens is null)
        {
            if (outcome == RefreshOutcome.Reused)
                await audit.RecordAsync(AuditActions.Login, AuditResources.User, "refresh-token", outcome: "refresh-token-reuse",
                    details: "a used refresh token was presented again; its session was revoked", cancellationToken: cancellationToken);
            TokenCookies.Clear(http, security.Value);
            return Results.Problem($"Refresh refused ({outcome}). Log in again.", statusCode: StatusCodes.Status401Unauthorized);
        }
        TokenCookies.Write(http, security.Value, tokens);
        return Results.Ok(ToResponse(tokens));
    }

    private static async Task<IResult> LogoutAsync(RefreshRequest? request, SessionService sessions, IOptions<SecurityOptions> security,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (RefreshTokenOf(request, http) is { } token) await sessions.EndAsync(token, cancellationToken);
        TokenCookies.Clear(http, security.Value);
        return Results.NoContent();
    }

    /// <summary>Machine clients trade an API key for a short access token (what services outside Auth's process accept).</summary>
    private static async Task<IResult> ExchangeApiKeyAsync(ApiKeyService keys, AccessTokenIssuer issuer, HttpContext http, CancellationToken cancellationToken)
    {
        var presented = ApiKeyAuthenticationHandler.Find(http.Request);
        var row = presented is null ? null : await keys.FindAsync(presented, cancellationToken);
        if (row is null) return Results.Problem("A valid API key is required (X-Api-Key or Authorization: ApiKey ...).", statusCode: StatusCodes.Status401Unauthorized);
        var (token, expires) = issuer.Issue(new TokenSubject("apikey:" + row.Id, row.Name, ApiKeyService.Split(row.Scopes), ApiKeyService.Split(row.Projects),
            ApiKeyId: row.Id));
        return Results.Ok(new LoginResponse(token, "Bearer", expires));
    }

    private static IResult Me(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true) return Results.Problem("Not signed in.", statusCode: StatusCodes.Status401Unauthorized);
        return Results.Ok(new MeResponse(user.UserId() ?? "", user.UserNameOrAnonymous(), user.RoleNames(), user.Projects(),
            user.FindFirst(HalflifeClaims.ApiKeyId) is not null));
    }

    private static string? RefreshTokenOf(RefreshRequest? request, HttpContext http)
    {
        if (!string.IsNullOrWhiteSpace(request?.RefreshToken)) return request.RefreshToken;
        return http.Request.Cookies.TryGetValue(TokenCookies.RefreshCookie, out var cookie) && !string.IsNullOrEmpty(cookie)
               && !string.IsNullOrEmpty(http.Request.Headers.XRequestedWith)
            ? cookie
            : null;
    }

    private static LoginResponse ToResponse(IssuedTokens t) => new(t.AccessToken, "Bearer", t.ExpiresAt, t.RefreshToken, t.RefreshExpiresAt);

    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));
}
