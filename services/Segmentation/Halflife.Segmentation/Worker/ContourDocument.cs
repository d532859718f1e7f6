using System.Text.Json;
using Halflife.Contracts;
using Halflife.Segmentation.Overlay;
using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Worker;

/// <summary>
/// The job's contours as a GeoJSON FeatureCollection in level-0 slide pixels, shaped like the Slides service's
/// annotations (QuPath's export shape): one Polygon Feature per contour with classification {name, color} and the
/// AI properties class, probability, model, modelVersion, jobId, status "proposed", layer "AI".
/// </summary>
public static class ContourDocument
{
    public const string Layer = "AI";
    public const string Proposed = "proposed";

    public static byte[] Write(IReadOnlyList<SegmentationPolygon> polygons, IReadOnlyList<OverlayClass> classes, SegmentationRequested job,
        long slideWidth, long slideHeight)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var polygon in polygons)
            {
                if (polygon.Ring.Count < 4) continue;
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteStartObject("geometry");
                json.WriteString("type", "Polygon");
                json.WriteStartArray("coordinates");
                json.WriteStartArray();
                foreach (var (x, y) in polygon.Ring)
                {
                    json.WriteStartArray();
                    // The pipeline's rings follow pixel edges and may touch the slide's far edge; the annotation
                    // validator refuses anything outside 0..width x 0..height.
                    json.WriteNumberValue(Math.Round(Math.Clamp(x, 0, slideWidth), 1));
                    json.WriteNumberValue(Math.Round(Math.Clamp(y, 0, slideHeight), 1));
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteString("layer", Layer);
                json.WriteString("objectType", "annotation");
                json.WriteStartObject("classification");
                json.WriteString("name", polygon.ClassName);
                json.WriteString("color", classes.FirstOrDefault(c => c.Index == polygon.ClassIndex)?.Color ?? "#808080");
                json.WriteEndObject();
                json.WriteString("class", polygon.ClassName);
                json.WriteNumber("probability", Math.Round(polygon.Probability, 4));
                json.WriteString("model", job.ModelName);
                json.WriteString("modelVersion", job.ModelVersion);
                json.WriteString("jobId", job.JobId.ToString());
                json.WriteString("status", Proposed);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
