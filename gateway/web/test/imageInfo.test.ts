import { describe, expect, it } from "vitest";
import { frameLabel, newestId, readImageInfo, renderUrl } from "../src/lib/imageInfo";

describe("readImageInfo", () => {
  it("reads flat and nested window spellings", () => {
    expect(readImageInfo({ width: 256, height: 1024, frames: 2, windowCenter: 50, windowWidth: 100, min: 0, max: 300 })).toEqual({
      width: 256, height: 1024, frames: 2, window: { center: 50, width: 100 }, min: 0, max: 300, frameLabels: [],
    });
    expect(readImageInfo({ width: 4, height: 4, numberOfFrames: 1, defaultWindow: { center: 7, width: 3 } }).window).toEqual({ center: 7, width: 3 });
  });

  it("reads the shape the services serve (Dicom.Web's ImageInfo)", () => {
    const info = readImageInfo({
      width: 256, height: 1024, frames: 2, frameLabels: ["ANTERIOR", "POSTERIOR"], photometricInterpretation: "MONOCHROME2",
      modality: "NM", minimum: 0, maximum: 812, defaultWindow: { center: 40, width: 80 },
    });
    expect(info).toMatchObject({ min: 0, max: 812, window: { center: 40, width: 80 }, frameLabels: ["ANTERIOR", "POSTERIOR"] });
    expect(frameLabel(1, 2, info.frameLabels)).toBe("Posterior");
    expect(frameLabel(0, 2, ["Frame 1", "Frame 2"])).toBe("Anterior");
  });

  it("has no window when the width is missing or zero", () => {
    expect(readImageInfo({ windowCenter: 5, windowWidth: 0 }).window).toBeNull();
    expect(readImageInfo(null).frames).toBe(1);
  });
});

describe("derived lookups", () => {
  it("takes the newest id of a list, or none", () => {
    expect(newestId([{ id: "a" }, { id: "b" }])).toBe("b");
    expect(newestId({ items: [{ id: "c" }] })).toBe("c");
    expect(newestId([])).toBeNull();
    expect(newestId({ error: "x" })).toBeNull();
  });

  it("names the views and builds render URLs", () => {
    expect(frameLabel(0, 2)).toBe("Anterior");
    expect(frameLabel(1, 2)).toBe("Posterior");
    expect(frameLabel(2, 3)).toBe("Frame 3");
    expect(renderUrl("/api/x/1", 1, { center: 10.5, width: 20 })).toBe("/api/x/1/render.png?frame=1&wc=10.5&ww=20");
    expect(renderUrl("/api/x/1", 0, null)).toBe("/api/x/1/render.png?frame=0");
  });
});
