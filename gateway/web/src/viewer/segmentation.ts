// The "AI segmentation" panel of the slide viewer: Predict with a model, a progress bar fed by the job's event
// stream, Cancel, the overlay (opacity, show/hide, legend), the slide's earlier jobs, and the AI annotation layer the
// job leaves behind (accept one or all; edit and delete with the ordinary tools).
import type OpenSeadragon from "openseadragon";
import { apiFetch, getJson, problemText, sendJson } from "../api";
import { h } from "../dom";
import { accepted, aiStatus, proposedOf, summarise } from "../lib/aiLayer";
import type { Feature } from "../lib/geojson";
import { isFinal, jobLabel, parseJob, progressView, type SegmentationJob } from "../lib/segmentationJob";
import { followJob, type JobFollower } from "./jobStream";
import { renderLegend } from "./legend";
import { SegmentationOverlayLayer, type OverlayStats } from "./overlayLayer";

export const DefaultModel = "he-tumour-seg";
const RefreshThrottleMs = 250;
const SettleMs = 10_000;
/** How long to wait for the Slides service to store a finished job's AI layer (it does so on the job's event). */
const AiLayerWaitMs = 30_000;
const AcceptConcurrency = 4;

/** What the panel needs of the annotation overlay next to it. */
export interface AnnotationAccess {
  features(): Feature[];
  selected(): Feature | null;
  reload(): Promise<void>;
  update(feature: Feature): Promise<Feature>;
}

interface ModelSummary {
  name: string;
  activeVersion: string | null;
  versions: { version: string; task: string; active: boolean }[];
}

