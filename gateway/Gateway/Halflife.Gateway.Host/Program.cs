using Halflife.Gateway;
using Halflife.ServiceDefaults.Hosting;

// The gateway on its own (distributed deployment): Gateway:Services:{name} gives each service's address.
var app = HalflifeApplication.Create(args, "gateway", [new GatewayModule()]);
await app.RunHalflifeAsync();
