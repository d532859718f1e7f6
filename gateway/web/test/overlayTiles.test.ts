import { describe, expect, it } from "vitest";
import { OverlayTileVersions } from "../src/lib/overlayTiles";

const base = "/api/segmentation/jobs/j/overlay_files/";

describe("OverlayTileVersions", () => {
  it("gives tiles the plain Deep Zoom URL until they were seen pending", () => {
    const v = new OverlayTileVersions<string>(base);
    expect(v.url(11, 2, 3)).toBe(`${base}11/2_3.png`);
    v.answered("main", 11, 2, 3, false);
    expect(v.refresh().size).toBe(0);
    expect(v.url(11, 2, 3)).toBe(`${base}11/2_3.png`);
  });

  it("re-versions only pending tiles; finished tiles keep their URL for good", () => {
    const v = new OverlayTileVersions<string>(base);
    v.answered("main", 10, 0, 0, false);
    v.answered("main", 10, 1, 0, true);
    v.answered("main", 10, 0, 1, true);
    const first = v.refresh();
    expect(first.get("main")).toEqual([{ level: 10, x: 1, y: 0 }, { level: 10, x: 0, y: 1 }]);
    expect(v.url(10, 1, 0)).toBe(`${base}10/1_0.png?v=1`);
    expect(v.url(10, 0, 0)).toBe(`${base}10/0_0.png`);
    // Reloaded: one finished now, one still pending; the next step asks only for the pending one, under a new URL.
    v.answered("main", 10, 1, 0, false);
    v.answered("main", 10, 0, 1, true);
    const second = v.refresh();
    expect(second.get("main")).toEqual([{ level: 10, x: 0, y: 1 }]);
    expect(v.url(10, 0, 1)).toBe(`${base}10/0_1.png?v=2`);
    expect(v.url(10, 1, 0)).toBe(`${base}10/1_0.png?v=1`);
    expect(v.refetchedFinished).toBe(0);
    expect([v.finishedAnswers, v.pendingAnswers]).toEqual([2, 3]);
  });

  it("does not ask twice for a tile whose new answer has not come back", () => {
    const v = new OverlayTileVersions<string>(base);
    v.answered("main", 9, 0, 0, true);
    expect(v.refresh().get("main")).toHaveLength(1);
    expect(v.pendingCount()).toBe(0);
    expect(v.refresh().size).toBe(0); // still on its way
  });

  it("keeps pending tiles per view (main view and navigator) with shared versions", () => {
    const v = new OverlayTileVersions<string>(base);
    v.answered("main", 12, 4, 4, true);
    v.answered("navigator", 8, 0, 0, true);
    v.answered("navigator", 12, 4, 4, true);
    const r = v.refresh();
    expect(r.get("main")).toEqual([{ level: 12, x: 4, y: 4 }]);
    expect(r.get("navigator")).toHaveLength(2);
    expect(v.url(12, 4, 4)).toBe(`${base}12/4_4.png?v=1`);
    v.forget("navigator");
    v.answered("main", 12, 4, 4, true);
    expect([...v.refresh().keys()]).toEqual(["main"]);
  });

  it("counts a finished tile that the same view loads again", () => {
    const v = new OverlayTileVersions<string>(base, "png");
    v.answered("main", 10, 0, 0, false);
    v.answered("navigator", 10, 0, 0, false);
    expect(v.refetchedFinished).toBe(0);
    v.answered("main", 10, 0, 0, false);
    expect(v.refetchedFinished).toBe(1);
  });
});
