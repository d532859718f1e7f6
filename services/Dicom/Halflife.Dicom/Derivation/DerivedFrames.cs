namespace Halflife.Dicom.Derivation;

/// <summary>
/// The new pixels of a derived object: unsigned 16-bit, single sample, frames in the source's order. When
/// <see cref="RescaleSlope"/> is set, the real value is stored * slope + intercept (so fractional results such as
/// denoised counts keep their precision); when it is null the stored values are the real values and any rescale
/// of the source is dropped.
/// </summary>
public sealed record DerivedFrames(int Width, int Height, IReadOnlyList<ushort[]> Frames, double? RescaleSlope = null, double RescaleIntercept = 0)
{
    /// <summary>
    /// Quantises real-valued frames (non-negative, e.g. counts) to 16 bits with one slope for all frames: the largest
    /// value maps to about 65000, and the slope is at most 1 so that integer counts never lose precision.
    /// </summary>
    public static DerivedFrames FromReal(int width, int height, IReadOnlyList<float[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var max = 0f;
        foreach (var frame in frames)
            foreach (var v in frame)
                if (v > max) max = v;
        // A power-of-two slope is exact in binary and prints exactly as DS for the usual count ranges.
        var slope = 1.0;
        while (max / slope > 65000 && slope < 1 << 30) slope *= 2;
        while (max > 0 && max / (slope / 2) <= 65000 && slope > 1.0 / (1 << 20)) slope /= 2;
        var stored = new ushort[frames.Count][];
        for (var f = 0; f < frames.Count; f++)
        {
            var source = frames[f];
            if (source.Length != checked(width * height))
                throw new ArgumentException($"frame {f} holds {source.Length} values, not {width}x{height}.", nameof(frames));
            var target = stored[f] = new ushort[source.Length];
            for (var i = 0; i < source.Length; i++)
                target[i] = (ushort)Math.Clamp(Math.Round(source[i] / slope), 0, ushort.MaxValue);
        }
        return new DerivedFrames(width, height, stored, slope);
    }

    /// <summary>The real value of a stored sample.</summary>
    public double RealValue(int frame, int index) => Frames[frame][index] * (RescaleSlope ?? 1.0) + (RescaleSlope is null ? 0 : RescaleIntercept);
}
