namespace Halflife.Dicom.Imaging;

/// <summary>
/// What a viewer needs before asking for pictures: size, frames and what each shows, and the value range and default
/// window in rescaled units (so that window/level controls can be scaled).
/// </summary>
public sealed record ImageInfo(
    int Width,
    int Height,
    int Frames,
    IReadOnlyList<string> FrameLabels,
    string PhotometricInterpretation,
    string? Modality,
    double Minimum,
    double Maximum,
    WindowLevel DefaultWindow)
{
    /// <summary>Reads the image's geometry and decodes its frames once to find the value range.</summary>
    /// <exception cref="DicomDataException">Not a monochrome image with pixel data.</exception>
    /// <exception cref="DicomCodecException">The pixel data cannot be decoded here.</exception>
    public static ImageInfo Read(DicomDataset dataset)
    {
        var pixels = DicomPixelData.Create(dataset);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        double[]? first = null;
        for (var frame = 0; frame < pixels.NumberOfFrames; frame++)
        {
            var values = DicomImageRenderer.RescaledFrame(dataset, pixels, frame);
            first ??= values;
            foreach (var v in values)
            {
                if (v < min) min = v;
                if (v > max) max = v;
            }
        }
        var window = DicomImageRenderer.StoredWindow(dataset) ?? DicomImageRenderer.RobustWindow(first);
        return new ImageInfo(pixels.Width, pixels.Height, pixels.NumberOfFrames, LabelFrames(dataset, pixels.NumberOfFrames),
            pixels.PhotometricInterpretation, dataset.TryGetString(DicomTag.Modality, out var m) ? m.Trim() : null, min, max, window);
    }

    /// <summary>
    /// NM multi-frame images say what each frame shows through the Detector Vector and each detector's View Code
    /// Sequence (anterior, posterior); other images get "Frame n".
    /// </summary>
    private static IReadOnlyList<string> LabelFrames(DicomDataset dataset, int frames)
    {
        var labels = Enumerable.Range(1, frames).Select(n => $"Frame {n}").ToArray();
        try
        {
            if (!dataset.TryGetSequence(DicomTag.DetectorInformationSequence, out var detectors) || detectors.Items.Count == 0)
                return labels;
            var views = detectors.Items.Select(ViewOf).ToArray();
            var vector = dataset.TryGetValues<ushort>(DicomTag.DetectorVector, out var v) && v.Length == frames ? v : null;
            for (var i = 0; i < frames; i++)
            {
                var detector = vector is null ? i : vector[i] - 1;
                if (detector >= 0 && detector < views.Length && views[detector] is { } view)
                    labels[i] = view;
            }
        }
        catch (Exception e) when (e is DicomDataException or FormatException or InvalidCastException)
        {
            // Labels are a convenience; a malformed detector module must not stop the image from being shown.
        }
        return labels;
    }

    private static string? ViewOf(DicomDataset detector) =>
        detector.TryGetSequence(DicomTag.ViewCodeSequence, out var codes) && codes.Items.Count > 0
        && codes.Items[0].TryGetString(DicomTag.CodeMeaning, out var meaning) && !string.IsNullOrWhiteSpace(meaning)
            ? meaning.Trim()
            : null;
}
