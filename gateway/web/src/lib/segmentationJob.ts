// The segmentation job as the Segmentation API describes it (docs: /api/segmentation/jobs), and what the progress
// panel shows of it. Pure functions: the panel and the tests share them.
import type { SseMessage } from "./sse";

export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface SegmentationClass {
  index: number;
  name: string;
  color: string;
}

export interface SegmentationJob {
  id: string;
  slideId: string;
  model: string;
  modelVersion: string | null;
  state: JobState;
  stage: string | null;
  tilesTotal: number;
  tilesDone: number;
  tilesSkipped: number;
  skippedFraction: number;
  progress: number;
  error: string | null;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  classes: SegmentationClass[];
  overlay: { dzi: string; width: number; height: number } | null;
  annotationLayer: string;
  /** Contours the job found (the AI layer's size once Slides has stored it); null when the server does not say. */
  polygonCount: number | null;
}

const States: readonly JobState[] = ["queued", "running", "succeeded", "failed", "cancelled"];

export function isFinal(state: JobState): boolean {
  return state === "succeeded" || state === "failed" || state === "cancelled";
}

/** Reads a job from the API's JSON; refuses anything without an id or with an unknown state. */
export function parseJob(value: unknown): SegmentationJob {
  if (!value || typeof value !== "object") throw new Error("segmentation job: not an object");
  const o = value as Record<string, unknown>;
  const id = typeof o.id === "string" && o.id ? o.id : null;
  if (!id) throw new Error("segmentation job: no id");
  const state = States.find((s) => s === o.state);
  if (!state) throw new Error(`segmentation job ${id}: unknown state ${JSON.stringify(o.state)}`);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  const overlay = o.overlay as Record<string, unknown> | null | undefined;
  return {
    id,
    slideId: str(o.slideId) ?? "",
    model: str(o.model) ?? "",
    modelVersion: str(o.modelVersion),
    state,
    stage: str(o.stage),
    tilesTotal: num(o.tilesTotal),
    tilesDone: num(o.tilesDone),
    tilesSkipped: num(o.tilesSkipped),
    skippedFraction: num(o.skippedFraction),
    progress: num(o.progress),
    error: str(o.error),
    createdAt: str(o.createdAt),
    startedAt: str(o.startedAt),
    finishedAt: str(o.finishedAt),
    classes: Array.isArray(o.classes)
      ? o.classes.filter((c): c is Record<string, unknown> => !!c && typeof c === "object").map((c) => ({ index: num(c.index), name: String(c.name ?? ""), color: String(c.color ?? "") }))
      : [],
    overlay: overlay && typeof overlay.dzi === "string" ? { dzi: overlay.dzi, width: num(overlay.width), height: num(overlay.height) } : null,
    annotationLayer: str(o.annotationLayer) ?? "AI",
    polygonCount: typeof o.polygonCount === "number" && Number.isFinite(o.polygonCount) ? o.polygonCount : null,
  };
}

/** A progress or done event of the job's event stream; other events (and comments) are not for us. */
export function jobEvent(message: SseMessage): { done: boolean; job: SegmentationJob } | null {
  if (message.event !== "progress" && message.event !== "done") return null;
  return { done: message.event === "done", job: parseJob(JSON.parse(message.data)) };
}

export interface ProgressView {
  /** 0..100, whole numbers. */
  percent: number;
  text: string;
  tiles: string;
  skipped: string;
  final: boolean;
}

export function progressView(job: SegmentationJob): ProgressView {
  let fraction = job.progress;
  if (!(fraction > 0) && job.tilesTotal > 0) fraction = job.tilesDone / job.tilesTotal;
  if (job.state === "succeeded") fraction = 1;
  const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100 + 1e-9)));
  const stage = job.stage ? `: ${job.stage}` : "";
  const text =
    job.state === "queued" ? "Queued" :
    job.state === "running" ? `Running${stage}` :
    job.state === "succeeded" ? "Done" :
    job.state === "cancelled" ? "Cancelled" :
    `Failed${job.error ? `: ${job.error}` : ""}`;
  return {
    percent,
    text,
    tiles: job.tilesTotal > 0 ? `${job.tilesDone} / ${job.tilesTotal} tiles` : "tiles not counted yet",
    skipped: job.tilesTotal > 0 ? `${Math.round(job.skippedFraction * 100)} % background skipped (${job.tilesSkipped} tiles)` : "",
    final: isFinal(job.state),
  };
}

/** One line for the list of a slide's earlier jobs. */
export function jobLabel(job: SegmentationJob, locale?: string): string {
  const when = job.createdAt ? new Date(job.createdAt).toLocaleString(locale, { dateStyle: "short", timeStyle: "short" }) : "";
  const model = job.modelVersion ? `${job.model} ${job.modelVersion}` : job.model;
  return [when, model, job.state].filter(Boolean).join(" · ");
}
