using System.Text.Json;
using Halflife.Imaging.Tiles;

namespace Halflife.Imaging.Tests;

/// <summary>openslide-python's DeepZoomGenerator run over every tile of a slide: geometry and RGB pixels.</summary>
internal sealed class DeepZoomOracle
{
    private const string Script = """
        import json, sys, openslide
        from openslide.deepzoom import DeepZoomGenerator
        s = openslide.OpenSlide(sys.argv[1])
        dz = DeepZoomGenerator(s, tile_size=int(sys.argv[2]), overlap=int(sys.argv[3]), limit_bounds=sys.argv[4] == '1')
        tiles = []
        with open(sys.argv[5], 'wb') as pixels:
            for level in range(dz.level_count):
                cols, rows = dz.level_tiles[level]
                for row in range(rows):
                    for col in range(cols):
                        (x, y), slide_level, (w, h) = dz.get_tile_coordinates(level, (col, row))
                        tile = dz.get_tile(level, (col, row))
                        data = tile.tobytes()
                        pixels.write(data)
                        tiles.append([level, col, row, x, y, slide_level, w, h] + list(dz.get_tile_dimensions(level, (col, row))) + list(tile.size) + [len(data)])
        print(json.dumps({"dzi": dz.get_dzi('jpeg'), "dimensions": dz.level_dimensions, "tiles_per_level": dz.level_tiles,
                          "tile_count": dz.tile_count, "tiles": tiles}))
        """;

    public required string Dzi { get; init; }

    public required IReadOnlyList<(long Width, long Height)> LevelDimensions { get; init; }

    public required IReadOnlyList<(int Columns, int Rows)> LevelTiles { get; init; }

    public required long TileCount { get; init; }

    public required IReadOnlyList<OracleTile> Tiles { get; init; }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<DeepZoomOracle>> Runs = new();

    /// <summary>One oracle run per slide and options, shared by the tests that need it (it takes seconds).</summary>
    public static DeepZoomOracle Run(string slidePath, DeepZoomOptions options) =>
        Runs.GetOrAdd($"{slidePath}|{options}", _ => new Lazy<DeepZoomOracle>(() => RunOnce(slidePath, options))).Value;

    private static DeepZoomOracle RunOnce(string slidePath, DeepZoomOptions options)
    {
        var pixelFile = Path.GetTempFileName();
        try
        {
            var output = PythonOracle.Run(Script, slidePath, options.TileSize.ToString(), options.Overlap.ToString(), options.LimitBounds ? "1" : "0", pixelFile);
            var pixels = File.ReadAllBytes(pixelFile);
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            var tiles = new List<OracleTile>();
            var offset = 0;
            foreach (var t in root.GetProperty("tiles").EnumerateArray())
            {
                var v = t.EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var length = (int)v[12];
                tiles.Add(new OracleTile(
                    new TileAddress((int)v[0], (int)v[1], (int)v[2]),
                    new TileRegion(v[3], v[4], (int)v[5], (int)v[6], (int)v[7], (int)v[8], (int)v[9]),
                    (int)v[10], (int)v[11], pixels.AsSpan(offset, length).ToArray()));
                offset += length;
            }

            return new DeepZoomOracle
            {
                Dzi = root.GetProperty("dzi").GetString()!,
                LevelDimensions = root.GetProperty("dimensions").EnumerateArray().Select(d => (d[0].GetInt64(), d[1].GetInt64())).ToArray(),
                LevelTiles = root.GetProperty("tiles_per_level").EnumerateArray().Select(d => (d[0].GetInt32(), d[1].GetInt32())).ToArray(),
                TileCount = root.GetProperty("tile_count").GetInt64(),
                Tiles = tiles,
            };
        }
        finally
        {
            File.Delete(pixelFile);
        }
    }
}

/// <param name="Rgb">The PIL tile's raw bytes (mode RGB).</param>
internal sealed record OracleTile(TileAddress Address, TileRegion Region, int Width, int Height, byte[] Rgb);
