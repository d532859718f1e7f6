using System.Text.Json;
using System.Text.Json.Nodes;

namespace Halflife.Slides.Annotations;

/// <summary>
/// Checks one GeoJSON Feature as QuPath exports it: geometry in level-0 pixel coordinates (x right, y down),
/// properties.classification {name, color}. Everything a viewer or a training job would choke on is refused here:
/// unclosed or degenerate rings, self-crossing rings, points outside the slide, absurd sizes.
/// </summary>
public static class FeatureValidator
{
    public const int MaxVertices = 100_000;
    public const int MaxNameLength = 128;
    public const int MaxLayerLength = 64;
    /// <summary>Rings longer than this skip the O(n²) self-intersection test (documented in docs/slides-api.md).</summary>
    public const int MaxRingForIntersectionCheck = 5_000;

    private static readonly string[] GeometryTypes = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"];

    /// <returns>The error, or null when the feature is valid.</returns>
    public static string? Validate(JsonNode? node, long width, long height)
    {
        if (node is not JsonObject feature || (string?)feature["type"] is not "Feature")
            return "The body must be a GeoJSON Feature ({\"type\":\"Feature\", \"geometry\": ..., \"properties\": ...}).";
        if (feature["geometry"] is not JsonObject geometry) return "The feature has no geometry object.";
        var type = geometry["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        if (type is null || !GeometryTypes.Contains(type)) return $"geometry.type must be one of {string.Join(", ", GeometryTypes)}.";
        if (geometry["coordinates"] is not JsonArray coordinates) return "geometry.coordinates must be an array.";

        var vertices = new Counter();
        var error = type switch
        {
            "Point" => Position(coordinates, width, height, vertices),
            "MultiPoint" => Each(coordinates, c => Position(c, width, height, vertices)),
            "LineString" => Line(coordinates, width, height, vertices),
            "MultiLineString" => Each(coordinates, c => Line(c, width, height, vertices)),
            "Polygon" => Polygon(coordinates, width, height, vertices),
            _ => Each(coordinates, c => Polygon(c, width, height, vertices)),
        };
        if (error is not null) return error;
        if (vertices.Count > MaxVertices) return $"The geometry has {vertices.Count} vertices; at most {MaxVertices} are accepted.";
        return Properties(feature["properties"]);
    }

    private delegate string? Check(JsonNode? node);

    private sealed class Counter
    {
        public int Count;
    }

    private static string? Each(JsonArray array, Check check)
    {
        if (array.Count == 0) return "A multi-geometry needs at least one member.";
        foreach (var item in array)
            if (check(item) is { } error) return error;
        return null;
    }

    private static string? Position(JsonNode? node, long width, long height, Counter vertices)
    {
        if (++vertices.Count > MaxVertices) return $"The geometry has more than {MaxVertices} vertices.";
        if (node is not JsonArray { Count: 2 or 3 } p || !TryNumber(p[0], out var x) || !TryNumber(p[1], out var y))
            return "A position must be [x, y] with finite numbers.";
        if (x < 0 || y < 0 || x > width || y > height)
            return $"Position [{x}, {y}] lies outside the slide (0..{width} x 0..{height} level-0 pixels).";
        return null;
    }

    private static string? Line(JsonNode? node, long width, long height, Counter vertices)
    {
        if (node is not JsonArray { Count: >= 2 } line) return "A LineString needs at least 2 positions.";
        foreach (var p in line)
            if (Position(p, width, height, vertices) is { } error) return error;
        return null;
    }

    private static string? Polygon(JsonNode? node, long width, long height, Counter vertices)
    {
        if (node is not JsonArray { Count: >= 1 } rings) return "A Polygon needs at least one linear ring.";
        foreach (var ringNode in rings)
        {
            if (ringNode is not JsonArray { Count: >= 4 } ring) return "A polygon ring needs at least 4 positions (closed triangle).";
            foreach (var p in ring)
                if (Position(p, width, height, vertices) is { } error) return error;
            var points = ring.Select(p => (X: (double)p![0]!, Y: (double)p![1]!)).ToArray();
            if (points[0] != points[^1]) return "A polygon ring must be closed: its last position must equal its first.";
            if (points.Length <= MaxRingForIntersectionCheck && SelfIntersects(points)) return "A polygon ring crosses itself.";
        }
        return null;
    }

    private static string? Properties(JsonNode? node)
    {
        if (node is null) return null;
        if (node is not JsonObject properties) return "properties must be an object.";
        if (properties["classification"] is JsonNode c)
        {
            if (c is not JsonObject classification) return "properties.classification must be an object {name, color}.";
            if (classification["name"] is JsonValue name && ((string?)name)?.Length > MaxNameLength)
                return $"classification.name must be at most {MaxNameLength} characters.";
        }
        if (properties["layer"] is JsonNode layer && (layer.GetValueKind() != JsonValueKind.String || ((string?)layer)!.Length is 0 or > MaxLayerLength))
            return $"properties.layer must be a string of 1 to {MaxLayerLength} characters.";
        return null;
    }

    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value) && double.IsFinite(value);
    }

    /// <summary>Any two non-adjacent edges that touch or cross (the ring is closed: points[0] == points[^1]).</summary>
    private static bool SelfIntersects((double X, double Y)[] p)
    {
        var edges = p.Length - 1;
        for (var i = 0; i < edges; i++)
        for (var j = i + 1; j < edges; j++)
        {
            if (j == i + 1 || (i == 0 && j == edges - 1)) continue; // neighbours share a vertex by construction
            if (SegmentsTouch(p[i], p[i + 1], p[j], p[j + 1])) return true;
        }
        return false;
    }

    private static bool SegmentsTouch((double X, double Y) a, (double X, double Y) b, (double X, double Y) c, (double X, double Y) d)
    {
        var d1 = Cross(c, d, a);
        var d2 = Cross(c, d, b);
        var d3 = Cross(a, b, c);
        var d4 = Cross(a, b, d);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
        return (d1 == 0 && OnSegment(c, d, a)) || (d2 == 0 && OnSegment(c, d, b)) || (d3 == 0 && OnSegment(a, b, c)) || (d4 == 0 && OnSegment(a, b, d));
    }

    private static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
        (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);

    private static bool OnSegment((double X, double Y) a, (double X, double Y) b, (double X, double Y) p) =>
        Math.Min(a.X, b.X) <= p.X && p.X <= Math.Max(a.X, b.X) && Math.Min(a.Y, b.Y) <= p.Y && p.Y <= Math.Max(a.Y, b.Y);
}
