import { h } from "../dom";
import { chooseScaleBar } from "../lib/scaleBar";

/** A bar of a round length in micrometres, redrawn as the zoom changes. */
export class ScaleBarControl {
  readonly element: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly label: HTMLElement;

  constructor(private readonly micronsPerSlidePixel: number | null) {
    this.bar = h("div", { className: "scale-bar-line" });
    this.label = h("span", { className: "scale-bar-label" });
    this.element = h("div", { className: "scale-bar", role: "img", "aria-label": "Scale bar" }, this.bar, this.label);
    if (!micronsPerSlidePixel) this.label.textContent = "no pixel size";
  }

  update(screenPixelsPerSlidePixel: number): void {
    if (!this.micronsPerSlidePixel || !(screenPixelsPerSlidePixel > 0)) return;
    const bar = chooseScaleBar(this.micronsPerSlidePixel / screenPixelsPerSlidePixel);
    if (!bar) return;
    this.bar.style.width = `${bar.pixels.toFixed(1)}px`;
    this.label.textContent = bar.label;
    this.element.setAttribute("aria-label", `Scale bar ${bar.label}`);
    this.element.dataset.micrometres = String(bar.micrometres);
    this.element.dataset.pixels = bar.pixels.toFixed(2);
  }
}
