using Halflife.Models;
using Halflife.Restore;
using Halflife.ServiceDefaults.Hosting;

// The Restore service on its own (distributed deployment): configuration picks the bus, database and blob store.
// It also serves the model registry's API (/api/models; the gateway routes "models" here): the registry lives in the
// blob store, so any process can serve it, and Restore is the first service that runs registry models.
var app = HalflifeApplication.Create(args, "restore", [new ModelsModule(), new RestoreModule()]);
await app.RunHalflifeAsync();
