using System.Buffers.Binary;
using Halflife.Dicom;
using Halflife.Dicom.Imaging;
using Halflife.Models.Loading;
using Halflife.Restore.Pipeline;
using Halflife.Testing;

namespace Halflife.Restore.Tests;

/// <summary>The count model (the copy shipped beside the service) loaded once for a test class.</summary>
public sealed class CountModelFixture : IDisposable
{
    private readonly ModelLease _lease;

    public CountModelFixture()
    {
        var model = LoadedModel.OpenFolderAsync(Path.Combine(AppContext.BaseDirectory, "models", "bone-denoise-counts")).GetAwaiter().GetResult();
        _lease = model.Lease();
    }

    public ModelLease Model => _lease;

    public void Dispose() => _lease.Dispose();
}

/// <summary>
/// bone-denoise-counts removes noise and nothing else: the count level, the background and a hot spot stay, and a
/// binomially thinned real scan comes closer to its full-count original (how judges evaluate real scans).
/// </summary>
public sealed class CountModelTests(CountModelFixture fixture) : IClassFixture<CountModelFixture>
{
    [Fact]
    public void The_card_passes_restores_requirements()
    {
        Assert.Equal("bone-denoise-counts", fixture.Model.Name);
        Assert.True(RestoreModelRequirements.Check(fixture.Model.Card).DivideByMean);
    }

    [Fact]
    public void A_hot_spot_and_the_background_level_are_kept()
    {
        const int rows = 256, columns = 64, spotRow = 150, spotColumn = 40, radius = 3;
        var random = new Random(11);
        var frame = new ushort[rows * columns];
        bool InSpot(int r, int c) => (r - spotRow) * (r - spotRow) + (c - spotColumn) * (c - spotColumn) <= radius * radius;
        for (var i = 0; i < frame.Length; i++) frame[i] = (ushort)Poisson(random, InSpot(i / columns, i % columns) ? 100 : 20);

        var restored = BoneScanRestorer.Restore(SyntheticLesionTests.NmImage(frame), fixture.Model).Frames.Single();

        double spot = 0, background = 0;
        int spotPixels = 0, backgroundPixels = 0;
        for (var i = 0; i < restored.Length; i++)
        {
            int r = i / columns, c = i % columns;
            if (InSpot(r, c)) { spot += restored[i]; spotPixels++; }
            else if (Math.Abs(r - spotRow) > 12 || Math.Abs(c - spotColumn) > 12) { background += restored[i]; backgroundPixels++; }
        }
        spot /= spotPixels;
        background /= backgroundPixels;
        // Noise removal only: the flat 20-count background stays at 20 (the 2 h -> 4 h model would lower it).
        Assert.InRange(background, 18.5, 21.5);
        Assert.True(spot > 3 * background, $"hot spot flattened: spot {spot:F1}, background {background:F1}");
    }

    [Fact]
    public void A_thinned_real_scan_comes_closer_to_its_full_count_original()
    {
        var original = DicomFile.Open(TestPaths.Data("dicom", "poumonsReins.dcm")).Dataset;
        var pixels = DicomPixelData.Create(original);
        const double keep = 0.25;
        var random = new Random(5);
        var full = Enumerable.Range(0, pixels.NumberOfFrames).Select(f => pixels.GetFrameValues(f)).ToArray();
        var thinned = full.Select(frame => frame.Select(n => (ushort)Thin(random, n, keep)).ToArray()).ToArray();
        var input = Retag(original, thinned);

        var restored = BoneScanRestorer.Restore(input, fixture.Model);
        for (var f = 0; f < full.Length; f++)
        {
            double inputError = 0, restoredError = 0, inputTotal = 0, restoredTotal = 0;
            for (var i = 0; i < full[f].Length; i++)
            {
                // Compare at the full count level: the thinned scan holds a quarter of the counts.
                inputError += Math.Pow(thinned[f][i] / keep - full[f][i], 2);
                restoredError += Math.Pow(restored.Frames[f][i] / keep - full[f][i], 2);
                inputTotal += thinned[f][i];
                restoredTotal += restored.Frames[f][i];
            }
            // Restoring counts keeps the total (within rounding to whole counts) and at least halves the error.
            Assert.InRange(restoredTotal / inputTotal, 0.97, 1.03);
            Assert.True(restoredError < 0.5 * inputError, $"frame {f}: squared error {restoredError:E2} vs {inputError:E2} for the thinned input");
        }
    }

    private static DicomDataset Retag(DicomDataset original, ushort[][] frames)
    {
        var copy = original.Clone();
        var bytes = new byte[frames.Sum(f => f.Length) * 2];
        var offset = 0;
        foreach (var frame in frames)
            foreach (var v in frame) { BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), v); offset += 2; }
        copy.AddOrUpdate<ushort>(DicomTag.BitsAllocated, 16);
        copy.AddOrUpdate<ushort>(DicomTag.BitsStored, 16);
        copy.AddOrUpdate<ushort>(DicomTag.HighBit, 15);
        copy.AddOrUpdate<ushort>(DicomTag.PixelRepresentation, 0);
        copy.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, bytes));
        return copy;
    }

    /// <summary>Binomial thinning: keep each of the n recorded counts with probability p.</summary>
    private static int Thin(Random random, long n, double p)
    {
        var kept = 0;
        for (var k = 0; k < n; k++) if (random.NextDouble() < p) kept++;
        return kept;
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) k++;
        return k;
    }
}
