using MassTransit;

namespace Halflife.ServiceDefaults.Messaging;

/// <summary>
/// One bus per process. Service modules only add their consumers (<see cref="AddConsumers"/>); the host calls
/// <see cref="AddMessageBus"/> once, after all modules, so the embedded default and a single-service process
/// configure the bus the same way and differ only in configuration (in-memory or RabbitMQ).
/// </summary>
public static class MessageBusExtensions
{
    private sealed class ConsumerRegistrations : List<Action<IBusRegistrationConfigurator>>;

    public static IHostApplicationBuilder AddConsumers(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> register)
    {
        Registrations(builder).Add(register);
        return builder;
    }

    public static IHostApplicationBuilder AddMessageBus(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(MessagingOptions.Section);
        builder.Services.Configure<MessagingOptions>(section);
        var options = section.Get<MessagingOptions>() ?? new MessagingOptions();
        var registrations = Registrations(builder);

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.QueuePrefix, includeNamespace: false));
            // MassTransit otherwise reports usage to its vendor over the internet: a hospital network must not see
            // calls home (and they only fail, with a warning, where there is no route out).
            bus.DisableUsageTelemetry();
            foreach (var register in registrations) register(bus);
            // Every consumer retries with backoff; what still fails lands in its "_error" queue with the exception
            // in the headers, from where an operator can move it back (docs/operations.md).
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
                endpoint.UseMessageRetry(retry => retry.Exponential(options.RetryLimit,
                    TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300))));

            if (options.Transport == BusTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(options.RabbitMqUri));
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            // Start-up fails loudly when the broker is unreachable instead of accepting work it cannot hand on.
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(30);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }

    private static ConsumerRegistrations Registrations(IHostApplicationBuilder builder)
    {
        if (!builder.Properties.TryGetValue(typeof(ConsumerRegistrations), out var value))
        {
            value = new ConsumerRegistrations();
            builder.Properties[typeof(ConsumerRegistrations)] = value;
        }
        return (ConsumerRegistrations)value;
    }
}
