import { describe, expect, it } from "vitest";
import { accepted, proposedOf, summarise } from "../src/lib/aiLayer";
import type { Feature } from "../src/lib/geojson";

const feature = (id: string, layer: string | undefined, status?: string): Feature => ({
  type: "Feature", id,
  geometry: { type: "Polygon", coordinates: [[[0, 0], [10, 0], [10, 10], [0, 0]]] },
  properties: { layer, status, probability: 0.8, model: "he-tumour-seg", jobId: "j" },
});

describe("AI layer", () => {
  const features = [feature("1", "AI", "proposed"), feature("2", "AI", "accepted"), feature("3", "AI", "proposed"), feature("4", "default"), feature("5", undefined, "proposed")];

  it("counts the layer's proposed and accepted annotations, not other layers'", () => {
    expect(summarise(features)).toEqual({ total: 3, proposed: 2, accepted: 1 });
    expect(summarise(features, "other")).toEqual({ total: 0, proposed: 0, accepted: 0 });
  });

  it("accept changes the status only and leaves the original alone", () => {
    const before = features[0];
    const after = accepted(before);
    expect(after.properties).toMatchObject({ status: "accepted", probability: 0.8, model: "he-tumour-seg", jobId: "j", layer: "AI" });
    expect(after.geometry).toBe(before.geometry);
    expect(before.properties.status).toBe("proposed");
  });

  it("Accept all takes the proposed ones of the layer", () => {
    expect(proposedOf(features).map((f) => f.id)).toEqual(["1", "3"]);
  });
});
