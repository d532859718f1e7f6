using Halflife.ServiceDefaults.Hosting;
using Halflife.Standalone;

await StandaloneApp.Create(args).RunHalflifeAsync();
