using System.Text;
using System.Text.Json;
using Halflife.Segmentation.Jobs;
using Halflife.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Segmentation.Api;

/// <summary>
/// GET /api/segmentation/jobs/{id}/events: server-sent events. "progress" with the job JSON whenever the job row
/// changed, "done" with the final job JSON, then the stream ends. The row is polled (every
/// <see cref="SegmentationOptions.EventPollInterval"/>) rather than an in-process signal awaited, so the stream works
/// whichever instance runs the job. A comment line every 15 s keeps proxies from closing an idle stream.
/// </summary>
public static class JobEventsEndpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapJobEvents(this RouteGroupBuilder api)
    {
        api.MapGroup("/jobs").WithGroupName("segmentation-view").MapGet("/{id:guid}/events", StreamAsync).WithName("SegmentationJobEvents");
        return api;
    }

    private static async Task<IResult> StreamAsync(Guid id, HttpContext http, SegmentationDbContext db, ProjectAccess access,
        IOptions<SegmentationOptions> options, CancellationToken cancellationToken)
    {
        if (await db.FindVisibleAsync(id, access, cancellationToken) is null) return JobEndpoints.JobNotFound(id);
        return new EventStream(id, options.Value.EventPollInterval);
    }

    private sealed class EventStream(Guid id, TimeSpan interval) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var response = http.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            // Nginx-style proxies would otherwise hold the events back in a buffer.
            response.Headers["X-Accel-Buffering"] = "no";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var aborted = http.RequestAborted;
            var db = http.RequestServices.GetRequiredService<SegmentationDbContext>();
            string? last = null;
            var lastWrite = DateTime.UtcNow;
            try
            {
                await response.Body.FlushAsync(aborted);
                while (!aborted.IsCancellationRequested)
                {
                    var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, aborted);
                    if (job is null) return; // deleted under us
                    var data = JsonSerializer.Serialize(SegmentationJobDto.From(job), Json);
                    if (job.IsFinished)
                    {
                        await WriteAsync(response, "done", data, aborted);
                        return;
                    }
                    if (data != last)
                    {
                        await WriteAsync(response, "progress", data, aborted);
                        last = data;
                        lastWrite = DateTime.UtcNow;
                    }
                    else if (DateTime.UtcNow - lastWrite > KeepAlive)
                    {
                        await response.Body.WriteAsync(": keep-alive\n\n"u8.ToArray(), aborted);
                        await response.Body.FlushAsync(aborted);
                        lastWrite = DateTime.UtcNow;
                    }
                    await Task.Delay(interval, aborted);
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client went away: nothing to clean up, the job runs on.
            }
        }

        private static async Task WriteAsync(HttpResponse response, string name, string data, CancellationToken cancellationToken)
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {name}\ndata: {data}\n\n"), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }
}
