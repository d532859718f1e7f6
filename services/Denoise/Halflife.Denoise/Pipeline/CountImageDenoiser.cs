using Halflife.Denoise.Filtering;
using Halflife.Dicom;
using Halflife.Dicom.Imaging;
using Microsoft.Extensions.Options;

namespace Halflife.Denoise.Pipeline;

/// <summary>
/// Decodes the frames (anterior/posterior views) of an NM image into counts (Rescale Slope/Intercept applied) and
/// denoises each with Anscombe + non-local means. Everything that makes an image unusable is a
/// <see cref="DenoiseNotPossibleException"/>, never a retry.
/// </summary>
public sealed class CountImageDenoiser(IOptions<DenoiseOptions> options)
{
    public NonLocalMeansParameters Parameters => options.Value.Parameters;

    public DenoisedImage Denoise(DicomDataset dataset)
    {
        var o = options.Value;
        DicomPixelData pixels;
        try { pixels = DicomPixelData.Create(dataset); }
        catch (DicomException e) { throw new DenoiseNotPossibleException($"no usable pixel data ({e.Message})", e); }
        if (pixels.SamplesPerPixel != 1)
            throw new DenoiseNotPossibleException($"{pixels.SamplesPerPixel} samples per pixel; only single-channel count images are denoised");
        if ((long)pixels.Width * pixels.Height * pixels.NumberOfFrames > o.MaxPixels)
            throw new DenoiseNotPossibleException($"{pixels.NumberOfFrames} frames of {pixels.Width}x{pixels.Height} exceed the limit of {o.MaxPixels} pixels");

        var slope = dataset.GetSingleValueOrDefault(DicomTag.RescaleSlope, 1.0);
        var intercept = dataset.GetSingleValueOrDefault(DicomTag.RescaleIntercept, 0.0);
        var parameters = o.Parameters;
        var frames = new float[pixels.NumberOfFrames][];
        for (var f = 0; f < frames.Length; f++)
        {
            long[] values;
            try { values = pixels.GetFrameValues(f); }
            catch (DicomCodecException e) { throw new DenoiseNotPossibleException(e.Message, e); } // "cannot decode: <transfer syntax>"
            catch (DicomException e) { throw new DenoiseNotPossibleException($"frame {f} cannot be read ({e.Message})", e); }
            // Counts cannot be negative; a negative value (signed storage, an odd intercept) is treated as none.
            var counts = new float[values.Length];
            for (var i = 0; i < values.Length; i++) counts[i] = (float)Math.Max(values[i] * slope + intercept, 0);
            frames[f] = PoissonDenoiser.Denoise(counts, pixels.Width, pixels.Height, parameters, o.MaxThreads);
        }
        return new DenoisedImage(pixels.Width, pixels.Height, frames);
    }
}
