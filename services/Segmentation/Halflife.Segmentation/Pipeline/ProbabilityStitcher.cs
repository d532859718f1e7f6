namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Blends tile probabilities into the overlay's 256 x 256 blocks and hands each block out the moment the last tile
/// touching it is done. Only blocks under tiles in flight are held (with row-major tiles: about two block rows), so
/// memory is bounded by the slide's width, not its area. Pixels no inferred tile covers (background tiles, outside the
/// region) are background: probability 1 for class 0 when the model has a background class, else 0 everywhere.
/// Not thread-safe: one consumer feeds it.
/// </summary>
internal sealed class ProbabilityStitcher
{
    private const int BlockSize = ProbabilityBlock.Size;

    private readonly TilePlan plan;
    private readonly int classes;
    private readonly bool hasBackground;
    private readonly ContourMap? contours;
    private readonly float[] weights;
    private readonly Dictionary<(int Column, int Row), int> remaining = [];
    private readonly Dictionary<(int Column, int Row), Accumulator> open = [];

    public ProbabilityStitcher(TilePlan plan, int classes, bool hasBackground, ContourMap? contours)
    {
        this.plan = plan;
        this.classes = classes;
        this.hasBackground = hasBackground;
        this.contours = contours;
        weights = BlendWeights.Create(plan.TileSize, plan.Overlap);
        foreach (var tile in plan.Tiles)
            foreach (var block in BlocksOf(tile))
                remaining[block] = remaining.GetValueOrDefault(block) + 1;
    }

    /// <summary>Blocks held in memory now.</summary>
    public int OpenBlocks => open.Count;

    public int PendingBlocks => remaining.Count;

    /// <summary>Accounts for the skipped tiles and returns the blocks that only they touch (final at once), row-major.</summary>
    public IReadOnlyList<ProbabilityBlock> Start()
    {
        var done = new List<(int Column, int Row)>();
        foreach (var tile in plan.Tiles.Where(t => t.Skipped))
            foreach (var block in BlocksOf(tile))
                if (--remaining[block] == 0) done.Add(block);
        return done.OrderBy(b => b.Row).ThenBy(b => b.Column).Select(Finish).ToList();
    }

    /// <summary>Adds one inferred tile (class-major probabilities, tile size squared per class); returns the blocks it completed.</summary>
    public IReadOnlyList<ProbabilityBlock> Add(PlannedTile tile, ReadOnlySpan<float> probabilities)
    {
        var size = plan.TileSize;
        var plane = size * size;
        if (probabilities.Length != classes * plane) throw new ArgumentException($"Expected {classes} x {plane} probabilities.", nameof(probabilities));
        List<ProbabilityBlock>? completed = null;
        foreach (var block in BlocksOf(tile))
        {
            if (!open.TryGetValue(block, out var accumulator)) open[block] = accumulator = new Accumulator(classes);
            int bx = block.Column * BlockSize, by = block.Row * BlockSize;
            int x0 = Math.Max(tile.X, bx), x1 = Math.Min(Math.Min(tile.X + size, bx + BlockSize), plan.Geometry.Width);
            int y0 = Math.Max(tile.Y, by), y1 = Math.Min(Math.Min(tile.Y + size, by + BlockSize), plan.Geometry.Height);
            for (var y = y0; y < y1; y++)
            {
                var source = ((y - tile.Y) * size) - tile.X;
                var target = (y - by) * BlockSize - bx;
                for (var x = x0; x < x1; x++)
                {
                    var w = weights[source + x];
                    accumulator.Weights[target + x] += w;
                    for (var c = 0; c < classes; c++)
                        accumulator.Sums[(c * BlockSize * BlockSize) + target + x] += w * probabilities[(c * plane) + source + x];
                }
            }

            if (--remaining[block] == 0) (completed ??= []).Add(Finish(block));
        }

        return (IReadOnlyList<ProbabilityBlock>?)completed ?? [];
    }

    private ProbabilityBlock Finish((int Column, int Row) block)
    {
        remaining.Remove(block);
        open.Remove(block, out var accumulator);
        var width = Math.Min(BlockSize, plan.Geometry.Width - (block.Column * BlockSize));
        var height = Math.Min(BlockSize, plan.Geometry.Height - (block.Row * BlockSize));
        var plane = width * height;
        var bytes = new byte[classes * plane];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var at = (y * BlockSize) + x;
                var weight = accumulator?.Weights[at] ?? 0f;
                for (var c = 0; c < classes; c++)
                {
                    var p = weight > 0 ? accumulator!.Sums[(c * BlockSize * BlockSize) + at] / weight : (c == 0 && hasBackground ? 1f : 0f);
                    bytes[(c * plane) + (y * width) + x] = (byte)Math.Clamp((p * 255f) + 0.5f, 0f, 255f);
                }
            }

        var result = new ProbabilityBlock(block.Column, block.Row, width, height, classes, bytes);
        contours?.Add(result);
        return result;
    }

    private IEnumerable<(int Column, int Row)> BlocksOf(PlannedTile tile)
    {
        var right = Math.Min(tile.X + plan.TileSize, plan.Geometry.Width) - 1;
        var bottom = Math.Min(tile.Y + plan.TileSize, plan.Geometry.Height) - 1;
        for (var row = tile.Y / BlockSize; row <= bottom / BlockSize; row++)
            for (var column = tile.X / BlockSize; column <= right / BlockSize; column++)
                yield return (column, row);
    }

    private sealed class Accumulator(int classes)
    {
        public float[] Sums { get; } = new float[classes * BlockSize * BlockSize];

        public float[] Weights { get; } = new float[BlockSize * BlockSize];
    }
}
