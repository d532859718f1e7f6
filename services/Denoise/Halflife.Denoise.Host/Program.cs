using Halflife.Denoise;
using Halflife.ServiceDefaults.Hosting;

// The Denoise service on its own (distributed deployment): configuration picks the bus, database and blob store.
var app = HalflifeApplication.Create(args, "denoise", [new DenoiseModule()]);
await app.RunHalflifeAsync();
