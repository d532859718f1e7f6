using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Halflife.ServiceDefaults.Messaging;

public static class QueueWaitExtensions
{
    private sealed class Registered;

    /// <summary>
    /// Adds the <see cref="QueueWaitObserver"/> to the bus once per process, whichever modules ask for it (the bus
    /// itself is configured once, in <see cref="MessageBusExtensions.AddMessageBus"/>).
    /// </summary>
    public static IHostApplicationBuilder AddQueueWaitMetric(this IHostApplicationBuilder builder)
    {
        if (builder.Properties.ContainsKey(typeof(Registered))) return builder;
        builder.Properties[typeof(Registered)] = true;
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddConsumers(bus => bus.AddConsumeObserver<QueueWaitObserver>());
        return builder;
    }
}
