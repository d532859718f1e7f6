// One zoom/pan state shared by the side-by-side panels, so the same anatomy stays under the cursor in all of them.

export interface PanZoom {
  scale: number;
  x: number; // translation in panel pixels
  y: number;
}

export const Identity: PanZoom = { scale: 1, x: 0, y: 0 };
const MinScale = 0.5;
const MaxScale = 16;

/** Zooms by factor about the point (cx, cy) of the panel: that point shows the same pixel before and after. */
export function zoomAt(state: PanZoom, factor: number, cx: number, cy: number): PanZoom {
  const scale = Math.min(MaxScale, Math.max(MinScale, state.scale * factor));
  const k = scale / state.scale;
  return { scale, x: cx - (cx - state.x) * k, y: cy - (cy - state.y) * k };
}

export function panBy(state: PanZoom, dx: number, dy: number): PanZoom {
  return { ...state, x: state.x + dx, y: state.y + dy };
}

export function cssTransform(state: PanZoom): string {
  return `translate(${state.x}px, ${state.y}px) scale(${state.scale})`;
}
