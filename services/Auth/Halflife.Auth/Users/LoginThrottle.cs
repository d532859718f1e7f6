using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Halflife.Auth.Users;

/// <summary>
/// Login attempts per user name, whatever address they come from (the gateway limits per address). Lockout stops
/// guessing one account; this also slows password spraying across addresses before any lockout.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options) : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.LoginAttemptsPerUserPerMinute), Window = Window, QueueLimit = 0,
        }), StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the attempt may go ahead, else a 429 problem with Retry-After.</summary>
    public IResult? TryAcquire(HttpContext context, string userName)
    {
        using var lease = _limiter.AttemptAcquire(userName.Trim());
        if (lease.IsAcquired) return null;
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Results.Problem("Too many login attempts for this user; try again later.", statusCode: StatusCodes.Status429TooManyRequests);
    }

    public void Dispose() => _limiter.Dispose();
}
