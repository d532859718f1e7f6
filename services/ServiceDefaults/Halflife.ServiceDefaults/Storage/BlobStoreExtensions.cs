using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Halflife.ServiceDefaults.Storage;

public static class BlobStoreExtensions
{
    /// <summary>Registers the configured <see cref="IBlobStore"/> (section "BlobStore"), its health check and, for S3, bucket creation.</summary>
    public static IHostApplicationBuilder AddBlobStore(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IBlobStore))) return builder;
        builder.Services.Configure<BlobStoreOptions>(builder.Configuration.GetSection(BlobStoreOptions.Section));
        builder.Services.AddSingleton<IBlobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BlobStoreOptions>>().Value;
            var halflife = sp.GetRequiredService<IOptions<HalflifeOptions>>().Value;
            return options.Kind switch
            {
                BlobStoreKind.S3 => new S3BlobStore(options.S3),
                _ => new FileSystemBlobStore(halflife.ResolveDataPath(options.Path)),
            };
        });
        builder.Services.AddSingleton<IStartupTask, EnsureBucketTask>();
        builder.Services.AddHealthChecks().AddCheck<BlobStoreHealthCheck>("blob-store", tags: ["ready"]);
        return builder;
    }

    private sealed class EnsureBucketTask(IBlobStore store) : IStartupTask
    {
        public Task RunAsync(CancellationToken cancellationToken) =>
            store is S3BlobStore s3 ? s3.EnsureBucketAsync(cancellationToken) : Task.CompletedTask;
    }

    private sealed class BlobStoreHealthCheck(IBlobStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await store.ExistsAsync("health/probe", cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("blob store unreachable", e);
            }
        }
    }
}
