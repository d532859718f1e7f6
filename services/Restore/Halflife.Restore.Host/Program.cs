using Halflife.Restore;
using Halflife.ServiceDefaults.Hosting;

// The Restore service on its own (distributed deployment): configuration picks the bus, database and blob store.
var app = HalflifeApplication.Create(args, "restore", [new RestoreModule()]);
await app.RunHalflifeAsync();
