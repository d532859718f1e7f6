using System.Collections.Concurrent;
using Halflife.Imaging.Codecs;
using Halflife.Segmentation.Jobs;

namespace Halflife.Segmentation.Overlay;

/// <summary>One rendered overlay tile; <see cref="Pending"/> when the job may still change it.</summary>
public sealed record OverlayTile(byte[] Png, bool Pending);

/// <summary>
/// Renders overlay tiles from what the job has stored so far, so any instance can serve them while another runs the
/// job. The top level is one probability block per tile; the levels just below pool the blocks they cover; the rest
/// pool the worker's latest overview snapshot. While the job runs, a tile is pending (provisional: transparent where
/// nothing is known yet, partly filled as blocks arrive); once the job has ended it is final, and for a succeeded job
/// the pooled levels are kept in the blob store so each is rendered once.
/// </summary>
public sealed class OverlayTiles(OverlayBlobs blobs)
{
    // Decoded overview snapshots by (job, version); a few are enough (one per job being watched).
    private readonly ConcurrentDictionary<(Guid Job, int Version), PooledTile> _overviews = new();
    private const int MaxOverviews = 8;

    public async Task<OverlayTile> RenderAsync(SegmentationJob job, int level, int column, int row, CancellationToken cancellationToken)
    {
        var geometry = new OverlayGeometry(job.OverlayWidth, job.OverlayHeight);
        var shift = geometry.MaxLevel - level;
        var final = job.IsFinished;
        var keep = job.State == JobState.Succeeded && shift > 0;
        if (keep && await blobs.TryReadAsync(OverlayBlobs.TileKey(job.Id, level, column, row), cancellationToken) is { } stored)
            return new OverlayTile(stored, Pending: false);

        var classes = OverlayClass.FromJson(job.ClassesJson);
        var (width, height) = geometry.TileSizeAt(level, column, row);
        var tile = new PooledTile(width, height);
        var complete = true;
        if (shift < geometry.OverviewShift)
        {
            // Blocks under this tile: 1 at the top level, up to 4^(shift) just below it.
            var span = 1 << shift;
            long originX = (long)column * OverlayGeometry.TileSize << shift, originY = (long)row * OverlayGeometry.TileSize << shift;
            for (var r = row * span; r < Math.Min(geometry.BlockRows, (row + 1) * span); r++)
            for (var c = column * span; c < Math.Min(geometry.BlockColumns, (column + 1) * span); c++)
            {
                if (await blobs.GetBlockAsync(job.Id, c, r, cancellationToken) is { } block) tile.Add(block, classes, originX, originY, shift);
                else complete = false;
            }
        }
        else if (await OverviewAsync(job, cancellationToken) is { } overview)
        {
            var relative = shift - geometry.OverviewShift;
            tile.Add(overview, column * OverlayGeometry.TileSize << relative, row * OverlayGeometry.TileSize << relative, relative);
            complete = final;
        }
        else
        {
            complete = false;
        }

        var png = PngEncoder.Encode(tile.Render(classes));
        // A finished job's missing blocks are background the pipeline skipped: final, not pending.
        var pending = !final && !complete;
        if (keep) await blobs.PutAsync(OverlayBlobs.TileKey(job.Id, level, column, row), png, "image/png", cancellationToken);
        return new OverlayTile(png, pending);
    }

    private async Task<PooledTile?> OverviewAsync(SegmentationJob job, CancellationToken cancellationToken)
    {
        if (job.OverviewVersion == 0) return null;
        var key = (job.Id, job.OverviewVersion);
        if (_overviews.TryGetValue(key, out var cached)) return cached;
        var overview = await blobs.GetOverviewAsync(job.Id, job.OverviewVersion, cancellationToken);
        if (overview is null) return null; // superseded and removed meanwhile: the next request reads the newer one
        foreach (var stale in _overviews.Keys.Where(k => k.Job == job.Id).ToList()) _overviews.TryRemove(stale, out _);
        if (_overviews.Count >= MaxOverviews) _overviews.Clear();
        _overviews[key] = overview;
        return overview;
    }
}
