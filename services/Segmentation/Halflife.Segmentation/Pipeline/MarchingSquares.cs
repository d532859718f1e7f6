namespace Halflife.Segmentation.Pipeline;

/// <summary>A closed contour in cell coordinates (a value's sample sits at the cell centre, x + 0.5); <see cref="Seed"/> is a cell inside it.</summary>
internal sealed record ContourRing(List<(double X, double Y)> Points, int Seed)
{
    /// <summary>Shoelace area (y down): positive for an outer boundary, negative for a hole.</summary>
    public double SignedArea
    {
        get
        {
            double sum = 0;
            for (int i = 0, j = Points.Count - 1; i < Points.Count; j = i++)
                sum += (Points[j].X * Points[i].Y) - (Points[i].X * Points[j].Y);
            return sum / 2;
        }
    }
}

/// <summary>
/// Marching squares on a byte map at a threshold: the iso-line between samples at or above it (foreground) and
/// below it, with crossings interpolated linearly, as closed rings. The map is padded with background so every ring
/// closes. Saddles separate diagonal foreground samples, i.e. foreground is 4-connected, which matches the component
/// labelling that assigns each ring its pixels. Segments keep foreground on one side, so outer rings and holes come
/// out with opposite orientation.
/// </summary>
internal static class MarchingSquares
{
    public static List<ContourRing> Trace(byte[] values, int width, int height, int threshold)
    {
        // Grid points of the padded map: (a, b) is sample (a - 1, b - 1).
        int gw = width + 2, gh = height + 2;
        bool Inside(int a, int b) => a > 0 && b > 0 && a <= width && b <= height && values[((b - 1) * width) + a - 1] >= threshold;
        double Value(int a, int b) => a > 0 && b > 0 && a <= width && b <= height ? values[((b - 1) * width) + a - 1] : 0;

        var next = new Dictionary<int, (int To, int Seed)>();
        Span<int> corners = stackalloc int[4];
        Span<int> edges = stackalloc int[4];
        for (var b = 0; b < gh - 1; b++)
            for (var a = 0; a < gw - 1; a++)
            {
                // Corners clockwise (y down): TL, TR, BR, BL; edge k runs from corner k to corner k + 1.
                bool tl = Inside(a, b), tr = Inside(a + 1, b), br = Inside(a + 1, b + 1), bl = Inside(a, b + 1);
                if (tl == tr && tr == br && br == bl) continue;
                Span<bool> inside = [tl, tr, br, bl];
                corners[0] = ((b - 1) * width) + a - 1; corners[1] = ((b - 1) * width) + a; corners[2] = (b * width) + a; corners[3] = (b * width) + a - 1;
                edges[0] = HorizontalEdge(a, b, gw); edges[1] = VerticalEdge(a + 1, b, gw); edges[2] = HorizontalEdge(a, b + 1, gw); edges[3] = VerticalEdge(a, b, gw);
                // Walking the corners clockwise, each foreground run is entered through one edge and left through
                // another; its segment runs from the edge where it is left to the edge where it was entered.
                for (var k = 0; k < 4; k++)
                {
                    var enter = (k + 3) % 4; // edge from the previous corner into corner k
                    if (!inside[k] || inside[(k + 3) % 4]) continue;
                    var end = k;
                    while (inside[(end + 1) % 4]) end = (end + 1) % 4;
                    next[edges[end]] = (edges[enter], corners[k]);
                }
            }

        var rings = new List<ContourRing>();
        var visited = new HashSet<int>();
        foreach (var start in next.Keys)
        {
            if (!visited.Add(start)) continue;
            var points = new List<(double X, double Y)>();
            var seed = next[start].Seed;
            var edge = start;
            while (true)
            {
                points.Add(Crossing(edge, gw, threshold, Value));
                edge = next[edge].To;
                if (edge == start || !visited.Add(edge)) break;
            }

            rings.Add(new ContourRing(points, seed));
        }

        return rings;
    }

    private static int HorizontalEdge(int a, int b, int gw) => ((b * gw) + a) * 2;

    private static int VerticalEdge(int a, int b, int gw) => (((b * gw) + a) * 2) + 1;

    /// <summary>Where the iso-line crosses the edge, in sample coordinates (sample (i, j) at (i + 0.5, j + 0.5)).</summary>
    private static (double X, double Y) Crossing(int edge, int gw, int threshold, Func<int, int, double> value)
    {
        var point = edge / 2;
        int a = point % gw, b = point / gw;
        var vertical = (edge & 1) == 1;
        int a2 = vertical ? a : a + 1, b2 = vertical ? b + 1 : b;
        double v1 = value(a, b), v2 = value(a2, b2);
        var t = v1 == v2 ? 0.5 : Math.Clamp((threshold - 0.5 - v1) / (v2 - v1), 0, 1);
        return (a - 0.5 + ((a2 - a) * t), b - 0.5 + ((b2 - b) * t));
    }
}
