using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Runs a segmentation model over a whole slide (register as singleton; it holds no per-job state): tissue detection
/// on a low-resolution picture, a tile plan at the model's resolution that skips background, batched inference with
/// the next batch read and preprocessed while the current one runs (a bounded channel holds at most
/// <see cref="PreparedBatchesAhead"/> batches, so memory stays bounded), blending into 256 x 256 probability blocks
/// that reach the sink as soon as they are final, and contours at the end. Cancellation is honoured between batches.
/// </summary>
public sealed class SegmentationRunner
{
    /// <summary>Batches read and preprocessed ahead of inference.</summary>
    public const int PreparedBatchesAhead = 2;

    /// <summary>Largest batch one run may take.</summary>
    public const int MaxBatchSize = 256;

    private readonly ILogger logger;

    public SegmentationRunner()
        : this(NullLogger<SegmentationRunner>.Instance)
    {
    }

    public SegmentationRunner(ILogger<SegmentationRunner> logger) => this.logger = logger;

    /// <summary>
    /// Segments the slide (or the request's region). The sink hears the plan first, then every final block, and
    /// progress as tiles finish: tilesDone counts finished tiles including the skipped ones, so tilesDone /
    /// TilesTotal is the progress; stage is "tissue detection", "inference" or "contours".
    /// </summary>
    /// <exception cref="ModelNotRunnableException">The card cannot be run for segmentation.</exception>
    /// <exception cref="ArgumentException">Bad request (batch size, empty or outside region, slide too large).</exception>
    public Task<SegmentationResult> RunAsync(SegmentationRequest request, ISegmentationSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        var spec = SegmentationModelSpec.From(request.Card, request.Session);
        var model = new OnnxTileModel(spec, request.Session);
        return RunAsync(new SlideTileSource(request.Slide), model, request.Region, request.BatchSize, sink, cancellationToken);
    }

    internal async Task<SegmentationResult> RunAsync(
        ITileSource source, ITileModel model, SlideRegion? region, int batchSize, ISegmentationSink sink, CancellationToken cancellationToken)
    {
        if (batchSize is < 1 or > MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size must be 1 to {MaxBatchSize}.");
        var clock = new StageClock();
        var started = Stopwatch.GetTimestamp();

        var geometry = SlideGeometry.Create(source.Dimensions, source.MicronsPerPixel, model.MicronsPerPixel, region);
        if (geometry.AssumedResolution)
            logger.LogWarning("Slide or model has no resolution (slide {SlideMpp} µm/px, model {ModelMpp} µm/px): the model runs at level 0.",
                source.MicronsPerPixel, model.MicronsPerPixel);
        await sink.OnProgressAsync(0, StageClock.Tissue, cancellationToken);
        TissueMask tissue;
        using (clock.Measure(StageClock.Tissue))
            tissue = TissueDetector.Detect(source, geometry);
        var plan = TilePlan.Create(geometry, model.TileSize, model.Overlap, tissue);
        var decoder = new OutputDecoder(model.Activation, model.Classes.Count, model.TileSize);
        decoder.ActivationAlreadyApplied += activation => logger.LogWarning(
            "The card asks the caller to apply {Activation}, but the output already holds probabilities; it is not applied again.", activation);

        var planned = new SegmentationPlan(plan.Tiles.Count, plan.Skipped, plan.SkippedFraction, geometry.Width, geometry.Height,
            geometry.Downsample, model.Classes);
        Activity.Current?.SetTag(SegmentationTelemetry.TilesTotalAttribute, plan.Tiles.Count);
        Activity.Current?.SetTag(SegmentationTelemetry.TilesSkippedAttribute, plan.Skipped);
        SegmentationTelemetry.Tiles.Add(plan.Skipped, new KeyValuePair<string, object?>(SegmentationTelemetry.OutcomeTag, SegmentationTelemetry.OutcomeSkipped));
        logger.LogInformation("Segmentation plan: {Tiles} tiles of {TileSize} px at {Downsample:0.###} level-0 px per pixel, {Skipped} skipped as background ({Fraction:P0}).",
            plan.Tiles.Count, plan.TileSize, geometry.Downsample, plan.Skipped, plan.SkippedFraction);
        await sink.OnPlannedAsync(planned, cancellationToken);

        var contoured = Enumerable.Range(0, model.Classes.Count).Where(c => c != 0 || !model.HasBackground).ToList();
        var contours = new ContourMap(geometry, contoured);
        var stitcher = new ProbabilityStitcher(plan, model.Classes.Count, model.HasBackground, contours);
        foreach (var block in stitcher.Start())
            await sink.OnBlockAsync(block, cancellationToken);
        var done = plan.Skipped;
        await sink.OnProgressAsync(done, StageClock.Inference, cancellationToken);

        var inferred = plan.Tiles.Where(t => !t.Skipped).ToList();
        var perRun = Math.Min(model.BatchSizeFor(batchSize), MaxBatchSize);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(PreparedBatchesAhead) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(source, model, geometry, inferred, perRun, clock, batches.Writer, stop.Token), stop.Token);
        try
        {
            var plane = model.TileSize * model.TileSize;
            var probabilities = new float[model.Classes.Count * plane];
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                TileOutput output;
                using (clock.Measure(StageClock.Inference, SegmentationTelemetry.InferenceActivityName, batch.Tiles.Count))
                    output = model.Run(batch.Tensor);

                var completed = new List<ProbabilityBlock>();
                using (clock.Measure(StageClock.Stitch, SegmentationTelemetry.StitchActivityName, batch.Tiles.Count))
                {
                    for (var i = 0; i < batch.Tiles.Count; i++)
                    {
                        decoder.Decode(output, i, probabilities);
                        completed.AddRange(stitcher.Add(batch.Tiles[i], probabilities));
                    }
                }

                foreach (var block in completed)
                    await sink.OnBlockAsync(block, cancellationToken);
                SegmentationTelemetry.Tiles.Add(batch.Tiles.Count, new KeyValuePair<string, object?>(SegmentationTelemetry.OutcomeTag, SegmentationTelemetry.OutcomeInferred));
                done += batch.Tiles.Count;
                await sink.OnProgressAsync(done, StageClock.Inference, cancellationToken);
            }

            await producer;
        }
        catch
        {
            // Stop the reader side and let it finish before the caller disposes the slide or the session.
            await stop.CancelAsync();
            try { await producer; } catch (Exception) when (stop.IsCancellationRequested) { }
            throw;
        }

