using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Reporting;

/// <summary>Reporting: radiology reports, study reports and research data sets.</summary>
public sealed class ReportingModule : IServiceModule
{
    public string Name => "reporting";

    public void Add(WebApplicationBuilder builder)
    {
    }

    public void Map(WebApplication app)
    {
        app.MapGroup("/api/reporting").WithTags("Reporting").MapGet("/info", () => new { service = Name });
    }
}
