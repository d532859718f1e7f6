namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Vector results from the stitched map: for each non-background class, the outline of every 4-connected region where
/// its probability is at least 0.5 (marching squares), simplified with Douglas-Peucker to about one overlay pixel,
/// with the mean probability over the region's pixels, in level-0 slide pixels. Holes are not cut out: the contract's
/// polygon is one ring, so a region with a hole is its outer boundary (its mean probability counts only the region's
/// own pixels, never the hole's). Specks below <see cref="MinArea"/> overlay pixels are dropped, and at most
/// <see cref="MaxPolygons"/> (the largest) are kept so the annotation layer stays usable.
/// </summary>
internal static class ContourExtractor
{
    public const int Threshold = 128; // p >= 0.5 in 0..255
    public const double MinArea = 16;
    public const int MaxPolygons = 20_000;

    public static List<SegmentationPolygon> Extract(ContourMap map, IReadOnlyList<string> classes, CancellationToken cancellationToken)
    {
        var polygons = new List<(double Area, SegmentationPolygon Polygon)>();
        var cellArea = (double)map.Scale * map.Scale;
        for (var k = 0; k < map.ClassIndexes.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var classIndex = map.ClassIndexes[k];
            var values = map.Values(k);
            var (labels, sums, counts) = Components(values, map.Width, map.Height);
            foreach (var ring in MarchingSquares.Trace(values, map.Width, map.Height, Threshold))
            {
                var area = ring.SignedArea;
                if (area <= 0 || area * cellArea < MinArea) continue; // holes run the other way
                var label = labels[ring.Seed];
                var probability = sums[label] / (255.0 * counts[label]);
                var simplified = PolygonSimplifier.SimplifyRing(ring.Points, 1.0);
                var slide = simplified.Select(p => map.ToSlide(p.X, p.Y)).ToList();
                slide.Add(slide[0]);
                polygons.Add((area, new SegmentationPolygon(classIndex, classes[classIndex], Math.Round(probability, 4), slide)));
            }
        }

        return polygons.OrderByDescending(p => p.Area).Take(MaxPolygons).Select(p => p.Polygon).ToList();
    }

    /// <summary>4-connected labelling of samples at or above the threshold, with the sum and count of each label.</summary>
    private static (int[] Labels, List<long> Sums, List<int> Counts) Components(byte[] values, int width, int height)
    {
        var labels = new int[values.Length];
        List<long> sums = [0];
        List<int> counts = [0];
        var stack = new Stack<int>();
        for (var start = 0; start < values.Length; start++)
        {
            if (values[start] < Threshold || labels[start] != 0) continue;
            var label = sums.Count;
            long sum = 0;
            var count = 0;
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                sum += values[i];
                count++;
                int x = i % width, y = i / width;
                if (x > 0) Visit(i - 1);
                if (x < width - 1) Visit(i + 1);
                if (y > 0) Visit(i - width);
                if (y < height - 1) Visit(i + width);
            }

            sums.Add(sum);
            counts.Add(count);

            void Visit(int j)
            {
                if (values[j] >= Threshold && labels[j] == 0)
                {
                    labels[j] = label;
                    stack.Push(j);
                }
            }
        }

        return (labels, sums, counts);
    }
}
