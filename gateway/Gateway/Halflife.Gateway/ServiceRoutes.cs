using Yarp.ReverseProxy.Configuration;

namespace Halflife.Gateway;

/// <summary>Turns <see cref="GatewayOptions.Services"/> into YARP routes: /api/{service}/** -> that service, path unchanged.</summary>
public static class ServiceRoutes
{
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(GatewayOptions options)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var (name, address) in options.Services)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out _))
                throw new InvalidOperationException($"Gateway:Services:{name} is not an absolute URL: '{address}'.");
            var service = name.ToLowerInvariant();
            routes.Add(new RouteConfig
            {
                RouteId = service,
                ClusterId = service,
                Match = new RouteMatch { Path = $"/api/{service}/{{**rest}}" },
            });
            clusters.Add(new ClusterConfig
            {
                ClusterId = service,
                Destinations = new Dictionary<string, DestinationConfig> { [service] = new() { Address = address } },
                HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10) },
            });
        }
        return (routes, clusters);
    }
}
