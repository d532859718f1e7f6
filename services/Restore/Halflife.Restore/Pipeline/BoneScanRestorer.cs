using Halflife.Dicom;
using Halflife.Dicom.Derivation;
using Halflife.Dicom.Imaging;
using Halflife.Inference;
using Halflife.Models.Loading;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Runs a restoration model on every frame (view) of an NM image, with the pre- and post-processing its card asks
/// for (docs/restoration.md): counts / mean, zero padding to the card's size multiples, output * mean, crop, >= 0.
/// All views of an instance go through the model as one batch.
/// </summary>
public static class BoneScanRestorer
{
    /// <summary>Bounds the memory of one run (the padded float batch): 64 M pixels is 256 MB in and as much out.</summary>
    private const long MaxPixels = 64L * 1024 * 1024;

    public static DerivedFrames Restore(DicomDataset dataset, ModelLease model)
    {
        var spec = RestoreModelRequirements.Check(model.Card);
        DicomPixelData pixels;
        try { pixels = DicomPixelData.Create(dataset); }
        catch (DicomException e) { throw new RestoreNotPossibleException($"no usable pixel data ({e.Message})", e); }
        if (pixels.SamplesPerPixel != 1)
            throw new RestoreNotPossibleException($"{pixels.SamplesPerPixel} samples per pixel; only single-channel images are restored");
        if (pixels.Width <= 0 || pixels.Height <= 0 || pixels.NumberOfFrames <= 0)
            throw new RestoreNotPossibleException($"empty image ({pixels.Width}x{pixels.Height}, {pixels.NumberOfFrames} frames)");

        int width = pixels.Width, height = pixels.Height, frames = pixels.NumberOfFrames;
        int paddedWidth = RoundUp(width, spec.WidthMultiple), paddedHeight = RoundUp(height, spec.HeightMultiple);
        if ((long)paddedWidth * paddedHeight * frames > MaxPixels)
            throw new RestoreNotPossibleException($"{frames} frames of {width}x{height} exceed the {MaxPixels} pixel limit of one run");

        var slope = dataset.GetSingleValueOrDefault(DicomTag.RescaleSlope, 1.0);
        var intercept = dataset.GetSingleValueOrDefault(DicomTag.RescaleIntercept, 0.0);

        var plane = paddedWidth * paddedHeight;
        var input = new float[plane * frames];
        var means = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            long[] values;
            try { values = pixels.GetFrameValues(f); }
            catch (DicomException e) { throw new RestoreNotPossibleException($"frame {f} cannot be decoded ({e.Message})", e); }
            var counts = values.Select(v => v * slope + intercept).ToArray();
            means[f] = spec.DivideByMean ? counts.Average() : 1.0;
            // A view without counts has nothing to restore; it stays zero instead of dividing by zero.
            var scale = means[f] > 0 ? 1.0 / means[f] : 0.0;
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    input[f * plane + y * paddedWidth + x] = (float)(counts[y * width + x] * scale);
        }

        var output = Run(model, spec, input, frames, paddedHeight, paddedWidth);

        // NM images carry counts without a Modality LUT (the NM IOD has no Rescale Slope), so the restored counts
        // are stored as integers and any rescale of the source is dropped.
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
        return new DerivedFrames(width, height, restored);
    }

    private static float[] Run(ModelLease model, RestoreModelInput spec, float[] input, int batch, int height, int width)
    {
        // With one channel NCHW and NHWC hold the same bytes; only the shape differs.
        long[] shape = model.Card.Inputs[0].Layout == "NHWC" ? [batch, height, width, 1] : [batch, 1, height, width];
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = model.Session.Run(null, [spec.InputName], [tensor], [spec.OutputName]);
        var output = outputs[0].ToArray<float>();
        if (output.Length != input.Length)
            throw new ModelNotSupportedException($"{model.Name} {model.Version} returned {output.Length} values for an input of {input.Length}.");
        return output;
    }

    private static int RoundUp(int size, int multiple) => (size + multiple - 1) / multiple * multiple;
}
