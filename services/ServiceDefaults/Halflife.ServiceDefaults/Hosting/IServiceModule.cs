namespace Halflife.ServiceDefaults.Hosting;

/// <summary>
/// A service as a library: it registers its services (<see cref="Add"/>) and maps its endpoints (<see cref="Map"/>).
/// A service's own host runs one module; the Standalone host runs them all in one process.
/// </summary>
public interface IServiceModule
{
    /// <summary>Lower-case name, used for the database, the route prefix /api/{name}/ and telemetry.</summary>
    string Name { get; }

    void Add(WebApplicationBuilder builder);

    void Map(WebApplication app);
}
