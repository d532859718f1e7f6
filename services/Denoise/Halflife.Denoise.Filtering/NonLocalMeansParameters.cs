using System.Globalization;

namespace Halflife.Denoise.Filtering;

/// <summary>
/// Non-local means on an image whose noise is Gaussian with standard deviation <see cref="Sigma"/> (1 after the
/// Anscombe transform). A pixel becomes the weighted mean of the pixels in its search window; the weight of a
/// candidate is exp(-max(d2 - 2 sigma^2, 0) / h^2), where d2 is the mean squared difference of the two patches.
/// Subtracting 2 sigma^2 (the expected d2 of two patches that differ only by noise) makes similar patches weigh about
/// 1 whatever the noise level; <see cref="H"/> then sets how different a patch may be and still count.
/// See docs/denoise.md for the tuned values and why.
/// </summary>
/// <param name="PatchRadius">patches are (2r+1) x (2r+1) pixels.</param>
/// <param name="SearchRadius">candidates come from a (2s+1) x (2s+1) window around the pixel.</param>
/// <param name="H">filtering strength, in units of the noise sigma.</param>
/// <param name="Sigma">noise standard deviation of the input (1 in the Anscombe domain).</param>
public sealed record NonLocalMeansParameters(int PatchRadius, int SearchRadius, float H, float Sigma = 1f)
{
    public const int MaxPatchRadius = 10;
    public const int MaxSearchRadius = 21;

    public void Validate()
    {
        if (PatchRadius is < 0 or > MaxPatchRadius)
            throw new ArgumentOutOfRangeException(nameof(PatchRadius), PatchRadius, $"patch radius must be 0 to {MaxPatchRadius}");
        if (SearchRadius is < 1 or > MaxSearchRadius)
            throw new ArgumentOutOfRangeException(nameof(SearchRadius), SearchRadius, $"search radius must be 1 to {MaxSearchRadius}");
        if (!float.IsFinite(H) || H <= 0) throw new ArgumentOutOfRangeException(nameof(H), H, "h must be a positive number");
        if (!float.IsFinite(Sigma) || Sigma < 0) throw new ArgumentOutOfRangeException(nameof(Sigma), Sigma, "sigma must be >= 0");
    }

    /// <summary>A stable text form, recorded on derived objects and hashed into their UIDs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"patch {2 * PatchRadius + 1}x{2 * PatchRadius + 1}, search {2 * SearchRadius + 1}x{2 * SearchRadius + 1}, h {H:0.###}, sigma {Sigma:0.###}");
}