        if (stitcher.PendingBlocks != 0)
            throw new InvalidOperationException($"{stitcher.PendingBlocks} probability blocks were never completed.");

        await sink.OnProgressAsync(done, StageClock.Contours, cancellationToken);
        List<SegmentationPolygon> polygons;
        using (clock.Measure(StageClock.Contours))
            polygons = ContourExtractor.Extract(contours, model.Classes, cancellationToken);

        var times = clock.Snapshot().ToDictionary(p => p.Key, p => p.Value);
        times[StageClock.Total] = Stopwatch.GetElapsedTime(started);
        return new SegmentationResult(planned, inferred.Count, polygons, times);
    }

    private static async Task ProduceAsync(
        ITileSource source, ITileModel model, SlideGeometry geometry, List<PlannedTile> tiles, int perRun, StageClock clock,
        ChannelWriter<PreparedBatch> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var size = model.TileSize;
            var readers = Math.Max(1, Environment.ProcessorCount / 2);
            // A model with a dynamic batch starts with batches of 1, 2, 4, ... up to the batch size: the first blocks
            // need only the first tile rows, and a full first batch would hold them back while the pipeline has
            // nothing to overlap yet (the viewer's first overlay tiles). A fixed batch is padded, so it stays fixed.
            var ramp = model.BatchSizeFor(1) == 1;
            var take = ramp ? 1 : perRun;
            for (var first = 0; first < tiles.Count; first += take, take = Math.Min(perRun, take * 2))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = tiles.GetRange(first, Math.Min(take, tiles.Count - first));
                var pixels = new byte[batch.Count][];
                using (clock.Measure(StageClock.Read, SegmentationTelemetry.ReadTilesActivityName, batch.Count))
                {
                    // OpenSlide reads one handle from many threads; tiles of a batch are independent.
                    void Read(int i)
                    {
                        pixels[i] = new byte[size * size * 4];
                        source.ReadTile(batch[i].X, batch[i].Y, size, geometry.Downsample, pixels[i]);
                    }

                    if (readers == 1)
                        for (var i = 0; i < batch.Count; i++) Read(i);
                    else
                        Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = readers, CancellationToken = cancellationToken }, Read);
                }

                TileTensor tensor;
                using (clock.Measure(StageClock.Preprocess, SegmentationTelemetry.PreprocessActivityName, batch.Count))
                    tensor = model.Prepare(pixels);
                await writer.WriteAsync(new PreparedBatch(batch, tensor), cancellationToken);
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private sealed record PreparedBatch(IReadOnlyList<PlannedTile> Tiles, TileTensor Tensor);
}
