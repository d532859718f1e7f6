using System.Diagnostics;

namespace Halflife.ServiceDefaults.Telemetry;

public static class TraceResponseMiddleware
{
    /// <summary>
    /// Returns the request's trace context in a "traceresponse" header (W3C Trace Context level 2), so a user or an
    /// operator can quote it and find the whole trace in Grafana.
    /// </summary>
    public static IApplicationBuilder UseTraceResponse(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var activity = Activity.Current;
        if (activity is not null)
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["traceresponse"] = activity.Id;
                return Task.CompletedTask;
            });
        }
        return next(context);
    });
}
