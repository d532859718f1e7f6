using Halflife.Segmentation;
using Halflife.ServiceDefaults.Hosting;

// The Segmentation service on its own (distributed deployment): configuration picks the bus, database and blob store.
var app = HalflifeApplication.Create(args, "segmentation", [new SegmentationModule()]);
await app.RunHalflifeAsync();
