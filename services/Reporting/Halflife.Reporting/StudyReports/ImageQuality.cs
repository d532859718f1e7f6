using Halflife.Dicom;
using Halflife.Dicom.Imaging;

namespace Halflife.Reporting.StudyReports;

/// <summary>
/// Numbers a nuclear-medicine reader can check by eye, per image (all frames together):
/// total counts; the mean count inside the body (pixels at or above 5 % of the 99th-percentile value, so the empty
/// field around the patient does not dilute it); a noise estimate (Immerkær's Laplacian-difference estimator, which
/// cancels smooth anatomy and keeps pixel-to-pixel noise, taken over body pixels only); and their ratio, a
/// signal-to-noise figure. For a restored image the same numbers are compared with its original.
/// </summary>
public sealed record ImageQuality(double TotalCounts, double MaxValue, double MeanInBody, double NoiseSigma, double SignalToNoise, int BodyPixels)
{
    public static ImageQuality Measure(DicomDataset dataset)
    {
        var pixels = DicomPixelData.Create(dataset);
        double total = 0, max = double.MinValue, bodySum = 0, noiseSum = 0;
        long bodyCount = 0, noiseCount = 0;
        for (var f = 0; f < pixels.NumberOfFrames; f++)
        {
            var values = DicomImageRenderer.RescaledFrame(dataset, pixels, f);
            var threshold = 0.05 * Percentile(values, 0.99);
            for (var i = 0; i < values.Length; i++)
            {
                total += values[i];
                if (values[i] > max) max = values[i];
                if (values[i] >= threshold && values[i] > 0)
                {
                    bodySum += values[i];
                    bodyCount++;
                }
            }
            var w = pixels.Width;
            var h = pixels.Height;
            for (var y = 1; y < h - 1; y++)
            for (var x = 1; x < w - 1; x++)
            {
                var c = y * w + x;
                if (values[c] < threshold || values[c] <= 0) continue;
                // Immerkær (1996) mask [1 -2 1; -2 4 -2; 1 -2 1]: zero response to planes, 36 sigma^2 for white noise.
                var r = values[c - w - 1] - 2 * values[c - w] + values[c - w + 1]
                        - 2 * values[c - 1] + 4 * values[c] - 2 * values[c + 1]
                        + values[c + w - 1] - 2 * values[c + w] + values[c + w + 1];
                noiseSum += Math.Abs(r);
                noiseCount++;
            }
        }
        var mean = bodyCount > 0 ? bodySum / bodyCount : 0;
        var sigma = noiseCount > 0 ? Math.Sqrt(Math.PI / 2) * noiseSum / (6.0 * noiseCount) : 0;
        return new ImageQuality(Math.Round(total), max, Math.Round(mean, 3), Math.Round(sigma, 3),
            sigma > 0 ? Math.Round(mean / sigma, 3) : 0, (int)Math.Min(int.MaxValue, bodyCount));
    }

    private static double Percentile(double[] values, double p)
    {
        if (values.Length == 0) return 0;
        var copy = (double[])values.Clone();
        Array.Sort(copy);
        return copy[(int)Math.Clamp(Math.Round(p * (copy.Length - 1)), 0, copy.Length - 1)];
    }
}

/// <summary>A restored image against its original: ratios above 1 mean more (counts, SNR) in the restored one.</summary>
public sealed record QualityComparison(double CountRatio, double NoiseRatio, double SignalToNoiseGain)
{
    public static QualityComparison Of(ImageQuality original, ImageQuality restored) => new(
        Ratio(restored.TotalCounts, original.TotalCounts),
        Ratio(restored.NoiseSigma, original.NoiseSigma),
        Ratio(restored.SignalToNoise, original.SignalToNoise));

    private static double Ratio(double a, double b) => b == 0 ? 0 : Math.Round(a / b, 3);
}
