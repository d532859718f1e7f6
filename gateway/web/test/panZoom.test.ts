import { describe, expect, it } from "vitest";
import { Identity, panBy, zoomAt } from "../src/lib/panZoom";

describe("linked pan and zoom", () => {
  it("keeps the point under the cursor fixed", () => {
    const zoomed = zoomAt(Identity, 2, 100, 50);
    // image point (100, 50) maps to 100*2 + x = 100 -> x = -100
    expect(zoomed).toEqual({ scale: 2, x: -100, y: -50 });
    const again = zoomAt(zoomed, 2, 100, 50);
    expect(100 * again.scale + again.x).toBe(100);
    expect(50 * again.scale + again.y).toBe(50);
  });

  it("limits the zoom", () => {
    expect(zoomAt(Identity, 1000, 0, 0).scale).toBe(16);
    expect(zoomAt(Identity, 0.001, 0, 0).scale).toBe(0.5);
  });

  it("pans", () => {
    expect(panBy(Identity, 3, -4)).toEqual({ scale: 1, x: 3, y: -4 });
  });
});
