using Halflife.Denoise.Filtering;

namespace Halflife.Denoise;

/// <summary>Configuration section "Denoise". The filter defaults are the values tuned on simulated training views (docs/denoise.md).</summary>
public sealed class DenoiseOptions
{
    public const string Section = "Denoise";

    /// <summary>Modalities Denoise works on: count images, i.e. nuclear medicine.</summary>
    public string[] Modalities { get; set; } = ["NM"];

    /// <summary>Patches are (2r+1)^2 pixels.</summary>
    public int PatchRadius { get; set; } = PoissonDenoiser.DefaultParameters.PatchRadius;

    /// <summary>Candidates come from a (2s+1)^2 window.</summary>
    public int SearchRadius { get; set; } = PoissonDenoiser.DefaultParameters.SearchRadius;

    /// <summary>Filtering strength in the Anscombe domain (noise sigma 1 there).</summary>
    public float H { get; set; } = PoissonDenoiser.DefaultParameters.H;

    /// <summary>Threads one image may use (views are filtered in bands of rows); the host has other work too.</summary>
    public int MaxThreads { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Largest image (all frames) denoised, in pixels: bounds the memory of one message (about 20 bytes per pixel).</summary>
    public long MaxPixels { get; set; } = 64L * 1024 * 1024;

    public NonLocalMeansParameters Parameters => new(PatchRadius, SearchRadius, H);
}
