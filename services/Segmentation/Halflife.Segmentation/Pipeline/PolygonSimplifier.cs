namespace Halflife.Segmentation.Pipeline;

/// <summary>Douglas-Peucker simplification of a closed ring (iterative: a long coastline must not overflow the stack).</summary>
internal static class PolygonSimplifier
{
    public static List<(double X, double Y)> SimplifyRing(IReadOnlyList<(double X, double Y)> ring, double tolerance)
    {
        if (ring.Count <= 4) return [.. ring];
        // A closed ring has no natural ends: split it at the first point and the point farthest from it.
        var far = 0;
        var farthest = -1.0;
        for (var i = 1; i < ring.Count; i++)
        {
            var d = Square(ring[i].X - ring[0].X) + Square(ring[i].Y - ring[0].Y);
            if (d > farthest) (farthest, far) = (d, i);
        }

        var keep = new bool[ring.Count + 1]; // index ring.Count is the first point again
        keep[0] = keep[far] = keep[ring.Count] = true;
        var point = (int i) => ring[i % ring.Count];
        var spans = new Stack<(int From, int To)>([(0, far), (far, ring.Count)]);
        var squaredTolerance = tolerance * tolerance;
        while (spans.Count > 0)
        {
            var (from, to) = spans.Pop();
            if (to - from < 2) continue;
            var (a, b) = (point(from), point(to));
            var worst = -1.0;
            var at = -1;
            for (var i = from + 1; i < to; i++)
            {
                var d = SquaredDistanceToSegment(point(i), a, b);
                if (d > worst) (worst, at) = (d, i);
            }

            if (worst <= squaredTolerance) continue;
            keep[at] = true;
            spans.Push((from, at));
            spans.Push((at, to));
        }

        var result = new List<(double X, double Y)>();
        for (var i = 0; i < ring.Count; i++)
            if (keep[i]) result.Add(ring[i]);
        return result;
    }

    private static double Square(double v) => v * v;

    private static double SquaredDistanceToSegment((double X, double Y) p, (double X, double Y) a, (double X, double Y) b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        var length = (dx * dx) + (dy * dy);
        var t = length == 0 ? 0 : Math.Clamp((((p.X - a.X) * dx) + ((p.Y - a.Y) * dy)) / length, 0, 1);
        return Square(p.X - (a.X + (t * dx))) + Square(p.Y - (a.Y + (t * dy)));
    }
}
