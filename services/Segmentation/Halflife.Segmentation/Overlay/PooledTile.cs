using Halflife.Imaging;
using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Overlay;

/// <summary>
/// A grid of overlay pixels, each the strongest foreground class under it and that class's probability (0..255),
/// max-pooled from probability blocks. Max-pooling rather than averaging keeps a small tumour focus visible when the
/// whole slide is seen at once, which is exactly when a pathologist decides where to look.
/// </summary>
public sealed class PooledTile(int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    /// <summary>Output channel + 1 of the strongest class; 0 where no block has covered the pixel yet.</summary>
    public byte[] Classes { get; } = new byte[width * height];
    public byte[] Probabilities { get; } = new byte[width * height];

    /// <summary>
    /// Pools <paramref name="block"/> (at full overlay resolution) into this grid, whose pixel (0, 0) is full-resolution
    /// pixel (<paramref name="originX"/>, <paramref name="originY"/>) and whose pixels each cover 2^<paramref name="shift"/>
    /// full-resolution pixels per side.
    /// </summary>
    public void Add(ProbabilityBlock block, IReadOnlyList<OverlayClass> classes, long originX, long originY, int shift)
    {
        var plane = block.Width * block.Height;
        var baseX = (long)block.BlockColumn * ProbabilityBlock.Size;
        var baseY = (long)block.BlockRow * ProbabilityBlock.Size;
        for (var y = 0; y < block.Height; y++)
        {
            var ty = (int)(((baseY + y) - originY) >> shift);
            if ((baseY + y) < originY || ty >= Height) continue;
            for (var x = 0; x < block.Width; x++)
            {
                var tx = (int)(((baseX + x) - originX) >> shift);
                if ((baseX + x) < originX || tx >= Width) continue;
                var offset = y * block.Width + x;
                var best = -1;
                byte bestP = 0;
                foreach (var c in classes)
                {
                    if (c.Index >= block.ClassCount) continue;
                    var p = block.Probabilities[c.Index * plane + offset];
                    if (best < 0 || p > bestP) (best, bestP) = (c.Index, p);
                }
                if (best < 0) continue;
                var target = ty * Width + tx;
                if (Classes[target] == 0 || bestP > Probabilities[target])
                {
                    Classes[target] = (byte)(best + 1);
                    Probabilities[target] = bestP;
                }
            }
        }
    }

    /// <summary>
    /// Pools the window of a finer grid that this grid covers: source pixel (x, y) lands on
    /// ((x - originX) >> shift, (y - originY) >> shift).
    /// </summary>
    public void Add(PooledTile source, int originX, int originY, int shift)
    {
        var endY = (int)Math.Min(source.Height, originY + ((long)Height << shift));
        var endX = (int)Math.Min(source.Width, originX + ((long)Width << shift));
        for (var y = Math.Max(0, originY); y < endY; y++)
        {
            var row = ((y - originY) >> shift) * Width;
            for (var x = Math.Max(0, originX); x < endX; x++)
            {
                var s = y * source.Width + x;
                if (source.Classes[s] == 0) continue;
                var t = row + ((x - originX) >> shift);
                if (Classes[t] == 0 || source.Probabilities[s] > Probabilities[t])
                {
                    Classes[t] = source.Classes[s];
                    Probabilities[t] = source.Probabilities[s];
                }
            }
        }
    }

    /// <summary>
    /// BGRA pixels: each class its colour where its probability is at least 0.5, with alpha equal to the probability
    /// (so a confident call is nearly opaque and a borderline one faint); transparent elsewhere.
    /// </summary>
    public Bgra32Image Render(IReadOnlyList<OverlayClass> classes)
    {
        var colours = new (byte R, byte G, byte B)?[256];
        foreach (var c in classes)
            if (c.Index < 255) colours[c.Index + 1] = c.Rgb;
        var pixels = new byte[Width * Height * Bgra32Image.BytesPerPixel];
        for (var i = 0; i < Classes.Length; i++)
        {
            var p = Probabilities[i];
            if (p < Threshold || colours[Classes[i]] is not { } rgb) continue;
            var o = i * Bgra32Image.BytesPerPixel;
            pixels[o] = rgb.B;
            pixels[o + 1] = rgb.G;
            pixels[o + 2] = rgb.R;
            pixels[o + 3] = p;
        }
        return new Bgra32Image(Width, Height, pixels);
    }

    /// <summary>0.5 as a probability byte.</summary>
    public const byte Threshold = 128;
}
