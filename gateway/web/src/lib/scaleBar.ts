// A scale bar in micrometres: the longest "nice" length (1, 2, 5 x 10^n) that fits the space on screen.

export interface ScaleBar {
  micrometres: number;
  pixels: number;
  label: string;
}

/**
 * @param micronsPerScreenPixel how many micrometres one screen pixel covers at the current zoom
 * @param maxPixels the widest the bar may be
 */
export function chooseScaleBar(micronsPerScreenPixel: number, maxPixels = 150): ScaleBar | null {
  if (!(micronsPerScreenPixel > 0) || !Number.isFinite(micronsPerScreenPixel)) return null;
  const maxMicrons = micronsPerScreenPixel * maxPixels;
  const magnitude = Math.pow(10, Math.floor(Math.log10(maxMicrons)));
  let micrometres = magnitude;
  for (const step of [5, 2, 1]) {
    if (step * magnitude <= maxMicrons) {
      micrometres = step * magnitude;
      break;
    }
  }
  return { micrometres, pixels: micrometres / micronsPerScreenPixel, label: formatLength(micrometres) };
}

export function formatLength(micrometres: number): string {
  if (micrometres >= 1000) return `${trim(micrometres / 1000)} mm`;
  if (micrometres < 1) return `${trim(micrometres * 1000)} nm`;
  return `${trim(micrometres)} µm`;
}

function trim(value: number): string {
  return String(Number(value.toPrecision(6)));
}
