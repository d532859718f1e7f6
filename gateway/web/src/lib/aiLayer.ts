// The "AI" annotation layer a segmentation job leaves on the slide: contours with properties.status "proposed" until
// a pathologist accepts them ("accepted"); editing and deleting use the ordinary annotation tools.
import type { Feature } from "./geojson";

export type AiStatus = "proposed" | "accepted";

export interface AiLayerSummary {
  total: number;
  proposed: number;
  accepted: number;
}

export function isAiFeature(feature: Feature, layer = "AI"): boolean {
  return (feature.properties.layer ?? "default") === layer;
}

export function aiStatus(feature: Feature): AiStatus | null {
  const s = feature.properties.status;
  return s === "proposed" || s === "accepted" ? s : null;
}

export function summarise(features: readonly Feature[], layer = "AI"): AiLayerSummary {
  const ai = features.filter((f) => isAiFeature(f, layer));
  return {
    total: ai.length,
    proposed: ai.filter((f) => aiStatus(f) === "proposed").length,
    accepted: ai.filter((f) => aiStatus(f) === "accepted").length,
  };
}

/** The feature as accepted: same geometry and provenance (model, job, probability), status changed only. */
export function accepted(feature: Feature): Feature {
  return { ...feature, properties: { ...feature.properties, status: "accepted" } };
}

/** Proposed features of the layer, the ones "Accept all" changes. */
export function proposedOf(features: readonly Feature[], layer = "AI"): Feature[] {
  return features.filter((f) => isAiFeature(f, layer) && aiStatus(f) === "proposed");
}
