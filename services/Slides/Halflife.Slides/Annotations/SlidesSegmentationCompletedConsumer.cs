using System.Text.Json;
using System.Text.Json.Nodes;
using Halflife.Contracts;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Storage;
using Halflife.Slides.Api;
using Halflife.Slides.Catalogue;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Slides.Annotations;

/// <summary>
/// Saves a succeeded segmentation's contours (a GeoJSON blob the Segmentation service wrote) as the slide's "AI"
/// layer. A newer run of a model replaces that model's proposals nobody has reviewed yet; accepted or edited ones
/// stay. Features the annotation rules refuse (a ring that crosses itself after simplification) are left out and
/// counted in the log. All in one transaction with the processed-message row, so a redelivery changes nothing.
/// </summary>
public sealed class SlidesSegmentationCompletedConsumer(
    SlidesDbContext db, AnnotationService annotations, IBlobStore blobs, ILogger<SlidesSegmentationCompletedConsumer> logger)
    : IConsumer<SegmentationCompleted>
{
    private const long MaxContoursBytes = 256L * 1024 * 1024;
    private const int MaxFeatures = 100_000;

    public async Task Consume(ConsumeContext<SegmentationCompleted> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        if (message.Outcome != "succeeded" || message.ContoursBlobKey is null) return;
        if (!await db.TryBeginProcessingAsync(context, nameof(SlidesSegmentationCompletedConsumer))) return;
        var slide = await db.FindLiveAsync(message.SlideId, ct);
        if (slide is null)
        {
            logger.LogInformation("Segmentation job {Job} finished for slide {Slide}, which is gone; no AI layer saved", message.JobId, message.SlideId);
            await db.SaveChangesAsync(ct);
            return;
        }

        var features = await ReadFeaturesAsync(message.ContoursBlobKey, ct);
        var accepted = new List<JsonObject>();
        var refused = 0;
        foreach (var feature in features.Take(MaxFeatures))
        {
            if (feature is JsonObject f && FeatureValidator.Validate(f, slide.Width, slide.Height) is null)
            {
                var properties = (JsonObject)(f["properties"] ??= new JsonObject());
                properties["layer"] = AiLayer.Name;
                properties["status"] ??= AiLayer.Proposed;
                accepted.Add(f);
            }
            else refused++;
        }

        var by = new Requester(AiLayer.Author, null);
        var now = DateTime.UtcNow;
        var previous = await db.Annotations.Where(a => a.SlideId == slide.Id && a.Layer == AiLayer.Name && a.DeletedAt == null).ToListAsync(ct);
        var replaced = 0;
        foreach (var old in previous.Where(a => AiLayer.IsUnreviewedProposalOf(a, message.ModelName)))
        {
            old.DeletedAt = now;
            db.AnnotationHistory.Add(new AnnotationHistory
            {
                Id = Guid.CreateVersion7(), AnnotationId = old.Id, SlideId = old.SlideId, Action = "delete", User = by.User,
                BeforeJson = old.FeatureJson, AfterJson = null, At = now,
            });
            replaced++;
        }
        // CreateAsync commits everything tracked: the replaced proposals, the new ones and the processed-message row.
        await annotations.CreateAsync(slide, accepted, by, ct);
        logger.LogInformation("AI layer of slide {Slide}: {Count} contours from job {Job} ({Model} {Version}); {Replaced} earlier proposals replaced, {Refused} refused",
            slide.Id, accepted.Count, message.JobId, message.ModelName, message.ModelVersion, replaced, refused);
    }

    private async Task<JsonArray> ReadFeaturesAsync(string key, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(key, cancellationToken: cancellationToken);
        var info = await blobs.GetInfoAsync(key, cancellationToken);
        if (info?.Length > MaxContoursBytes) throw new InvalidDataException($"Contours {key} exceed {MaxContoursBytes} bytes.");
        try
        {
            var document = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
            return document?["features"] as JsonArray ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Contours {key} are not GeoJSON: {e.Message}", e);
        }
    }
}
