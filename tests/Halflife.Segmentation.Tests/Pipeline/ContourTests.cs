using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Tests.Pipeline;

public sealed class ContourTests
{
    [Fact]
    public async Task A_disc_becomes_one_polygon_of_the_discs_area_in_slide_pixels()
    {
        // A hematoxylin-rich disc (radius 900 level-0 pixels) in eosin; the model marks blue > red.
        const double cx = 2100, cy = 1700, radius = 900;
        var slide = new SyntheticSlide(4000, 3200, 0.5, (x, y) =>
            Math.Pow(x - cx, 2) + Math.Pow(y - cy, 2) < radius * radius ? SyntheticSlide.Hematoxylin : SyntheticSlide.Eosin);
        var model = new FunctionModel(128, 16, 1.0, (r, _, b) => b > r ? 0.95f : 0.05f);

        var (result, _) = await PipelineRun.RunAsync(slide, model, cancellationToken: TestContext.Current.CancellationToken);

        var polygon = Assert.Single(result.Polygons);
        Assert.Equal(1, polygon.ClassIndex);
        Assert.Equal("tumour-like", polygon.ClassName);
        Assert.InRange(polygon.Probability, 0.94, 0.96);
        Assert.Equal(polygon.Ring[0], polygon.Ring[^1]); // closed
        var area = Math.Abs(Area(polygon.Ring));
        Assert.InRange(area / (Math.PI * radius * radius), 0.97, 1.03);
        var (centreX, centreY) = Centroid(polygon.Ring);
        Assert.InRange(centreX, cx - 3, cx + 3);
        Assert.InRange(centreY, cy - 3, cy + 3);
        Assert.InRange(polygon.Ring.Count, 20, 400); // simplified, but still round
        Assert.All(polygon.Ring, p => Assert.InRange(Math.Sqrt(Math.Pow(p.X - cx, 2) + Math.Pow(p.Y - cy, 2)), radius - 6, radius + 6));
    }

    [Fact]
    public void A_ring_with_a_hole_gives_its_outer_boundary_and_the_mean_of_its_own_pixels()
    {
        // 40 x 40 square of 200 with a 10 x 10 hole of 0, plus one stray pixel of 255 (too small to keep).
        var geometry = new SlideGeometry(100, 100, 1, 100, 100, 0, 0, 100, 100, false);
        var map = new ContourMap(geometry, [1]);
        var probabilities = new byte[2 * 100 * 100];
        for (var y = 10; y < 50; y++)
            for (var x = 10; x < 50; x++)
                probabilities[10000 + (y * 100) + x] = (byte)(x is >= 25 and < 35 && y is >= 25 and < 35 ? 0 : 200);
        probabilities[10000 + (80 * 100) + 80] = 255;
        map.Add(new ProbabilityBlock(0, 0, 100, 100, 2, probabilities));

        var polygons = ContourExtractor.Extract(map, ["background", "tumour"], TestContext.Current.CancellationToken);

        var polygon = Assert.Single(polygons);
        // The outline crosses 0.5 about 0.36 pixels outside the outer samples (39.7 px wide): ~1578 px² less corner
        // rounding; with the hole cut out it would be ~100 less.
        Assert.InRange(Math.Abs(Area(polygon.Ring)), 1530, 1590);
        Assert.Equal(200 / 255.0, polygon.Probability, 3); // the hole's zeros do not count
    }

    [Fact]
    public void Douglas_Peucker_keeps_a_circle_within_the_tolerance_with_far_fewer_points()
    {
        var ring = Enumerable.Range(0, 2000).Select(i => (X: 500 * Math.Cos(i * Math.Tau / 2000), Y: 500 * Math.Sin(i * Math.Tau / 2000))).ToList();

        var simplified = PolygonSimplifier.SimplifyRing(ring, 1.0);

        Assert.InRange(simplified.Count, 30, 200);
        // Every arc between kept points stays within the tolerance of its chord (the sagitta at the chord's middle <= 1).
        for (var i = 0; i < simplified.Count; i++)
        {
            var (a, b) = (simplified[i], simplified[(i + 1) % simplified.Count]);
            var mid = ((a.X + b.X) / 2, (a.Y + b.Y) / 2);
            Assert.True(500 - Math.Sqrt((mid.Item1 * mid.Item1) + (mid.Item2 * mid.Item2)) <= 1.0001);
        }
    }

    private static (double X, double Y) Centroid(IReadOnlyList<(double X, double Y)> ring)
    {
        double x = 0, y = 0, area = Area(ring);
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            var cross = (ring[j].X * ring[i].Y) - (ring[i].X * ring[j].Y);
            x += (ring[j].X + ring[i].X) * cross;
            y += (ring[j].Y + ring[i].Y) * cross;
        }

        return (x / (6 * area), y / (6 * area));
    }

    private static double Area(IReadOnlyList<(double X, double Y)> ring)
    {
        double sum = 0;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
            sum += (ring[j].X * ring[i].Y) - (ring[i].X * ring[j].Y);
        return sum / 2;
    }
}
