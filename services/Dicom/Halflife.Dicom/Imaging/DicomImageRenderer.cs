namespace Halflife.Dicom.Imaging;

/// <summary>
/// Turns one frame of a monochrome image into an 8-bit picture for a viewer: stored values -> Modality LUT (Rescale
/// Slope/Intercept) -> VOI window -> MONOCHROME1 inversion, the order of the greyscale pipeline in PS3.4 N.2.
/// </summary>
public static class DicomImageRenderer
{
    /// <param name="window">The window in rescaled units; null takes the data set's first window, else a robust
    /// window from the frame's 0.5th to 99.5th percentile (a hot bladder or a marker would otherwise set the scale).</param>
    /// <exception cref="DicomDataException">Not a monochrome image, or the frame does not exist.</exception>
    /// <exception cref="DicomCodecException">The pixel data is compressed with a syntax this library cannot decode.</exception>
    public static GreyImage Render(DicomDataset dataset, int frame, WindowLevel? window = null)
    {
        var pixels = DicomPixelData.Create(dataset);
        var values = RescaledFrame(dataset, pixels, frame);
        var voi = window ?? StoredWindow(dataset) ?? RobustWindow(values);
        var inverted = pixels.PhotometricInterpretation == "MONOCHROME1";
        var output = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var grey = voi.Map(values[i]);
            output[i] = inverted ? (byte)(255 - grey) : grey;
        }
        return new GreyImage(pixels.Width, pixels.Height, output) { Window = voi };
    }

    /// <summary>One frame in rescaled (modality) units, row by row.</summary>
    public static double[] RescaledFrame(DicomDataset dataset, DicomPixelData pixels, int frame)
    {
        if (!pixels.PhotometricInterpretation.StartsWith("MONOCHROME", StringComparison.Ordinal) || pixels.SamplesPerPixel != 1)
            throw new DicomDataException(
                $"Only monochrome images can be rendered with a window; this one is {pixels.PhotometricInterpretation} with {pixels.SamplesPerPixel} samples per pixel.");
        if (frame < 0 || frame >= pixels.NumberOfFrames)
            throw new DicomDataException($"Frame {frame} does not exist: the image has {pixels.NumberOfFrames} frame(s), numbered from 0.");

        var slope = FirstNumber(dataset, DicomTag.RescaleSlope) ?? 1.0;
        var intercept = FirstNumber(dataset, DicomTag.RescaleIntercept) ?? 0.0;
        if (slope == 0) slope = 1; // A zero slope is a writer's error; it would flatten the image to one value.
        var stored = pixels.GetFrameValues(frame);
        var values = new double[stored.Length];
        for (var i = 0; i < stored.Length; i++)
            values[i] = stored[i] * slope + intercept;
        return values;
    }

    /// <summary>The first window the data set recommends, if it has a usable one.</summary>
    public static WindowLevel? StoredWindow(DicomDataset dataset)
    {
        var center = FirstNumber(dataset, DicomTag.WindowCenter);
        var width = FirstNumber(dataset, DicomTag.WindowWidth);
        return center is { } c && width is { } w && double.IsFinite(c) && double.IsFinite(w) && w >= 1
            ? new WindowLevel(c, w)
            : null;
    }

    /// <summary>From the 0.5th to the 99.5th percentile of the values.</summary>
    public static WindowLevel RobustWindow(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return new WindowLevel(0.5, 1);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var low = sorted[(int)Math.Floor(0.005 * (sorted.Length - 1))];
        var high = sorted[(int)Math.Ceiling(0.995 * (sorted.Length - 1))];
        var width = Math.Max(1, high - low);
        return new WindowLevel(low + width / 2 + 0.5, width);
    }

    internal static double? FirstNumber(DicomDataset dataset, DicomTag tag)
    {
        try
        {
            return dataset.TryGetValues<double>(tag, out var values) && values.Length > 0 && double.IsFinite(values[0]) ? values[0] : null;
        }
        catch (FormatException)
        {
            return null; // A malformed DS: treat as absent rather than refuse to show the image.
        }
    }
}
