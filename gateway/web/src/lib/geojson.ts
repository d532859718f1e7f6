// Annotations as QuPath writes them ("Export objects as GeoJSON"): one Feature per object, coordinates in level-0
// slide pixels (x right, y down), properties.objectType "annotation", properties.classification {name, color: [r,g,b]}.
import type { Point } from "./affine";

export type Position = number[];

export type Geometry =
  | { type: "Point"; coordinates: Position }
  | { type: "MultiPoint"; coordinates: Position[] }
  | { type: "LineString"; coordinates: Position[] }
  | { type: "MultiLineString"; coordinates: Position[][] }
  | { type: "Polygon"; coordinates: Position[][] }
  | { type: "MultiPolygon"; coordinates: Position[][][] };

export interface Classification {
  name: string;
  color: [number, number, number];
}

export interface AnnotationProperties {
  objectType?: string;
  classification?: Classification;
  name?: string;
  layer?: string;
  author?: string;
  /** Which tool drew it, so a rectangle is edited as a rectangle; QuPath ignores unknown properties. */
  tool?: Tool;
  [key: string]: unknown;
}

export interface Feature {
  type: "Feature";
  id?: string;
  geometry: Geometry;
  properties: AnnotationProperties;
}

export interface FeatureCollection {
  type: "FeatureCollection";
  features: Feature[];
}

export type Tool = "rectangle" | "polygon" | "freehand" | "point";

/** A closed ring (first position repeated at the end), as GeoJSON and the server require. */
export function closeRing(points: Point[]): Position[] {
  if (points.length < 3) throw new Error("a polygon needs at least 3 distinct points");
  const ring = points.map(([x, y]) => [round(x), round(y)]);
  const [fx, fy] = ring[0];
  const [lx, ly] = ring[ring.length - 1];
  if (fx !== lx || fy !== ly) ring.push([fx, fy]);
  return ring;
}

export function rectangleRing(a: Point, b: Point): Position[] {
  const x0 = Math.min(a[0], b[0]);
  const x1 = Math.max(a[0], b[0]);
  const y0 = Math.min(a[1], b[1]);
  const y1 = Math.max(a[1], b[1]);
  return closeRing([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);
}

/** A new annotation as the viewer sends it to the server. */
export function makeFeature(tool: Tool, points: Point[], classification: Classification | undefined, layer: string): Feature {
  let geometry: Geometry;
  switch (tool) {
    case "point":
      geometry = { type: "Point", coordinates: [round(points[0][0]), round(points[0][1])] };
      break;
    case "rectangle":
      geometry = { type: "Polygon", coordinates: [rectangleRing(points[0], points[points.length - 1])] };
      break;
    default:
      geometry = { type: "Polygon", coordinates: [closeRing(points)] };
  }
  const properties: AnnotationProperties = { objectType: "annotation", tool, layer };
  if (classification) properties.classification = { name: classification.name, color: [...classification.color] };
  return { type: "Feature", geometry, properties };
}

/** Moves every position of a geometry by (dx, dy), keeping it a valid geometry of the same type. */
export function translate(geometry: Geometry, dx: number, dy: number): Geometry {
  const move = (p: Position): Position => [round(p[0] + dx), round(p[1] + dy), ...p.slice(2)];
  switch (geometry.type) {
    case "Point":
      return { type: "Point", coordinates: move(geometry.coordinates) };
    case "MultiPoint":
    case "LineString":
      return { type: geometry.type, coordinates: geometry.coordinates.map(move) };
    case "MultiLineString":
    case "Polygon":
      return { type: geometry.type, coordinates: geometry.coordinates.map((r) => r.map(move)) };
    case "MultiPolygon":
      return { type: "MultiPolygon", coordinates: geometry.coordinates.map((poly) => poly.map((r) => r.map(move))) };
  }
}

/**
 * Moves one vertex of a polygon's outer ring. The ring's closing position follows its first; a rectangle stays a
 * rectangle (the opposite corner is kept and the two neighbours follow).
 */
export function moveVertex(geometry: Geometry, index: number, to: Point, tool?: Tool): Geometry {
  if (geometry.type === "Point") return { type: "Point", coordinates: [round(to[0]), round(to[1])] };
  if (geometry.type !== "Polygon") throw new Error(`vertices of a ${geometry.type} cannot be edited here`);
  const outer = geometry.coordinates[0];
  const open = outer.slice(0, -1).map((p) => [p[0], p[1]] as Point);
  if (index < 0 || index >= open.length) throw new RangeError(`vertex ${index} is not on the ring`);
  if (tool === "rectangle" && open.length === 4) {
    const opposite = open[(index + 2) % 4];
    return { type: "Polygon", coordinates: [rectangleRing(opposite, to), ...geometry.coordinates.slice(1)] };
  }
  open[index] = to;
  return { type: "Polygon", coordinates: [closeRing(open), ...geometry.coordinates.slice(1)] };
}

/** The editable vertices (outer ring without its closing repeat, or the point). */
export function vertices(geometry: Geometry): Point[] {
  if (geometry.type === "Point") return [[geometry.coordinates[0], geometry.coordinates[1]]];
  if (geometry.type === "Polygon") return geometry.coordinates[0].slice(0, -1).map((p) => [p[0], p[1]] as Point);
  return [];
}

/** SVG path data in slide pixels; points are drawn separately as markers. */
export function pathData(geometry: Geometry): string {
  const line = (ps: Position[], close: boolean) =>
    ps.length === 0 ? "" : `M${ps.map((p) => `${p[0]} ${p[1]}`).join("L")}${close ? "Z" : ""}`;
  switch (geometry.type) {
    case "Point":
    case "MultiPoint":
      return "";
    case "LineString":
      return line(geometry.coordinates, false);
    case "MultiLineString":
      return geometry.coordinates.map((l) => line(l, false)).join("");
    case "Polygon":
      return geometry.coordinates.map((r) => line(r, true)).join("");
    case "MultiPolygon":
      return geometry.coordinates.map((poly) => poly.map((r) => line(r, true)).join("")).join("");
  }
}

export function pointsOf(geometry: Geometry): Point[] {
  if (geometry.type === "Point") return [[geometry.coordinates[0], geometry.coordinates[1]]];
  if (geometry.type === "MultiPoint") return geometry.coordinates.map((p) => [p[0], p[1]] as Point);
  return [];
}

/** Every position of a geometry (for bounds checks and tests). */
export function allPositions(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case "Point":
      return [geometry.coordinates];
    case "MultiPoint":
    case "LineString":
      return geometry.coordinates;
    case "MultiLineString":
    case "Polygon":
      return geometry.coordinates.flat();
    case "MultiPolygon":
      return geometry.coordinates.flat(2);
  }
}

