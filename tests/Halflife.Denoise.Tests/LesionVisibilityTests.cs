using Halflife.Evaluation;

namespace Halflife.Denoise.Tests;

/// <summary>
/// Whether an input can show a lesion at all: the contrast-to-noise ratio of its expected counts against Rose's
/// threshold of 5, computed on the same core and ring as the contrast.
/// </summary>
public sealed class LesionVisibilityTests
{
    private const int Size = 64;
    private static readonly Lesion Spot = new(32, 32, 3);

    [Fact]
    public void Cnr_is_the_core_excess_over_the_poisson_noise_of_the_core()
    {
        // Background 10 counts, core 14: n core pixels (within 2.4 px) give (14 - 10) sqrt(n) / sqrt(10).
        var image = Disc(background: 10, core: 14);
        var n = CorePixels();
        Assert.Equal(4 * Math.Sqrt(n) / Math.Sqrt(10), ImageMetrics.LesionCnr(image, Size, Size, Spot), 6);
        Assert.Equal(0.4, ImageMetrics.LesionContrast(image, Size, Size, Spot), 6);
    }

    [Fact]
    public void The_same_contrast_is_visible_at_high_counts_and_not_at_low_counts()
    {
        var reference = Disc(1, 1.4f);
        var image = Disc(1, 1.2f); // recovery 0.5
        var high = ImageMetrics.LesionRecoveries(reference, image, Size, Size, [Spot], Disc(100, 140));
        var low = ImageMetrics.LesionRecoveries(reference, image, Size, Size, [Spot], Disc(2, 2.8f));
        var unknown = ImageMetrics.LesionRecoveries(reference, image, Size, Size, [Spot], null);

        Assert.Equal(0.5, high.Single().Recovery, 6);
        Assert.True(high.Single().Visible); // CNR 40 sqrt(n) / 10 ~ 18
        Assert.False(low.Single().Visible); // CNR 0.8 sqrt(n) / 1.41 ~ 2.6
        Assert.Null(unknown.Single().Visible);
    }

    private static int CorePixels()
    {
        var count = 0;
        for (var r = 0; r < Size; r++)
            for (var c = 0; c < Size; c++)
                count += Math.Sqrt(((r - Spot.Row) * (r - Spot.Row)) + ((c - Spot.Column) * (c - Spot.Column))) <= 0.8 * Spot.Radius ? 1 : 0;
        return count;
    }

    private static float[] Disc(float background, float core)
    {
        var image = new float[Size * Size];
        for (var r = 0; r < Size; r++)
            for (var c = 0; c < Size; c++)
            {
                var d = Math.Sqrt(((r - Spot.Row) * (r - Spot.Row)) + ((c - Spot.Column) * (c - Spot.Column)));
                image[(r * Size) + c] = d <= Spot.Radius ? core : background;
            }
        return image;
    }
}
