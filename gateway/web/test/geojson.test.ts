import { describe, expect, it } from "vitest";
import {
  bounds, hexToRgb, makeFeature, moveVertex, normaliseColor, parseImport, pathData, rgbToHex, translate, vertices,
} from "../src/lib/geojson";

const tumour = { name: "종양", color: [200, 0, 0] as [number, number, number] };

describe("makeFeature", () => {
  it("writes a polygon as a closed QuPath annotation with its class", () => {
    const f = makeFeature("polygon", [[10, 20], [110, 20], [60, 90.123]], tumour, "default");
    expect(f.geometry).toEqual({ type: "Polygon", coordinates: [[[10, 20], [110, 20], [60, 90.12], [10, 20]]] });
    expect(f.properties.objectType).toBe("annotation");
    expect(f.properties.classification).toEqual({ name: "종양", color: [200, 0, 0] });
    expect(f.properties.layer).toBe("default");
  });

  it("normalises a rectangle dragged in any direction", () => {
    const f = makeFeature("rectangle", [[50, 40], [10, 5]], undefined, "l");
    expect(f.geometry.coordinates).toEqual([[[10, 5], [50, 5], [50, 40], [10, 40], [10, 5]]]);
    expect(f.properties.classification).toBeUndefined();
  });

  it("writes a point", () => {
    expect(makeFeature("point", [[3.456, 7]], tumour, "l").geometry).toEqual({ type: "Point", coordinates: [3.46, 7] });
  });

  it("refuses a polygon with fewer than three points", () => {
    expect(() => makeFeature("polygon", [[0, 0], [1, 1]], tumour, "l")).toThrow();
  });
});

describe("editing", () => {
  it("moves a polygon as a whole", () => {
    const f = makeFeature("polygon", [[0, 0], [10, 0], [0, 10]], tumour, "l");
    const moved = translate(f.geometry, 5, -2);
    expect(moved).toEqual({ type: "Polygon", coordinates: [[[5, -2], [15, -2], [5, 8], [5, -2]]] });
    expect(bounds(moved)).toEqual({ minX: 5, minY: -2, maxX: 15, maxY: 8 });
  });

  it("moving the first vertex keeps the ring closed", () => {
    const f = makeFeature("polygon", [[0, 0], [10, 0], [0, 10]], tumour, "l");
    const edited = moveVertex(f.geometry, 0, [-3, -4]);
    expect(edited.coordinates).toEqual([[[-3, -4], [10, 0], [0, 10], [-3, -4]]]);
    expect(vertices(edited)).toHaveLength(3);
  });

  it("a rectangle stays a rectangle when a corner is dragged", () => {
    const f = makeFeature("rectangle", [[0, 0], [10, 10]], tumour, "l");
    const edited = moveVertex(f.geometry, 2, [20, 30], "rectangle");
    expect(edited.coordinates).toEqual([[[0, 0], [20, 0], [20, 30], [0, 30], [0, 0]]]);
  });

  it("draws paths in slide pixels", () => {
    const f = makeFeature("polygon", [[0, 0], [10, 0], [0, 10]], tumour, "l");
    expect(pathData(f.geometry)).toBe("M0 0L10 0L0 10L0 0Z");
  });
});

describe("parseImport", () => {
  it("reads a QuPath export with both colour spellings and drops the author", () => {
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [
        {
          type: "Feature", id: "a",
          geometry: { type: "Polygon", coordinates: [[[0, 0], [5, 0], [5, 5], [0, 0]]] },
          properties: { objectType: "annotation", classification: { name: "Tumor", colorRGB: -3670016 }, author: "mallory" },
        },
        {
          type: "Feature",
          geometry: { type: "MultiPoint", coordinates: [[1, 2], [3, 4]] },
          properties: { classification: { name: "면역세포", color: [160, 90, 160] } },
        },
      ],
    });
    const features = parseImport(text);
    expect(features).toHaveLength(2);
    expect(features[0].properties.classification).toEqual({ name: "Tumor", color: [200, 0, 0] });
    expect(features[0].properties.author).toBeUndefined();
    expect(features[1].properties.classification?.name).toBe("면역세포");
    expect(features[1].properties.objectType).toBe("annotation");
  });

  it("accepts a single Feature or an array, refuses anything else with the reason", () => {
    const feature = { type: "Feature", geometry: { type: "Point", coordinates: [1, 1] }, properties: {} };
    expect(parseImport(JSON.stringify(feature))).toHaveLength(1);
    expect(parseImport(JSON.stringify([feature, feature]))).toHaveLength(2);
    expect(() => parseImport("{")).toThrow(/not JSON/);
    expect(() => parseImport(JSON.stringify({ type: "Topology" }))).toThrow(/FeatureCollection/);
    expect(() => parseImport(JSON.stringify([{ type: "Feature" }]))).toThrow(/feature 0/);
  });

  it("converts colours", () => {
    expect(normaliseColor(0x00ff8000)).toEqual([255, 128, 0]);
    expect(hexToRgb("#c80000")).toEqual([200, 0, 0]);
    expect(rgbToHex([200, 0, 0])).toBe("#c80000");
  });
});
