// Annotation classes (QuPath's defaults plus the user's own, e.g. Korean labels), kept in the browser.
import type { Classification, Feature } from "../lib/geojson";

const StorageKey = "halflife.classes";

export const DefaultClasses: Classification[] = [
  { name: "Tumor", color: [200, 0, 0] },
  { name: "Stroma", color: [150, 200, 150] },
  { name: "Immune cells", color: [160, 90, 160] },
  { name: "Necrosis", color: [50, 50, 50] },
  { name: "Other", color: [255, 200, 0] },
  { name: "Region*", color: [0, 0, 180] },
  { name: "Ignore*", color: [180, 180, 180] },
];

export function loadClasses(): Classification[] {
  try {
    const saved = JSON.parse(localStorage.getItem(StorageKey) ?? "null");
    if (Array.isArray(saved) && saved.length > 0) return saved as Classification[];
  } catch {
    /* fall back to the defaults */
  }
  return DefaultClasses.map((c) => ({ ...c }));
}

export function saveClasses(classes: Classification[]): void {
  localStorage.setItem(StorageKey, JSON.stringify(classes));
}

/** Classes that annotations on the slide use but the list lacks (from another user or an import) join the list. */
export function mergeClasses(classes: Classification[], features: Feature[]): Classification[] {
  const merged = [...classes];
  for (const f of features) {
    const c = f.properties.classification;
    if (c?.name && !merged.some((m) => m.name === c.name)) merged.push({ name: c.name, color: c.color });
  }
  return merged;
}
