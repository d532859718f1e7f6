namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// The region's probability map of every non-background class, kept for contouring after the blocks have gone to the
/// sink. Averaged over <see cref="Scale"/> x <see cref="Scale"/> overlay pixels when the region is too large to hold at
/// full resolution (at most <see cref="MaxCells"/> cells per class), so memory stays bounded on any slide.
/// </summary>
internal sealed class ContourMap
{
    public const long MaxCells = 4L * 1024 * 1024;

    private readonly SlideGeometry geometry;
    private readonly int[] classIndexes;
    private readonly int[][] sums;

    public ContourMap(SlideGeometry geometry, IReadOnlyList<int> classIndexes)
    {
        this.geometry = geometry;
        this.classIndexes = [.. classIndexes];
        var scale = 1;
        while ((long)Math.Ceiling(geometry.RegionWidth / (double)scale) * (long)Math.Ceiling(geometry.RegionHeight / (double)scale) > MaxCells) scale++;
        Scale = scale;
        Width = (geometry.RegionWidth + scale - 1) / scale;
        Height = (geometry.RegionHeight + scale - 1) / scale;
        sums = this.classIndexes.Select(_ => new int[Width * Height]).ToArray();
    }

    /// <summary>Overlay pixels per cell along each axis.</summary>
    public int Scale { get; }

    public int Width { get; }

    public int Height { get; }

    public IReadOnlyList<int> ClassIndexes => classIndexes;

    public void Add(ProbabilityBlock block)
    {
        int bx = block.BlockColumn * ProbabilityBlock.Size, by = block.BlockRow * ProbabilityBlock.Size, plane = block.Width * block.Height;
        int x0 = Math.Max(bx, geometry.RegionX), x1 = Math.Min(bx + block.Width, geometry.RegionX + geometry.RegionWidth);
        int y0 = Math.Max(by, geometry.RegionY), y1 = Math.Min(by + block.Height, geometry.RegionY + geometry.RegionHeight);
        for (var k = 0; k < classIndexes.Length; k++)
        {
            var target = sums[k];
            var offset = classIndexes[k] * plane;
            for (var y = y0; y < y1; y++)
            {
                var row = ((y - geometry.RegionY) / Scale) * Width;
                for (var x = x0; x < x1; x++)
                    target[row + ((x - geometry.RegionX) / Scale)] += block.Probabilities[offset + ((y - by) * block.Width) + (x - bx)];
            }
        }
    }

    /// <summary>Mean probability (0..255) per cell of the k-th contoured class.</summary>
    public byte[] Values(int k)
    {
        var values = new byte[Width * Height];
        for (var cy = 0; cy < Height; cy++)
        {
            var rows = Math.Min(Scale, geometry.RegionHeight - (cy * Scale));
            for (var cx = 0; cx < Width; cx++)
            {
                var count = rows * Math.Min(Scale, geometry.RegionWidth - (cx * Scale));
                values[(cy * Width) + cx] = (byte)((sums[k][(cy * Width) + cx] + (count / 2)) / count);
            }
        }

        return values;
    }

    /// <summary>Level-0 slide coordinates of a point in cell coordinates (cell centres at integer + 0.5).</summary>
    public (double X, double Y) ToSlide(double cellX, double cellY) =>
        ((geometry.RegionX + (cellX * Scale)) * geometry.Downsample, (geometry.RegionY + (cellY * Scale)) * geometry.Downsample);
}
