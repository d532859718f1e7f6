// The map from slide pixels (level 0) to screen pixels is affine (zoom, pan, rotation). It is read off the viewer
// at three points and inverted here, so drawing and display use exactly the same transform.

export type Point = [number, number];

/** x' = a x + c y + e, y' = b x + d y + f (SVG's matrix(a b c d e f)). */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** From the images of (0,0), (1,0) and (0,1). */
export function affineFromPoints(origin: Point, unitX: Point, unitY: Point): Affine {
  return {
    a: unitX[0] - origin[0],
    b: unitX[1] - origin[1],
    c: unitY[0] - origin[0],
    d: unitY[1] - origin[1],
    e: origin[0],
    f: origin[1],
  };
}

export function apply(m: Affine, [x, y]: Point): Point {
  return [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
}

export function invert(m: Affine): Affine {
  const det = m.a * m.d - m.b * m.c;
  if (Math.abs(det) < 1e-300) throw new Error("transform cannot be inverted (zero scale)");
  return {
    a: m.d / det,
    b: -m.b / det,
    c: -m.c / det,
    d: m.a / det,
    e: (m.c * m.f - m.d * m.e) / det,
    f: (m.b * m.e - m.a * m.f) / det,
  };
}

/** Screen pixels per slide pixel (the same in every direction for zoom + rotation). */
export function scaleOf(m: Affine): number {
  return Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
}

export function toSvgMatrix(m: Affine): string {
  return `matrix(${m.a} ${m.b} ${m.c} ${m.d} ${m.e} ${m.f})`;
}

/** Drops points closer than minDistance to the previous kept one (freehand traces and double clicks). */
export function thinPath(points: Point[], minDistance: number): Point[] {
  const kept: Point[] = [];
  for (const p of points) {
    const last = kept[kept.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= minDistance) kept.push(p);
  }
  return kept;
}
