using System.Diagnostics;
using System.Globalization;
using Halflife.Denoise.Filtering;
using Halflife.Dicom;
using Halflife.Dicom.Derivation;

namespace Halflife.Denoise.Pipeline;

/// <summary>
/// Reads an original instance and returns its denoised derived object, or null — with the reason logged — when it
/// can never be denoised, so that the caller records the message as processed and does not retry.
/// </summary>
/// <summary>A denoised derived object and what it holds.</summary>
public sealed record DenoiseResult(DicomFile File, int Frames, int Width, int Height, double Milliseconds);

public sealed class InstanceDenoiser(CountImageDenoiser denoiser, ILogger<InstanceDenoiser> logger)
{
    public NonLocalMeansParameters Parameters => denoiser.Parameters;

    /// <summary>The derivation recorded on every denoised object; its identity (method, version, parameters) goes into the UIDs.</summary>
    public DerivationInfo Derivation => new(
        $"Denoised with {PoissonDenoiser.Method} {PoissonDenoiser.Version} (Halflife): Anscombe transform, non-local means ({Parameters}), " +
        "closed-form unbiased inverse Anscombe (Makitalo and Foi 2011)",
        "[denoised]",
        [PoissonDenoiser.Method, PoissonDenoiser.Version, Parameters.ToString()]);

    public async Task<DenoiseResult?> TryDenoiseAsync(Stream original, string sopInstanceUid, Activity? activity, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var outcome = "failed";
        try
        {
            var source = await DicomFile.OpenAsync(original, new DicomReadOptions { CancellationToken = cancellationToken });
            var image = denoiser.Denoise(source.Dataset);
            activity?.SetTag("denoise.frames", image.Frames.Count);
            activity?.SetTag("denoise.shape", string.Create(CultureInfo.InvariantCulture, $"{image.Frames.Count}x{image.Height}x{image.Width}"));
            var derived = DerivedInstanceBuilder.Build(source.Dataset, Derivation, DerivedFrames.FromReal(image.Width, image.Height, image.Frames));
            outcome = "denoised";
            return new DenoiseResult(derived, image.Frames.Count, image.Width, image.Height, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is DenoiseNotPossibleException or DicomException or EndOfStreamException or InvalidDataException)
        {
            outcome = "not possible";
            logger.LogWarning("cannot denoise {Uid}: {Reason}", sopInstanceUid, e.Message);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            return null;
        }
        finally
        {
            DenoiseTelemetry.Duration.Record(clock.Elapsed.TotalMilliseconds,
                new KeyValuePair<string, object?>("method", PoissonDenoiser.Method), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
