using Halflife.Auth.Tokens;
using Halflife.Auth.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Auth.Api;

public sealed record LoginRequest(string UserName, string Password);

public sealed record LoginResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);

public static class LoginEndpoints
{
    public static RouteGroupBuilder MapLoginEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/login", LoginAsync).WithName("Login").AllowAnonymous();
        return group;
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, AuthDbContext db, AccessTokenIssuer tokens,
        IOptions<AuthOptions> options, TimeProvider clock, ILoggerFactory loggers, HttpContext http, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("Halflife.Auth.Login");
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password) || request.Password.Length > 1024)
            return Results.Problem("userName and password are required.", statusCode: StatusCodes.Status400BadRequest);

        var now = clock.GetUtcNow().UtcDateTime;
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == request.UserName, cancellationToken);
        if (user?.LockedUntil > now)
        {
            logger.LogWarning("Login for locked account {User} from {Address}", request.UserName, http.Connection.RemoteIpAddress);
            return Results.Problem("Too many failed logins: the account is locked for a while.", statusCode: StatusCodes.Status423Locked);
        }
        // Hash even for unknown users so response time does not reveal which names exist.
        var valid = PasswordHasher.Verify(request.Password, user?.PasswordHash ?? DummyHash.Value);
        if (user is null || !valid)
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
            logger.LogWarning("Failed login for {User} from {Address}", request.UserName, http.Connection.RemoteIpAddress);
            return Results.Problem("Unknown user name or wrong password.", statusCode: StatusCodes.Status401Unauthorized);
        }
        user.FailedLogins = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        var (token, expires) = tokens.Issue(user);
        return Results.Ok(new LoginResponse(token, "Bearer", expires));
    }

    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));
}
