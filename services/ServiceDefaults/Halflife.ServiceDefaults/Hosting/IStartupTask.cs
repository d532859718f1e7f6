namespace Halflife.ServiceDefaults.Hosting;

/// <summary>
/// Work that must finish before the service accepts traffic (schema migrations, bucket creation). Run in
/// registration order by <see cref="StartupTaskExtensions.RunStartupTasksAsync"/>; a failure stops the start.
/// </summary>
public interface IStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}

public static class StartupTaskExtensions
{
    public static async Task RunStartupTasksAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        foreach (var task in services.GetServices<IStartupTask>())
            await task.RunAsync(cancellationToken);
    }
}
