using System.Buffers.Binary;
using Halflife.Dicom;
using Halflife.Restore.Pipeline;

namespace Halflife.Restore.Tests;

/// <summary>A lesion the model must keep: a hot spot in Poisson noise over a flat background.</summary>
public sealed class SyntheticLesionTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    private const int Rows = 256, Columns = 64;
    private const int SpotRow = 150, SpotColumn = 40, SpotRadius = 3;

    [Fact]
    public void Hot_spot_stays_the_brightest_region_where_it_was()
    {
        var restored = BoneScanRestorer.Restore(NmImage(Frame(seed: 7)), fixture.Model).Frames.Single();

        var brightest = Enumerable.Range(0, restored.Length).MaxBy(i => restored[i]);
        var (row, column) = (brightest / Columns, brightest % Columns);
        Assert.InRange(row, SpotRow - SpotRadius - 1, SpotRow + SpotRadius + 1);
        Assert.InRange(column, SpotColumn - SpotRadius - 1, SpotColumn + SpotRadius + 1);

        double spot = MeanWhere(restored, InSpot), background = MeanWhere(restored, (r, c) => Distance(r, c) > 12);
        Assert.True(spot > 2 * background, $"lesion contrast lost: spot {spot:F1}, background {background:F1}");
    }

    [Fact]
    public void Batch_of_views_gives_each_view_its_own_result()
    {
        var image = NmImage(Frame(seed: 1), Frame(seed: 2));
        var restored = BoneScanRestorer.Restore(image, fixture.Model);
        Assert.Equal(2, restored.Frames.Count);
        Assert.NotEqual(restored.Frames[0], restored.Frames[1]); // different noise, different output
        var single = BoneScanRestorer.Restore(NmImage(Frame(seed: 2)), fixture.Model).Frames[0];
        // Alone or in a batch, the second view restores to the same counts (up to float rounding).
        Assert.True(single.Zip(restored.Frames[1]).All(p => Math.Abs(p.First - p.Second) <= 1));
    }

    private static bool InSpot(int r, int c) => Distance(r, c) <= SpotRadius;
    private static double Distance(int r, int c) => Math.Sqrt((r - SpotRow) * (r - SpotRow) + (c - SpotColumn) * (c - SpotColumn));

    private static double MeanWhere(ushort[] frame, Func<int, int, bool> where) =>
        Enumerable.Range(0, frame.Length).Where(i => where(i / Columns, i % Columns)).Average(i => (double)frame[i]);

    /// <summary>Background 20 counts, lesion 100, both Poisson-sampled.</summary>
    private static ushort[] Frame(int seed)
    {
        var random = new Random(seed);
        var frame = new ushort[Rows * Columns];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Columns; c++)
                frame[r * Columns + c] = (ushort)Poisson(random, InSpot(r, c) ? 100 : 20);
        return frame;
    }

    private static int Poisson(Random random, double mean)
    {
        // Knuth's method: fine for the small means used here.
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) k++;
        return k;
    }

    internal static DicomDataset NmImage(params ushort[][] frames)
    {
        var bytes = new byte[frames.Length * Rows * Columns * 2];
        for (var i = 0; i < frames.Length * Rows * Columns; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), frames[i / (Rows * Columns)][i % (Rows * Columns)]);
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTag.SOPClassUID, DicomUID.NuclearMedicineImageStorage.UID)
            .AddOrUpdate(DicomTag.SOPInstanceUID, DicomUID.Generate().UID)
            .AddOrUpdate(DicomTag.StudyInstanceUID, DicomUID.Generate().UID)
            .AddOrUpdate(DicomTag.SeriesInstanceUID, DicomUID.Generate().UID)
            .AddOrUpdate(DicomTag.Modality, "NM")
            .AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2")
            .AddOrUpdate(DicomTag.NumberOfFrames, frames.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dataset.AddOrUpdate<ushort>(DicomTag.SamplesPerPixel, 1);
        dataset.AddOrUpdate<ushort>(DicomTag.Rows, Rows);
        dataset.AddOrUpdate<ushort>(DicomTag.Columns, Columns);
        dataset.AddOrUpdate<ushort>(DicomTag.BitsAllocated, 16);
        dataset.AddOrUpdate<ushort>(DicomTag.BitsStored, 16);
        dataset.AddOrUpdate<ushort>(DicomTag.HighBit, 15);
        dataset.AddOrUpdate<ushort>(DicomTag.PixelRepresentation, 0);
        dataset.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, bytes));
        return dataset;
    }
}
