import { describe, expect, it } from "vitest";
import { isFinal, jobEvent, jobLabel, parseJob, progressView } from "../src/lib/segmentationJob";

const running = {
  id: "0b1c", slideId: "s1", model: "he-tumour-seg", modelVersion: "1.0.0", state: "running", stage: "inference",
  tilesTotal: 120, tilesDone: 30, tilesSkipped: 48, skippedFraction: 0.4, progress: 0.25, error: null,
  createdAt: "2026-11-22T01:00:00Z", startedAt: "2026-11-22T01:00:01Z", finishedAt: null,
  classes: [{ index: 1, name: "tumour-like", color: "#e6194b" }],
  overlay: { dzi: "/api/segmentation/jobs/0b1c/overlay.dzi", width: 1110, height: 1484 }, annotationLayer: "AI",
};

describe("segmentation job", () => {
  it("reads the API's job JSON", () => {
    const job = parseJob(running);
    expect(job.state).toBe("running");
    expect(job.overlay?.dzi).toBe("/api/segmentation/jobs/0b1c/overlay.dzi");
    expect(job.classes).toEqual([{ index: 1, name: "tumour-like", color: "#e6194b" }]);
    expect(job.polygonCount).toBeNull();
    expect(parseJob({ ...running, polygonCount: 12 }).polygonCount).toBe(12);
  });

  it("refuses a job without id or with an unknown state", () => {
    expect(() => parseJob({ state: "running" })).toThrow(/no id/);
    expect(() => parseJob({ id: "x", state: "exploded" })).toThrow(/unknown state/);
    expect(() => parseJob(null)).toThrow(/not an object/);
  });

  it("tolerates a job before planning (no overlay, no counts)", () => {
    const job = parseJob({ id: "q", state: "queued" });
    expect(job.overlay).toBeNull();
    expect(job.annotationLayer).toBe("AI");
    expect(progressView(job)).toMatchObject({ percent: 0, text: "Queued", tiles: "tiles not counted yet", final: false });
  });

  it("turns progress and done events into jobs and ignores other events", () => {
    expect(jobEvent({ event: "progress", data: JSON.stringify(running) })).toMatchObject({ done: false, job: { tilesDone: 30 } });
    expect(jobEvent({ event: "done", data: JSON.stringify({ ...running, state: "succeeded" }) })?.done).toBe(true);
    expect(jobEvent({ event: "message", data: "{}" })).toBeNull();
    expect(() => jobEvent({ event: "progress", data: "{not json" })).toThrow();
  });

  it("shows percent, stage, tiles and the skipped fraction", () => {
    const view = progressView(parseJob(running));
    expect(view).toEqual({ percent: 25, text: "Running: inference", tiles: "30 / 120 tiles", skipped: "40 % background skipped (48 tiles)", final: false });
  });

  it("falls back to tiles done when progress is missing, and reaches 100 only when done", () => {
    expect(progressView(parseJob({ ...running, progress: undefined, tilesDone: 60 })).percent).toBe(50);
    expect(progressView(parseJob({ ...running, progress: 0.999 })).percent).toBe(99);
    expect(progressView(parseJob({ ...running, state: "succeeded", progress: 0.98 })).percent).toBe(100);
    expect(progressView(parseJob({ ...running, progress: 7 })).percent).toBe(100);
  });

  it("names the end states", () => {
    expect(progressView(parseJob({ ...running, state: "failed", error: "model card not runnable" })).text).toBe("Failed: model card not runnable");
    expect(progressView(parseJob({ ...running, state: "cancelled" }))).toMatchObject({ text: "Cancelled", final: true });
    expect(isFinal("running")).toBe(false);
    expect(isFinal("succeeded")).toBe(true);
  });

  it("labels a job for the list", () => {
    expect(jobLabel(parseJob(running), "en-GB")).toMatch(/he-tumour-seg 1\.0\.0 · running$/);
  });
});
