import { describe, expect, it } from "vitest";
import { affineFromPoints, apply, invert, scaleOf, thinPath, type Point } from "../src/lib/affine";

describe("affine transforms", () => {
  it("round-trips slide pixels through a zoomed, panned and rotated view", () => {
    const zoom = 0.25;
    const angle = Math.PI / 2; // 90 degrees clockwise on screen
    const origin: Point = [400, 50];
    const at = ([x, y]: Point): Point => [
      origin[0] + zoom * (Math.cos(angle) * x - Math.sin(angle) * y),
      origin[1] + zoom * (Math.sin(angle) * x + Math.cos(angle) * y),
    ];
    const m = affineFromPoints(at([0, 0]), at([1, 0]), at([0, 1]));
    const slide: Point = [1234.5, 678];
    const screen = apply(m, slide);
    expect(screen[0]).toBeCloseTo(at(slide)[0], 9);
    expect(screen[1]).toBeCloseTo(at(slide)[1], 9);
    const back = apply(invert(m), screen);
    expect(back[0]).toBeCloseTo(slide[0], 6);
    expect(back[1]).toBeCloseTo(slide[1], 6);
    expect(scaleOf(m)).toBeCloseTo(zoom, 12);
  });

  it("refuses to invert a collapsed transform", () => {
    expect(() => invert({ a: 0, b: 0, c: 0, d: 0, e: 1, f: 1 })).toThrow();
  });

  it("thins a trace and double clicks", () => {
    expect(thinPath([[0, 0], [0.5, 0], [3, 0], [3, 0], [3, 4]], 2)).toEqual([[0, 0], [3, 0], [3, 4]]);
  });
});
