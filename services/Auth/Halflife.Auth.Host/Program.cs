using Halflife.Auth;
using Halflife.ServiceDefaults.Hosting;

// The Auth service on its own (distributed deployment): configuration picks the bus, database and blob store.
var app = HalflifeApplication.Create(args, "auth", [new AuthModule()]);
await app.RunHalflifeAsync();
