using System.Globalization;
using System.Threading.RateLimiting;
using Halflife.ServiceDefaults.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace Halflife.Gateway.Security;

/// <summary>
/// Login: per client address (password guessing from one place). Everything else on /api: per signed-in user, or per
/// address when anonymous. Runs after authentication, so "user" is a validated token's subject, not a claim anyone
/// can write. Refusals are 429 problem details with Retry-After.
/// </summary>
public static class GatewayRateLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, GatewayOptions.RateLimitSettings settings) =>
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, settings));
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem("Too many requests; try again later.", statusCode: StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(rejected.HttpContext);
            };
        });

    private static RateLimitPartition<string> Partition(HttpContext context, GatewayOptions.RateLimitSettings settings)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api")) return RateLimitPartition.GetNoLimiter("static");
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/auth/login"))
            return Fixed("login:" + address, settings.LoginPerAddressPerMinute);
        var client = context.User.Identity?.IsAuthenticated == true && context.User.UserId() is { } id ? "user:" + id : "address:" + address;
        return Fixed(client, settings.ApiPerClientPerMinute);
    }

    private static RateLimitPartition<string> Fixed(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits), Window = Window, QueueLimit = 0, AutoReplenishment = true,
        });
}
