using Halflife.ServiceDefaults.Hosting;
using Halflife.Slides;

// The Slides service on its own (distributed deployment).
var app = HalflifeApplication.Create(args, "slides", [new SlidesModule()]);
await app.RunHalflifeAsync();
