using Halflife.Ingest;
using Halflife.ServiceDefaults.Hosting;

// The Ingest service on its own (distributed deployment): configuration picks the bus, database and blob store.
var app = HalflifeApplication.Create(args, "ingest", [new IngestModule()]);
await app.RunHalflifeAsync();
