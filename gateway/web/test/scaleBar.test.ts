import { describe, expect, it } from "vitest";
import { chooseScaleBar, formatLength } from "../src/lib/scaleBar";

describe("chooseScaleBar", () => {
  it("picks the longest 1-2-5 length that fits", () => {
    // 0.499 µm per slide pixel (CMU-1 at 20x), shown 1:1: 150 px = 74.85 µm -> 50 µm = 100.2 px
    const bar = chooseScaleBar(0.499, 150)!;
    expect(bar.micrometres).toBe(50);
    expect(bar.pixels).toBeCloseTo(100.2, 1);
    expect(bar.label).toBe("50 µm");
  });

  it("switches to millimetres when zoomed out", () => {
    const bar = chooseScaleBar(20, 150)!; // 3000 µm fit -> 2 mm
    expect(bar.label).toBe("2 mm");
    expect(bar.pixels).toBe(100);
  });

  it("has no bar without a pixel size", () => {
    expect(chooseScaleBar(0)).toBeNull();
    expect(chooseScaleBar(Number.NaN)).toBeNull();
  });

  it("formats small lengths", () => {
    expect(formatLength(0.5)).toBe("500 nm");
    expect(formatLength(10)).toBe("10 µm");
  });
});