export function bounds(geometry: Geometry): { minX: number; minY: number; maxX: number; maxY: number } {
  const ps = allPositions(geometry);
  return {
    minX: Math.min(...ps.map((p) => p[0])),
    minY: Math.min(...ps.map((p) => p[1])),
    maxX: Math.max(...ps.map((p) => p[0])),
    maxY: Math.max(...ps.map((p) => p[1])),
  };
}

/**
 * Reads what QuPath (or anyone) exported: a FeatureCollection, a single Feature or an array of Features. QuPath
 * versions differ in how they write colours (classification.color [r,g,b] or an older packed colorRGB integer);
 * both become [r,g,b]. Anything else is refused with the reason.
 */
export function parseImport(text: string): Feature[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(json)
    ? json
    : isObject(json) && json.type === "FeatureCollection" && Array.isArray(json.features)
      ? json.features
      : isObject(json) && json.type === "Feature"
        ? [json]
        : null;
  if (!list) throw new Error("expected a GeoJSON FeatureCollection, a Feature or an array of Features");
  return list.map((f, i) => normaliseFeature(f, i));
}

function normaliseFeature(value: unknown, index: number): Feature {
  if (!isObject(value) || value.type !== "Feature" || !isObject(value.geometry))
    throw new Error(`feature ${index}: not a GeoJSON Feature with a geometry`);
  const properties: AnnotationProperties = isObject(value.properties) ? { ...(value.properties as AnnotationProperties) } : {};
  const c = properties.classification as unknown;
  if (isObject(c)) {
    const color = normaliseColor(c.color ?? c.colorRGB);
    properties.classification = { name: String(c.name ?? ""), color };
  }
  delete properties.author; // the server decides who the author is
  properties.objectType ??= "annotation";
  const feature: Feature = { type: "Feature", geometry: value.geometry as Geometry, properties };
  return feature;
}

export function normaliseColor(value: unknown): [number, number, number] {
  if (Array.isArray(value) && value.length >= 3) return [clampByte(value[0]), clampByte(value[1]), clampByte(value[2])];
  if (typeof value === "number") return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  return [255, 200, 0];
}

export function cssColor([r, g, b]: [number, number, number]): string {
  return `rgb(${r}, ${g}, ${b})`;
}

export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a colour: ${hex}`);
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function rgbToHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

function clampByte(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(255, Math.max(0, Math.round(n))) : 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Slide coordinates are kept to 1/100 pixel: finer is noise, and it keeps exported files small. */
function round(v: number): number {
  return Math.round(v * 100) / 100;
}
