// The services' GET <resource>/{id}/image answer (width, height, frames, default window, min, max), read tolerantly:
// the three services that serve it are written by different people.
import type { Window } from "./windowLevel";

export interface ImageInfo {
  width: number;
  height: number;
  frames: number;
  window: Window | null;
  min: number;
  max: number;
  /** What each frame shows when the image says so (NM: the detector's view, e.g. "ANTERIOR"). */
  frameLabels: string[];
}

export function readImageInfo(json: unknown): ImageInfo {
  const o = (json ?? {}) as Record<string, unknown>;
  const num = (...keys: string[]): number | undefined => {
    for (const k of keys) {
      const v = o[k];
      if (typeof v === "number" && Number.isFinite(v)) return v;
    }
    return undefined;
  };
  const nested = (o.defaultWindow ?? o.window) as Record<string, unknown> | undefined;
  const center = num("windowCenter", "defaultWindowCenter") ?? (typeof nested?.center === "number" ? nested.center : undefined);
  const width = num("windowWidth", "defaultWindowWidth") ?? (typeof nested?.width === "number" ? nested.width : undefined);
  const min = num("min", "minimum") ?? 0;
  const max = num("max", "maximum") ?? 0;
  return {
    width: num("width", "columns") ?? 0,
    height: num("height", "rows") ?? 0,
    frames: Math.max(1, num("frames", "numberOfFrames", "frameCount") ?? 1),
    window: center !== undefined && width !== undefined && width > 0 ? { center, width } : null,
    min,
    max: Math.max(max, min),
    frameLabels: Array.isArray(o.frameLabels) ? o.frameLabels.map((l) => String(l)) : [],
  };
}

/**
 * The image's own name for a frame when it has one; otherwise whole-body bone scans are taken to store the anterior
 * view first and the posterior second, as scanners do.
 */
export function frameLabel(frame: number, frames: number, labels: string[] = []): string {
  const own = labels[frame]?.trim();
  if (own && !/^frame \d+$/i.test(own)) return own[0].toUpperCase() + own.slice(1).toLowerCase();
  if (frames === 2) return frame === 0 ? "Anterior" : "Posterior";
  return `Frame ${frame + 1}`;
}

/** The id of the newest derived object in a list answer (array, or {items: [...]}), or null when none exists yet. */
export function newestId(json: unknown): string | null {
  const list = Array.isArray(json) ? json : Array.isArray((json as { items?: unknown })?.items) ? (json as { items: unknown[] }).items : [];
  const last = list[list.length - 1] as Record<string, unknown> | undefined;
  const id = last?.id ?? last?.Id;
  return typeof id === "string" && id ? id : null;
}

export function renderUrl(base: string, frame: number, window: Window | null): string {
  const q = new URLSearchParams({ frame: String(frame) });
  if (window) {
    q.set("wc", String(window.center));
    q.set("ww", String(window.width));
  }
  return `${base}/render.png?${q}`;
}
