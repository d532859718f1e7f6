using Halflife.Imaging.Codecs;
using Halflife.Dicom.Imaging;
using Halflife.ServiceDefaults.Storage;

namespace Halflife.Dicom.Web;

/// <summary>Finds the blob of a stored DICOM object by its id in the service's own catalogue; null when unknown.</summary>
public delegate Task<string?> ResolveImageBlob(HttpContext context, Guid id, CancellationToken cancellationToken);

/// <summary>
/// The house convention for every resource that is a stored DICOM image: <c>{resource}/{id}/image</c> answers its
/// <see cref="ImageInfo"/> and <c>{resource}/{id}/render.png?frame=&amp;wc=&amp;ww=</c> a windowed PNG of one frame.
/// Original, denoised and restored images are thus fetched the same way and shown side by side.
/// </summary>
public static class DicomImageEndpoints
{
    /// <param name="resource">The route of the resource without the id, e.g. "/instances".</param>
    public static RouteGroupBuilder MapDicomImage(this RouteGroupBuilder group, string resource, string name, ResolveImageBlob resolve)
    {
        group.MapGet($"{resource}/{{id:guid}}/image", (HttpContext context, IBlobStore blobs, Guid id, CancellationToken ct) =>
                WithDataset(context, blobs, resolve, id, ct, dataset => Results.Ok(ImageInfo.Read(dataset))))
            .WithName($"Get{name}ImageInfo");
        group.MapGet($"{resource}/{{id:guid}}/render.png",
                (HttpContext context, IBlobStore blobs, Guid id, int? frame, double? wc, double? ww, CancellationToken ct) =>
                {
                    if ((wc is null) != (ww is null))
                        return Task.FromResult(Problem("Give both wc (window center) and ww (window width), or neither.", StatusCodes.Status400BadRequest));
                    WindowLevel? window = null;
                    if (wc is { } center && ww is { } width)
                    {
                        if (!double.IsFinite(center) || !double.IsFinite(width) || width < 1)
                            return Task.FromResult(Problem("ww must be at least 1 and wc and ww finite numbers.", StatusCodes.Status400BadRequest));
                        window = new WindowLevel(center, width);
                    }
                    return WithDataset(context, blobs, resolve, id, ct, dataset =>
                    {
                        var frames = DicomPixelData.Create(dataset).NumberOfFrames;
                        if (frame is { } f && (f < 0 || f >= frames))
                            return Problem($"Frame {f} does not exist: the image has {frames} frame(s), numbered from 0.", StatusCodes.Status400BadRequest);
                        var image = DicomImageRenderer.Render(dataset, frame ?? 0, window);
                        context.Response.Headers["X-Window-Center"] = image.Window.Center.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                        context.Response.Headers["X-Window-Width"] = image.Window.Width.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                        return Results.File(PngEncoder.EncodeGrey8(image.Width, image.Height, image.Pixels), "image/png");
                    });
                })
            .WithName($"Render{name}Png");
        return group;
    }

    private static async Task<IResult> WithDataset(HttpContext context, IBlobStore blobs, ResolveImageBlob resolve, Guid id,
        CancellationToken cancellationToken, Func<DicomDataset, IResult> answer)
    {
        var key = await resolve(context, id, cancellationToken);
        if (key is null) return Problem($"Image {id} does not exist.", StatusCodes.Status404NotFound);

        DicomDataset dataset;
        await using (var stream = await blobs.OpenReadAsync(key, cancellationToken: cancellationToken))
        using (var buffer = new MemoryStream())
        {
            // The reader needs a seekable stream; S3 streams are not. Objects shown here are single images (MBs).
            await stream.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            try
            {
                dataset = DicomFile.Open(buffer).Dataset;
            }
            catch (Exception e) when (e is DicomFileException or DicomDataException or EndOfStreamException or InvalidDataException)
            {
                return Problem($"The stored object {id} cannot be read as DICOM: {e.Message}", StatusCodes.Status422UnprocessableEntity);
            }
        }
        try
        {
            var result = answer(dataset);
            // Stored objects never change (content-addressed or derived once), so browsers may keep what they got.
            context.Response.Headers.CacheControl = "private, max-age=3600";
            return result;
        }
        catch (DicomCodecException e)
        {
            return Problem(e.Message, StatusCodes.Status422UnprocessableEntity);
        }
        catch (DicomDataException e)
        {
            return Problem(e.Message, StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static IResult Problem(string detail, int status) => Results.Problem(detail, statusCode: status);
}
