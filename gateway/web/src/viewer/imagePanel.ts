// One image of the bone-scan comparison: finds its source (original, or the newest denoised/restored derivative),
// renders a frame under a window through the service's render.png, and says plainly when it does not exist yet.
import { apiFetch, getJson, problemText } from "../api";
import { h } from "../dom";
import { newestId, readImageInfo, renderUrl, type ImageInfo } from "../lib/imageInfo";
import type { Window } from "../lib/windowLevel";

/** Where a panel's image lives: the resource base (".../{id}") or null while it does not exist. */
export type SourceResolver = () => Promise<string | null>;

export const PanelSources = {
  original: (instanceId: string): SourceResolver => async () => `/api/ingest/instances/${instanceId}`,
  denoised: (instanceId: string): SourceResolver => derived(`/api/denoise/denoised?sourceInstanceId=${instanceId}`, "/api/denoise/denoised"),
  restored: (instanceId: string): SourceResolver => derived(`/api/restore/derived?sourceInstanceId=${instanceId}`, "/api/restore/derived"),
};

function derived(listUrl: string, base: string): SourceResolver {
  return async () => {
    const response = await apiFetch(listUrl, { headers: { Accept: "application/json" } });
    // 404: the service (or its list endpoint) is not there yet; treated like "not produced yet".
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(await problemText(response));
    const id = newestId(await response.json());
    return id ? `${base}/${id}` : null;
  };
}

type State = "loading" | "ready" | "missing" | "error";

export class ImagePanel {
  readonly element: HTMLElement;
  readonly viewport: HTMLElement;
  private readonly image: HTMLImageElement;
  private readonly note: HTMLElement;
  private base: string | null = null;
  private objectUrl: string | null = null;
  private state: State = "loading";
  private request = 0;

  constructor(
    private readonly title: string,
    private readonly resolve: SourceResolver,
  ) {
    this.image = h("img", { alt: `${title} image`, draggable: "false" });
    this.note = h("div", { className: "panel-note", role: "status" }, "Loading…");
    this.viewport = h("div", { className: "panel-viewport" }, this.image, this.note);
    this.element = h("figure", { className: "panel", "aria-label": `${title} panel`, "data-panel": title.toLowerCase(), "data-state": "loading" },
      h("figcaption", {}, title), this.viewport);
  }

  available(): boolean {
    return this.state === "ready" || this.state === "loading";
  }

  size(): { width: number; height: number } {
    return { width: this.viewport.clientWidth, height: this.viewport.clientHeight };
  }

  setTransform(css: string): void {
    this.image.style.transform = css;
  }

  async resolveInfo(): Promise<ImageInfo | null> {
    try {
      this.base ??= await this.resolve();
      if (!this.base) {
        this.setState("missing");
        return null;
      }
      return readImageInfo(await getJson(`${this.base}/image`));
    } catch (e) {
      this.setState("error", (e as Error).message);
      return null;
    }
  }

  async show(frame: number, window: Window | null): Promise<void> {
    const request = ++this.request;
    try {
      this.base ??= await this.resolve();
      if (!this.base) return this.setState("missing");
      const url = renderUrl(this.base, frame, window);
      const response = await apiFetch(url, { headers: { Accept: "image/png" } });
      if (request !== this.request) return; // a newer window/frame was asked for meanwhile
      if (response.status === 404) return this.setState("missing");
      if (!response.ok) return this.setState("error", await problemText(response));
      const blob = await response.blob();
      if (request !== this.request) return;
      if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
      this.objectUrl = URL.createObjectURL(blob);
      this.image.src = this.objectUrl;
      this.image.dataset.frame = String(frame);
      this.image.dataset.wc = window ? String(window.center) : "";
      this.image.dataset.ww = window ? String(window.width) : "";
      this.setState("ready");
    } catch (e) {
      if (request === this.request) this.setState("error", (e as Error).message);
    }
  }

  dispose(): void {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.request++;
  }

  private setState(state: State, detail?: string): void {
    this.state = state;
    this.element.dataset.state = state;
    this.note.hidden = state === "ready";
    this.image.hidden = state !== "ready";
    this.note.className = `panel-note ${state}`;
    this.note.textContent =
      state === "missing" ? `${this.title}: not available yet (processing)` :
      state === "error" ? `${this.title}: could not load (${detail ?? "error"})` : "Loading…";
  }
}
