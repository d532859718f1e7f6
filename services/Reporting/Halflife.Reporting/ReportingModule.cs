using Halflife.Reporting.Data;
using Halflife.Reporting.Export;
using Halflife.Reporting.Hl7;
using Halflife.Reporting.Index;
using Halflife.Reporting.Intake;
using Halflife.Reporting.StudyReports;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Persistence;

namespace Halflife.Reporting;

/// <summary>Reporting: radiology reports (REST and HL7 v2), study reports and research data sets.</summary>
public sealed class ReportingModule : IServiceModule
{
    public string Name => "reporting";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.Configure<ReportingOptions>(builder.Configuration.GetSection(ReportingOptions.Section));
        builder.AddServiceDatabase<ReportingDbContext>(Name);
        builder.Services.AddSingleton<ReportingMetrics>();
        builder.Services.AddScoped<StudyLinker>();
        builder.Services.AddScoped<ReportIntake>();
        builder.Services.AddScoped<StudyReportBuilder>();
        builder.Services.AddScoped<StructuredReportService>();
        builder.Services.AddSingleton<PseudonymKeyProvider>();
        builder.Services.AddSingleton<ExportJobRunner>();
        builder.Services.AddSingleton<ExportWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExportWorker>());
        builder.Services.AddSingleton<Hl7Receiver>();
        builder.Services.AddSingleton<MllpListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MllpListener>());
        builder.AddConsumers(bus =>
        {
            bus.AddConsumer<ReportingInstanceReceivedConsumer>();
            bus.AddConsumer<ReportingImageRestoredConsumer>();
            bus.AddConsumer<ReportingImageDenoisedConsumer>();
        });
    }

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/reporting").WithTags("Reporting");
        api.MapGet("/info", () => new { service = Name });
        api.MapReportEndpoints();
        api.MapStudyReportEndpoints();
        api.MapExportEndpoints();
        // Admin-only actions in their own group, so that the integrator's admin policy applies to them alone.
        app.MapGroup("/api/reporting/admin").WithTags("Reporting admin").MapExportAdminEndpoints();
    }
}
