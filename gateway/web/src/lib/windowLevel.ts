// Window/level (center/width) as radiology viewers use it, for count images rendered by the server.

export interface Window {
  center: number;
  width: number;
}

/** The grey level (0..255) a stored value gets under a window: linear ramp, clamped (DICOM PS3.3 C.11.2.1.2, simplified). */
export function greyLevel(value: number, window: Window): number {
  const low = window.center - window.width / 2;
  const t = (value - low) / Math.max(window.width, 1e-9);
  return Math.round(Math.min(1, Math.max(0, t)) * 255);
}

/**
 * A mouse drag changes the window the usual way: right widens, down raises the center. Sensitivity follows the
 * data's range so the same drag works on 8-bit and 16-bit counts.
 */
export function dragWindow(start: Window, dx: number, dy: number, range: { min: number; max: number }): Window {
  const span = Math.max(range.max - range.min, 1);
  const perPixel = span / 512;
  return clampWindow({ center: start.center + dy * perPixel, width: start.width + dx * perPixel }, range);
}

/** Width at least 1 and center within a generous margin around the data. */
export function clampWindow(window: Window, range: { min: number; max: number }): Window {
  const span = Math.max(range.max - range.min, 1);
  const width = Math.min(Math.max(1, window.width), span * 4);
  const center = Math.min(Math.max(window.center, range.min - span), range.max + span);
  return { center: Math.round(center * 100) / 100, width: Math.round(width * 100) / 100 };
}

/** The window that shows min..max in full. */
export function fullRangeWindow(range: { min: number; max: number }): Window {
  return { center: (range.min + range.max) / 2, width: Math.max(range.max - range.min, 1) };
}