export class SegmentationPanel {
  readonly element: HTMLElement;
  private readonly layer: SegmentationOverlayLayer;
  private readonly modelSelect = h("select", { id: "segmentation-model", "aria-label": "Segmentation model" });
  private readonly predict = h("button", { type: "button", id: "predict", "aria-label": "Predict" }, "Predict");
  private readonly cancel = h("button", { type: "button", id: "cancel-segmentation", "aria-label": "Cancel segmentation", disabled: true }, "Cancel");
  private readonly bar = h("progress", { id: "segmentation-progress", max: 100, value: 0, "aria-label": "Segmentation progress" });
  private readonly percent = h("span", { id: "segmentation-percent" }, "");
  private readonly stage = h("p", { id: "segmentation-stage", role: "status" }, "No segmentation yet.");
  private readonly tiles = h("p", { id: "segmentation-tiles", className: "muted" });
  private readonly skipped = h("p", { id: "segmentation-skipped", className: "muted" });
  private readonly opacity = h("input", { type: "range", id: "overlay-opacity", min: 0, max: 100, value: 60, "aria-label": "Overlay opacity" });
  private readonly visible = h("input", { type: "checkbox", id: "overlay-visible", checked: true, "aria-label": "Show overlay" });
  private readonly legend = h("div", { id: "segmentation-legend" });
  private readonly jobs = h("select", { id: "segmentation-jobs", "aria-label": "Segmentation jobs of this slide" });
  private readonly aiSummary = h("p", { id: "ai-layer-summary", className: "muted" }, "No AI annotations.");
  private follower: JobFollower | null = null;
  private job: SegmentationJob | null = null;
  private clickedAt: number | null = null;
  /** The job whose end was already handled (annotations reloaded), so a late event does not do it twice. */
  private endHandled: string | null = null;
  private lastRefresh = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private settleTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    viewer: OpenSeadragon.Viewer,
    private readonly slideId: string,
    private readonly canvas: HTMLElement,
    private readonly annotations: AnnotationAccess,
    private readonly report: (text: string, error?: boolean) => void,
  ) {
    this.layer = new SegmentationOverlayLayer(viewer, (stats) => this.tileFinished(stats));
    const acceptSelected = h("button", { type: "button", "aria-label": "Accept selected AI annotation" }, "Accept selected");
    const acceptAll = h("button", { type: "button", "aria-label": "Accept all AI annotations" }, "Accept all");
    acceptSelected.addEventListener("click", () => void this.acceptSelected());
    acceptAll.addEventListener("click", () => void this.acceptAll());
    this.predict.addEventListener("click", () => void this.start());
    this.cancel.addEventListener("click", () => void this.cancelJob());
    this.opacity.addEventListener("input", () => this.layer.setOpacity(Number(this.opacity.value) / 100));
    this.visible.addEventListener("change", () => this.layer.setVisible(this.visible.checked));
    this.jobs.addEventListener("change", () => void this.choose(this.jobs.value));
    this.element = h("section", { "aria-label": "AI segmentation", className: "segmentation" },
      h("h2", {}, "AI segmentation"),
      h("label", { for: "segmentation-model" }, "Model"), this.modelSelect,
      h("div", { className: "buttons" }, this.predict, this.cancel),
      h("div", { className: "segmentation-progress" }, this.bar, this.percent),
      this.stage, this.tiles, this.skipped,
      h("label", { for: "overlay-opacity" }, "Overlay opacity"), this.opacity,
      h("div", { className: "inline" }, this.visible, h("label", { for: "overlay-visible" }, "Show overlay")),
      this.legend,
      h("label", { for: "segmentation-jobs" }, "Earlier jobs"), this.jobs,
      h("h2", {}, "AI annotation layer"), this.aiSummary,
      h("div", { className: "buttons" }, acceptSelected, acceptAll),
    );
    void this.loadModels();
    void this.loadJobs(true);
  }

  /** The annotation lists changed (reload, edit, delete): recount the AI layer. */
  annotationsChanged(): void {
    const layerName = this.job?.annotationLayer ?? "AI";
    const s = summarise(this.annotations.features(), layerName);
    this.aiSummary.textContent = s.total === 0 ? "No AI annotations." : `Layer ${layerName}: ${s.total} annotation(s), ${s.proposed} proposed, ${s.accepted} accepted`;
    this.aiSummary.dataset.total = String(s.total);
    this.aiSummary.dataset.proposed = String(s.proposed);
    this.aiSummary.dataset.accepted = String(s.accepted);
  }

  dispose(): void {
    this.follower?.stop();
    this.stopTimers();
    this.layer.dispose();
  }

  private async loadModels(): Promise<void> {
    let names: string[] = [];
    try {
      const models = await getJson<ModelSummary[]>("/api/models");
      names = models.filter((m) => m.versions.some((v) => v.task === "segmentation")).map((m) => m.name);
    } catch {
      // Not allowed to list models, or the registry is elsewhere: the server's default model still works.
    }
    if (!names.includes(DefaultModel)) names.unshift(DefaultModel);
    this.modelSelect.replaceChildren(...names.map((n) => h("option", { value: n, selected: n === DefaultModel }, n)));
  }

  private async loadJobs(showNewest: boolean): Promise<void> {
    try {
      const list = (await getJson<unknown[]>(`/api/segmentation/jobs?slideId=${encodeURIComponent(this.slideId)}`)).map(parseJob);
      this.jobs.replaceChildren(...list.map((j) => h("option", { value: j.id, selected: j.id === this.job?.id }, jobLabel(j))));
      this.jobs.dataset.count = String(list.length);
      if (showNewest && !this.job && list.length > 0) await this.show(list[0]);
    } catch (e) {
      // Said in the panel, not as an alert over the slide: the viewer works without the Segmentation service.
      this.jobs.dataset.count = "0";
      if (!this.job) this.stage.textContent = `Earlier jobs not available: ${(e as Error).message}`;
    }
  }

  private async choose(jobId: string): Promise<void> {
    if (!jobId || jobId === this.job?.id) return;
    try {
      await this.show(parseJob(await getJson<unknown>(`/api/segmentation/jobs/${encodeURIComponent(jobId)}`)));
    } catch (e) {
      this.report(`Cannot open the job: ${(e as Error).message}`, true);
    }
  }

  private async start(): Promise<void> {
    this.predict.disabled = true;
    this.clickedAt = performance.now();
    delete this.canvas.dataset.firstOverlayTileMs;
    delete this.canvas.dataset.overlayAddedMs;
    try {
      const job = parseJob(await sendJson<unknown>("POST", "/api/segmentation/jobs", { slideId: this.slideId, model: this.modelSelect.value || DefaultModel }));
      await this.show(job);
      void this.loadJobs(false);
    } catch (e) {
      this.predict.disabled = false;
      this.report(`Segmentation not started: ${(e as Error).message}`, true);
    }
  }

  private async cancelJob(): Promise<void> {
    if (!this.job) return;
    const response = await apiFetch(`/api/segmentation/jobs/${encodeURIComponent(this.job.id)}/cancel`, { method: "POST" });
    if (!response.ok) this.report(`Not cancelled: ${await problemText(response)}`, true);
    else this.report("Cancelling…");
  }

  /** Shows a job: its progress, overlay and legend; follows it while it runs. */
  private async show(job: SegmentationJob): Promise<void> {
    this.follower?.stop();
    this.follower = null;
    this.stopTimers();
    if (this.job?.id !== job.id) this.layer.remove();
    this.job = job;
    this.jobs.value = job.id;
    // An earlier, finished job: its annotations are already on the slide; show its overlay and numbers only.
    if (isFinal(job.state)) this.endHandled = job.id;
    await this.update(job);
    if (!isFinal(job.state)) {
      this.follower = followJob(job.id, (j) => void this.update(j), (message) => this.report(message, true));
      this.canvas.dataset.segmentationFollow = "stream";
    }
  }

  private async update(job: SegmentationJob): Promise<void> {
    if (job.id !== this.job?.id) return; // an event of a job no longer shown
    this.job = job;
    const view = progressView(job);
    this.bar.value = view.percent;
    this.percent.textContent = `${view.percent} %`;
    this.bar.dataset.percent = String(view.percent);
    this.stage.textContent = view.text;
    this.stage.dataset.state = job.state;
    this.tiles.textContent = view.tiles;
    this.skipped.textContent = view.skipped;
    this.skipped.dataset.fraction = String(job.skippedFraction);
    this.cancel.disabled = view.final;
    this.predict.disabled = !view.final;
    if (this.follower) this.canvas.dataset.segmentationFollow = this.follower.mode;
    renderLegend(this.legend, job.classes);
    if (job.overlay && this.layer.shownJob() !== job.id) {
      try {
        await this.layer.show(job.id, job.overlay.dzi);
        if (this.clickedAt !== null && this.canvas.dataset.overlayAddedMs === undefined)
          this.canvas.dataset.overlayAddedMs = (performance.now() - this.clickedAt).toFixed(0);
      } catch (e) {
        this.report(`Cannot show the overlay: ${(e as Error).message}`, true);
      }
    }
    if (!view.final) return this.refreshSoon();
    this.layer.refreshPending();
    this.settle();
    if (this.endHandled === job.id) return;
    this.endHandled = job.id;
    void this.loadJobs(false);
    if (job.state === "succeeded") await this.loadAiLayer(job);
    else if (job.state === "failed") this.report(`Segmentation failed: ${job.error ?? "no reason given"}`, true);
  }

  /** Pending tiles are asked for again at most every RefreshThrottleMs, and once more after the last event. */
  private refreshSoon(): void {
    const wait = this.lastRefresh + RefreshThrottleMs - performance.now();
    if (wait <= 0) {
      this.lastRefresh = performance.now();
      this.layer.refreshPending();
    } else if (!this.refreshTimer) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = null;
        this.lastRefresh = performance.now();
        this.layer.refreshPending();
      }, wait);
    }
  }

  /**
   * After the job ends, tiles that were on their way may still come back pending (answered just before the last
   * block was stored): keep asking for a short while, then stop (a failed job's missing tiles stay empty).
   */
  private settle(): void {
    if (this.settleTimer) return;
    const until = performance.now() + SettleMs;
    let quietTicks = 0;
    this.settleTimer = setInterval(() => {
      // Two quiet ticks in a row: nothing pending and nothing came back pending from the last refresh.
      quietTicks = this.layer.pendingCount() === 0 ? quietTicks + 1 : 0;
      if (quietTicks >= 2 || performance.now() > until) return this.stopTimers();
      this.layer.refreshPending();
    }, 500);
  }

  private stopTimers(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.settleTimer) clearInterval(this.settleTimer);
    this.refreshTimer = null;
    this.settleTimer = null;
  }

  private tileFinished(stats: OverlayStats): void {
    const c = this.canvas.dataset;
    if (this.clickedAt !== null && c.firstOverlayTileMs === undefined) c.firstOverlayTileMs = (performance.now() - this.clickedAt).toFixed(0);
    c.overlayFinished = String(stats.finishedAnswers);
    c.overlayPendingAnswers = String(stats.pendingAnswers);
    c.overlayRefetchedFinished = String(stats.refetchedFinished);
  }

  /**
   * The contours reach the slide's annotations a moment after the job succeeds (Slides stores them when it hears of
   * the job), all at once: reload until this job's features are there, the job found none, or time is up.
   */
  private async loadAiLayer(job: SegmentationJob): Promise<void> {
    const deadline = performance.now() + AiLayerWaitMs;
    for (;;) {
      try {
        await this.annotations.reload();
      } catch (e) {
        return this.report(`Segmentation done, but the annotations did not load: ${(e as Error).message}`, true);
      }
      const found = this.annotations.features().filter((f) => f.properties.jobId === job.id).length;
      if (found > 0 || job.polygonCount === 0) return this.report(`Segmentation done: ${found} contour(s) in the ${job.annotationLayer} layer.`);
      if (performance.now() > deadline || this.job?.id !== job.id) return this.report(`Segmentation done; its ${job.annotationLayer} layer has not arrived yet (reload later).`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private async acceptSelected(): Promise<void> {
    const f = this.annotations.selected();
    if (!f || aiStatus(f) !== "proposed") return this.report("Select a proposed AI annotation first (Select tool).", true);
    try {
      await this.annotations.update(accepted(f));
      await this.annotations.reload();
      this.report("AI annotation accepted.");
    } catch (e) {
      this.report(`Not accepted: ${(e as Error).message}`, true);
    }
  }

  private async acceptAll(): Promise<void> {
    const proposed = proposedOf(this.annotations.features(), this.job?.annotationLayer ?? "AI");
    let done = 0;
    const failures: string[] = [];
    // A few saves at a time: a job can leave hundreds of contours, one PUT each.
    let next = 0;
    const worker = async () => {
      while (next < proposed.length) {
        const f = proposed[next++];
        try {
          await this.annotations.update(accepted(f));
          done++;
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(AcceptConcurrency, proposed.length) }, worker));
    if (failures.length === 0) this.report(`${done} AI annotation(s) accepted.`);
    else this.report(`Accepted ${done} of ${proposed.length}: ${failures[0]}`, true);
    await this.annotations.reload();
  }
}
