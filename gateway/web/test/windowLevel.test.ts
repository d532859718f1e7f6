import { describe, expect, it } from "vitest";
import { clampWindow, dragWindow, fullRangeWindow, greyLevel } from "../src/lib/windowLevel";

describe("window/level", () => {
  it("maps the window linearly onto 0..255 and clamps outside it", () => {
    const w = { center: 100, width: 200 };
    expect(greyLevel(0, w)).toBe(0);
    expect(greyLevel(-50, w)).toBe(0);
    expect(greyLevel(100, w)).toBe(128);
    expect(greyLevel(200, w)).toBe(255);
    expect(greyLevel(1000, w)).toBe(255);
  });

  it("widens to the right and raises the center downwards, scaled by the data range", () => {
    const range = { min: 0, max: 1024 };
    const w = dragWindow({ center: 500, width: 400 }, 10, -5, range);
    expect(w.width).toBe(420);
    expect(w.center).toBe(490);
  });

  it("never lets the width reach zero", () => {
    expect(clampWindow({ center: 10, width: -30 }, { min: 0, max: 100 }).width).toBe(1);
  });

  it("full range window spans min..max", () => {
    expect(fullRangeWindow({ min: 10, max: 110 })).toEqual({ center: 60, width: 100 });
  });
});
