// Which overlay tiles must be fetched again while a segmentation runs. The server answers a tile it has not computed
// yet with a transparent PNG and `X-Overlay-Pending: 1`; OpenSeadragon keeps every tile it has loaded, keyed by URL,
// so a pending tile gets a new version in its query string when progress arrives, and only pending tiles do: a
// finished tile keeps its URL and is never downloaded again.

export interface TileKey {
  level: number;
  x: number;
  y: number;
}

const keyOf = (level: number, x: number, y: number) => `${level}/${x}_${y}`;

/**
 * Versions per tile, shared by every view of the overlay (the main view and the navigator load the same URLs), and
 * per view the tiles whose last answer was pending. `Owner` is whatever identifies a view (an OpenSeadragon
 * TiledImage in the page, a string in the tests).
 */
export class OverlayTileVersions<Owner> {
  private readonly versions = new Map<string, number>();
  private readonly pending = new Map<Owner, Map<string, TileKey>>();
  private readonly finished = new Map<Owner, Set<string>>();
  private generation = 0;
  /** Finished answers for a tile that the same view already had finished: should stay 0. */
  refetchedFinished = 0;
  finishedAnswers = 0;
  pendingAnswers = 0;

  constructor(private readonly tilesUrl: string, private readonly format = "png") {}

  url(level: number, x: number, y: number): string {
    const version = this.versions.get(keyOf(level, x, y));
    return `${this.tilesUrl}${level}/${x}_${y}.${this.format}${version ? `?v=${version}` : ""}`;
  }

  /** Records one tile answer; `pending` is the X-Overlay-Pending header. */
  answered(owner: Owner, level: number, x: number, y: number, pending: boolean): void {
    const key = keyOf(level, x, y);
    const waiting = this.pending.get(owner) ?? new Map<string, TileKey>();
    this.pending.set(owner, waiting);
    const done = this.finished.get(owner) ?? new Set<string>();
    this.finished.set(owner, done);
    if (pending) {
      this.pendingAnswers++;
      waiting.set(key, { level, x, y });
      return;
    }
    this.finishedAnswers++;
    waiting.delete(key);
    if (done.has(key)) this.refetchedFinished++;
    done.add(key);
  }

  /**
   * Gives each tile that some view last saw pending a new version and returns, per view, the tiles to load again.
   * They leave the pending set now: a tile is pending again only if its new answer says so, so a tile still on its
   * way is not asked for twice.
   */
  refresh(): Map<Owner, TileKey[]> {
    const reload = new Map<Owner, TileKey[]>();
    if (this.pendingCount() === 0) return reload;
    this.generation++;
    for (const [owner, waiting] of this.pending) {
      if (waiting.size === 0) continue;
      reload.set(owner, [...waiting.values()]);
      for (const [key] of waiting) this.versions.set(key, this.generation);
      waiting.clear();
    }
    return reload;
  }

  pendingCount(): number {
    let n = 0;
    for (const waiting of this.pending.values()) n += waiting.size;
    return n;
  }

  /** A view went away (the navigator was rebuilt, the layer removed). */
  forget(owner: Owner): void {
    this.pending.delete(owner);
    this.finished.delete(owner);
  }
}
