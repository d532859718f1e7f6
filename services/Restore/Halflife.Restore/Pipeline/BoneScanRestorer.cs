using Halflife.Dicom;
using Halflife.Dicom.Imaging;

namespace Halflife.Restore.Pipeline;

/// <summary>The restored frames of one instance, as unsigned 16-bit counts in the original frame order.</summary>
public sealed record RestoredImage(int Width, int Height, IReadOnlyList<ushort[]> Frames, bool RescaleApplied);

/// <summary>
/// Runs the bone-scan restoration model on every frame (view) of an NM image, with the model card's pre- and
/// post-processing (docs/restoration.md): counts / mean, zero padding to multiples of 16, output * mean, crop, >= 0.
/// </summary>
public sealed class BoneScanRestorer(RestorationModel model)
{
    private const int Multiple = 16;
    /// <summary>Bounds the memory of one run (the padded float batch): 64 M pixels is 256 MB in and as much out.</summary>
    private const long MaxPixels = 64L * 1024 * 1024;

    public RestoredImage Restore(DicomDataset dataset)
    {
        DicomPixelData pixels;
        try { pixels = DicomPixelData.Create(dataset); }
        catch (DicomException e) { throw new RestoreNotPossibleException($"no usable pixel data ({e.Message})", e); }
        if (pixels.SamplesPerPixel != 1)
            throw new RestoreNotPossibleException($"{pixels.SamplesPerPixel} samples per pixel; only single-channel images are restored");
        if (pixels.Width <= 0 || pixels.Height <= 0 || pixels.NumberOfFrames <= 0)
            throw new RestoreNotPossibleException($"empty image ({pixels.Width}x{pixels.Height}, {pixels.NumberOfFrames} frames)");

        int width = pixels.Width, height = pixels.Height, frames = pixels.NumberOfFrames;
        int paddedWidth = RoundUp(width), paddedHeight = RoundUp(height);
        if ((long)paddedWidth * paddedHeight * frames > MaxPixels)
            throw new RestoreNotPossibleException($"{frames} frames of {width}x{height} exceed the {MaxPixels} pixel limit of one run");

        var slope = dataset.GetSingleValueOrDefault(DicomTag.RescaleSlope, 1.0);
        var intercept = dataset.GetSingleValueOrDefault(DicomTag.RescaleIntercept, 0.0);
        var rescale = slope != 1.0 || intercept != 0.0;

        var plane = paddedWidth * paddedHeight;
        var input = new float[plane * frames];
        var means = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            long[] values;
            try { values = pixels.GetFrameValues(f); }
            catch (DicomException e) { throw new RestoreNotPossibleException($"frame {f} cannot be decoded ({e.Message})", e); }
            var counts = values.Select(v => v * slope + intercept).ToArray();
            means[f] = counts.Average();
            // A view without counts has nothing to restore; it stays zero instead of dividing by zero.
            var scale = means[f] > 0 ? 1.0 / means[f] : 0.0;
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    input[f * plane + y * paddedWidth + x] = (float)(counts[y * width + x] * scale);
        }

        var output = model.Run(input, frames, paddedHeight, paddedWidth);

        var restored = new ushort[frames][];
        for (var f = 0; f < frames; f++)
        {
            var frame = restored[f] = new ushort[width * height];
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    var value = output[f * plane + y * paddedWidth + x] * means[f];
                    frame[y * width + x] = (ushort)Math.Clamp(Math.Round(value), 0, ushort.MaxValue);
                }
        }
        return new RestoredImage(width, height, restored, rescale);
    }

    private static int RoundUp(int size) => (size + Multiple - 1) / Multiple * Multiple;
}
