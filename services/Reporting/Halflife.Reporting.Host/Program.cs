using Halflife.Reporting;
using Halflife.ServiceDefaults.Hosting;

// The Reporting service on its own (distributed deployment): configuration picks the bus, database and blob store.
var app = HalflifeApplication.Create(args, "reporting", [new ReportingModule()]);
await app.RunHalflifeAsync();
