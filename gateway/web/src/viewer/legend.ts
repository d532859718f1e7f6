// The legend of a segmentation overlay: one row per class with the colour the server paints it in. Names come from
// the model card, so any script (Korean included) must show as written.
import { h } from "../dom";
import type { SegmentationClass } from "../lib/segmentationJob";

export interface LegendRow {
  index: number;
  name: string;
  color: string;
}

const Hex = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const Fallback = "#808080";

/** Classes in output order; a colour that is not #rgb/#rrggbb becomes grey (never a CSS injection), names NFC. */
export function legendRows(classes: readonly SegmentationClass[]): LegendRow[] {
  return [...classes]
    .sort((a, b) => a.index - b.index)
    .map((c) => ({
      index: c.index,
      name: c.name.normalize("NFC").trim() || `class ${c.index}`,
      color: Hex.test(c.color) ? c.color.toLowerCase() : Fallback,
    }));
}

export function renderLegend(container: HTMLElement, classes: readonly SegmentationClass[]): void {
  const rows = legendRows(classes);
  container.replaceChildren(
    rows.length === 0
      ? h("p", { className: "muted" }, "No classes.")
      : h("ul", { className: "legend", "aria-label": "Legend" },
          ...rows.map((r) =>
            h("li", { "data-class-index": r.index, "data-color": r.color },
              h("span", { className: "swatch", style: `background: ${r.color}`, "aria-hidden": "true" }),
              h("span", { className: "legend-name", lang: "" }, r.name)),
          )),
  );
}
