using Halflife.Benchmarks.Tiles;

// Two roles in one program so the benchmark needs a single build:
//   serve --slides DIR [--port 5080] [--cache-mb 512]     a minimal Deep Zoom server over Halflife.Imaging
//   drive --base URL [--concurrency 8] [--warm-passes 3]  fire one tile sequence at any Deep Zoom server
//   profile --slide FILE                                  in-process render time per Deep Zoom level
return args.FirstOrDefault() switch
{
    "serve" => await TileServer.RunAsync(Options.Parse(args[1..])),
    "drive" => await TileDriver.RunAsync(Options.Parse(args[1..])),
    "profile" => await RenderProfile.RunAsync(Options.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: serve --slides DIR [--port 5080] [--cache-mb 512] | drive --base URL [--concurrency 8] [--warm-passes 3] [--label NAME]");
    return 2;
}
