// A segmentation job's overlay (its Deep Zoom pyramid of class colours) as a second OpenSeadragon tiled image laid
// exactly over the slide. While the job runs, tiles the server had not computed yet (X-Overlay-Pending: 1) are
// fetched again on each progress step under a new URL; finished tiles are loaded once (see lib/overlayTiles.ts).
import OpenSeadragon from "openseadragon";
import { apiFetch, authHeaders, problemText } from "../api";
import { parseDzi } from "../lib/dzi";
import { OverlayTileVersions, type TileKey } from "../lib/overlayTiles";

/** The one property of TiledImage that OpenSeadragon 5 does not type: its loaded tiles by level, column and row. */
type TileMatrix = Record<number, Record<number, Record<number, unknown>>>;

export interface OverlayStats {
  finishedAnswers: number;
  pendingAnswers: number;
  refetchedFinished: number;
  pending: number;
}

export class SegmentationOverlayLayer {
  private item: OpenSeadragon.TiledImage | null = null;
  private source: OpenSeadragon.TileSource | null = null;
  private versions: OverlayTileVersions<OpenSeadragon.TiledImage> | null = null;
  private jobId: string | null = null;
  private opacity = 0.6;
  private visible = true;
  private readonly onTileLoaded = (e: OpenSeadragon.TileLoadedEvent) => this.tileLoaded(e);

  /** `finishedTile` runs on each tile answer that was not pending (the first one is what the pathologist waits for). */
  constructor(
    private readonly viewer: OpenSeadragon.Viewer,
    private readonly finishedTile: (stats: OverlayStats) => void = () => {},
  ) {
    viewer.addHandler("tile-loaded", this.onTileLoaded);
    // The navigator shows the overlay too (OpenSeadragon mirrors every tiled image there) and loads its own tiles.
    viewer.navigator?.addHandler("tile-loaded", this.onTileLoaded);
  }

  shownJob(): string | null {
    return this.jobId;
  }

  /** Shows the overlay of this job (replacing another job's); does nothing when it is already shown. */
  async show(jobId: string, dziUrl: string): Promise<void> {
    if (this.jobId === jobId) return;
    this.remove();
    this.jobId = jobId;
    const response = await apiFetch(dziUrl);
    if (!response.ok) throw new Error(`overlay descriptor: ${await problemText(response)}`);
    const image = parseDzi(await response.text());
    if (this.jobId !== jobId) return; // another job was chosen meanwhile
    const versions = new OverlayTileVersions<OpenSeadragon.TiledImage>(dziUrl.replace(/\.dzi$/, "_files/"), image.format);
    const source = new OpenSeadragon.DziTileSource(image.width, image.height, image.tileSize, image.overlap, "", image.format, []);
    source.getTileUrl = (level, x, y) => versions.url(level, x, y);
    // The slide is item 0; the overlay takes its place and width, whatever resolution the model ran at.
    const slide = this.viewer.world.getItemAt(0);
    const bounds = slide.getBounds();
    await new Promise<void>((resolve, reject) =>
      this.viewer.addTiledImage({
        tileSource: source,
        x: bounds.x,
        y: bounds.y,
        width: bounds.width,
        opacity: this.visible ? this.opacity : 0,
        loadTilesWithAjax: true,
        ajaxHeaders: authHeaders(),
        success: (e) => {
          if (this.jobId !== jobId) {
            this.viewer.world.removeItem((e as unknown as { item: OpenSeadragon.TiledImage }).item);
            return resolve();
          }
          this.item = (e as unknown as { item: OpenSeadragon.TiledImage }).item;
          this.source = source;
          this.versions = versions;
          resolve();
        },
        error: (e) => reject(new Error(`overlay: ${(e as unknown as { message?: string }).message ?? "cannot open"}`)),
      }),
    );
  }

  /** Asks again for the tiles that were still pending; call on each progress step and when the job is over. */
  refreshPending(): number {
    if (!this.versions) return 0;
    let count = 0;
    for (const [image, keys] of this.versions.refresh()) {
      const matrix = (image as unknown as { tilesMatrix: TileMatrix }).tilesMatrix;
      for (const { level, x, y } of keys) {
        // Without its tile object the image makes a new one on the next update, with the URL's new version, so
        // OpenSeadragon's cache (keyed by URL) cannot hand back the transparent placeholder.
        if (matrix[level]?.[x]) delete matrix[level][x][y];
        count++;
      }
      // setClip is the public call that makes a tiled image walk its tiles again (and its navigator copy follows).
      image.setClip(image.getClip());
    }
    return count;
  }

  stats(): OverlayStats {
    const v = this.versions;
    return {
      finishedAnswers: v?.finishedAnswers ?? 0,
      pendingAnswers: v?.pendingAnswers ?? 0,
      refetchedFinished: v?.refetchedFinished ?? 0,
      pending: v?.pendingCount() ?? 0,
    };
  }

  pendingCount(): number {
    return this.versions?.pendingCount() ?? 0;
  }

  setOpacity(opacity: number): void {
    this.opacity = Math.max(0, Math.min(1, opacity));
    this.apply();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.apply();
  }

  remove(): void {
    if (this.item) this.viewer.world.removeItem(this.item);
    this.item = null;
    this.source = null;
    this.versions = null;
    this.jobId = null;
  }

  dispose(): void {
    this.remove();
    this.viewer.removeHandler("tile-loaded", this.onTileLoaded);
    this.viewer.navigator?.removeHandler("tile-loaded", this.onTileLoaded);
  }

  private apply(): void {
    this.item?.setOpacity(this.visible ? this.opacity : 0);
  }

  private tileLoaded(e: OpenSeadragon.TileLoadedEvent): void {
    if (!this.versions || !this.source || e.tiledImage.source !== this.source) return;
    const request = (e as unknown as { tileRequest?: XMLHttpRequest }).tileRequest;
    const pending = request?.getResponseHeader("X-Overlay-Pending") === "1";
    const tile = e.tile as unknown as TileKey;
    this.versions.answered(e.tiledImage, tile.level, tile.x, tile.y, pending);
    if (!pending) this.finishedTile(this.stats());
  }
}
