// Annotations drawn over OpenSeadragon in one SVG layer. Shapes live in slide pixels inside a group whose transform
// is the viewer's current slide-to-screen map, so zoom, pan and rotation move them with the tissue for free.
import OpenSeadragon from "openseadragon";
import { svg } from "../dom";
import { affineFromPoints, apply, invert, scaleOf, thinPath, toSvgMatrix, type Affine, type Point } from "../lib/affine";
import {
  cssColor, makeFeature, moveVertex, pathData, pointsOf, translate, vertices, type Classification, type Feature, type Tool,
} from "../lib/geojson";

export type Mode = "pan" | "select" | Tool;

export interface OverlayHost {
  currentClass(): Classification | undefined;
  drawingLayer(): string;
  isVisible(feature: Feature): boolean;
  create(feature: Feature): Promise<Feature>;
  update(feature: Feature): Promise<Feature>;
  remove(feature: Feature): Promise<void>;
  selectionChanged(feature: Feature | null): void;
  report(text: string, error?: boolean): void;
}

const DefaultColor: [number, number, number] = [255, 200, 0];
const CloseDistancePx = 10;

export class AnnotationOverlay {
  readonly element: SVGSVGElement;
  private readonly shapes: SVGGElement;
  private readonly draft: SVGGElement;
  private readonly features = new Map<string, Feature>();
  private transform: Affine = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };
  private mode: Mode = "pan";
  private selectedId: string | null = null;
  private drawing: Point[] = [];
  private drawingActive = false;
  private cursor: Point | null = null;

  constructor(
    private readonly viewer: OpenSeadragon.Viewer,
    private readonly host: OverlayHost,
  ) {
    this.element = svg("svg", { class: "annotation-layer mode-pan", "aria-label": "Annotation layer", role: "group" });
    this.shapes = svg("g");
    this.draft = svg("g", { class: "draft" });
    this.element.append(this.shapes, this.draft);
    viewer.canvas.appendChild(this.element);
    for (const event of ["animation", "animation-finish", "update-viewport", "resize", "rotate", "open"] as const)
      viewer.addHandler(event, () => this.syncTransform());
    this.syncTransform();
    this.element.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    this.element.addEventListener("pointermove", (e) => this.onPointerMove(e));
    this.element.addEventListener("pointerup", (e) => this.onPointerUp(e));
    this.element.addEventListener("dblclick", (e) => {
      if (this.mode === "polygon") {
        e.preventDefault();
        void this.finishPolygon();
      }
    });
  }

  setMode(mode: Mode): void {
    this.cancelDrawing();
    this.mode = mode;
    this.element.setAttribute("class", `annotation-layer mode-${mode === "pan" || mode === "select" ? mode : "draw"}`);
    // Drawing tools own the mouse; in pan and select mode OpenSeadragon pans and zooms as usual.
    this.viewer.setMouseNavEnabled(mode === "pan" || mode === "select");
    if (mode !== "select") this.select(null);
  }

  getMode(): Mode {
    return this.mode;
  }

  setFeatures(features: Feature[]): void {
    this.features.clear();
    for (const f of features) if (f.id) this.features.set(f.id, f);
    if (this.selectedId && !this.features.has(this.selectedId)) this.select(null);
    this.render();
  }

  all(): Feature[] {
    return [...this.features.values()];
  }

  selected(): Feature | null {
    return this.selectedId ? (this.features.get(this.selectedId) ?? null) : null;
  }

  async deleteSelected(): Promise<void> {
    const feature = this.selected();
    if (!feature) return;
    await this.host.remove(feature);
    this.features.delete(feature.id!);
    this.select(null);
    this.render();
  }

  async replaceSelected(change: (f: Feature) => Feature): Promise<void> {
    const feature = this.selected();
    if (feature) await this.save(feature, change(structuredClone(feature)));
  }

  /** Enter finishes a polygon, Escape cancels a drawing, Backspace takes back the last vertex. */
  handleKey(event: KeyboardEvent): boolean {
    if (this.mode === "polygon" && event.key === "Enter") {
      void this.finishPolygon();
      return true;
    }
    if (event.key === "Escape" && this.drawing.length > 0) {
      this.cancelDrawing();
      return true;
    }
    if (this.mode === "polygon" && event.key === "Backspace" && this.drawing.length > 0) {
      this.drawing.pop();
      this.renderDraft();
      return true;
    }
    return false;
  }

  /** Screen pixels per slide pixel right now. */
  scale(): number {
    return scaleOf(this.transform);
  }

  private syncTransform(): void {
    const item = this.viewer.world.getItemAt(0);
    if (!item) return;
    const size = item.getContentSize();
    const at = (x: number, y: number): Point => {
      // The slide's own conversion: the viewport's logs an error per call once a second image (an AI overlay) is open.
      const p = item.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
      return [p.x, p.y];
    };
    // Sample across the whole slide and divide: better precision than a one-pixel step at gigapixel offsets.
    const o = at(0, 0);
    const ux = at(size.x, 0);
    const uy = at(0, size.y);
    this.transform = affineFromPoints(o, [o[0] + (ux[0] - o[0]) / size.x, o[1] + (ux[1] - o[1]) / size.x], [
      o[0] + (uy[0] - o[0]) / size.y,
      o[1] + (uy[1] - o[1]) / size.y,
    ]);
    const matrix = toSvgMatrix(this.transform);
    this.shapes.setAttribute("transform", matrix);
    this.draft.setAttribute("transform", matrix);
    this.resizeMarkers();
  }

  /** Markers and handles keep their size on screen whatever the zoom. */
  private resizeMarkers(): void {
    const s = this.scale() || 1;
    for (const el of this.element.querySelectorAll<SVGCircleElement>("circle[data-r]"))
      el.setAttribute("r", String(Number(el.dataset.r) / s));
  }

  private toSlide(event: PointerEvent | MouseEvent): Point {
    const box = this.element.getBoundingClientRect();
    return apply(invert(this.transform), [event.clientX - box.left, event.clientY - box.top]);
  }

  private render(): void {
    this.shapes.replaceChildren();
    for (const feature of this.features.values()) {
      if (!this.host.isVisible(feature)) continue;
      const color = cssColor(feature.properties.classification?.color ?? DefaultColor);
      const selected = feature.id === this.selectedId;
      const label = `Annotation ${feature.properties.classification?.name ?? "unclassified"} (${feature.geometry.type})`;
      const group = svg("g", { "data-annotation-id": feature.id!, "aria-label": label, role: "img", class: selected ? "selected" : "" });
      // AI proposals are drawn dashed until a pathologist accepts them.
      if (typeof feature.properties.status === "string") group.setAttribute("data-status", feature.properties.status);
      const d = pathData(feature.geometry);
      if (d) group.append(svg("path", { d, stroke: color, fill: color, class: "shape", "vector-effect": "non-scaling-stroke" }));
      for (const [x, y] of pointsOf(feature.geometry))
        group.append(svg("circle", { cx: x, cy: y, r: 6, "data-r": 6, stroke: "white", fill: color, class: "shape point" }));
      if (selected)
        vertices(feature.geometry).forEach(([x, y], i) =>
          group.append(svg("circle", { cx: x, cy: y, r: 5, "data-r": 5, "data-vertex": i, class: "handle", "vector-effect": "non-scaling-stroke" })),
        );
      group.addEventListener("pointerdown", (e) => this.onShapePointerDown(e, feature));
      this.shapes.append(group);
    }
    this.resizeMarkers();
  }

  private renderDraft(): void {
    this.draft.replaceChildren();
    const pts = this.cursor && this.mode === "polygon" ? [...this.drawing, this.cursor] : this.drawing;
    if (pts.length === 0) return;
    const color = cssColor(this.host.currentClass()?.color ?? DefaultColor);
    let d: string;
    if (this.mode === "rectangle" && pts.length >= 2) {
      const [a, b] = [pts[0], pts[pts.length - 1]];
      d = `M${a[0]} ${a[1]}L${b[0]} ${a[1]}L${b[0]} ${b[1]}L${a[0]} ${b[1]}Z`;
    } else d = `M${pts.map((p) => `${p[0]} ${p[1]}`).join("L")}`;
    this.draft.append(svg("path", { d, stroke: color, fill: "none", "vector-effect": "non-scaling-stroke", "stroke-dasharray": "6 4" }));
    for (const [x, y] of this.drawing) this.draft.append(svg("circle", { cx: x, cy: y, r: 4, "data-r": 4, fill: color }));
    this.resizeMarkers();
  }

  private select(feature: Feature | null): void {
    const id = feature?.id ?? null;
    if (id === this.selectedId) return;
    this.selectedId = id;
    this.host.selectionChanged(feature);
    this.render();
  }

  private onShapePointerDown(event: PointerEvent, feature: Feature): void {
    if (this.mode !== "select") return;
    // Keep OpenSeadragon from panning while a shape is dragged.
    event.stopPropagation();
    event.preventDefault();
    this.select(feature);
    const vertex = (event.target as Element).getAttribute("data-vertex");
    const start = this.toSlide(event);
    const original = structuredClone(feature);
    let changed: Feature | null = null;
    const move = (e: PointerEvent) => {
      const now = this.toSlide(e);
      const next = structuredClone(original);
      next.geometry =
        vertex !== null
          ? moveVertex(original.geometry, Number(vertex), now, original.properties.tool)
          : translate(original.geometry, now[0] - start[0], now[1] - start[1]);
      changed = next;
      this.features.set(feature.id!, next);
      this.render();
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      if (changed) void this.save(original, changed);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  private async save(before: Feature, after: Feature): Promise<void> {
    try {
      const stored = await this.host.update(after);
      this.features.set(stored.id!, stored);
      this.host.report("Annotation saved.");
    } catch (e) {
      this.features.set(before.id!, before);
      this.host.report(`Not saved: ${(e as Error).message}`, true);
    }
    this.render();
  }

  private onPointerDown(event: PointerEvent): void {
    if (this.mode === "pan" || this.mode === "select" || event.button !== 0) return;
    event.preventDefault();
    const p = this.toSlide(event);
    if (this.mode === "point") {
      void this.create("point", [p]);
    } else if (this.mode === "polygon") {
      const first = this.drawing[0];
      if (first && this.drawing.length >= 3 && this.screenDistance(first, p) <= CloseDistancePx) void this.finishPolygon();
      else if (!this.drawing.length || this.screenDistance(this.drawing[this.drawing.length - 1], p) > 2) this.drawing.push(p);
      this.renderDraft();
    } else {
      this.element.setPointerCapture(event.pointerId);
      this.drawingActive = true;
      this.drawing = [p];
      this.renderDraft();
    }
  }

  private onPointerMove(event: PointerEvent): void {
    if (this.mode === "polygon" && this.drawing.length > 0) {
      this.cursor = this.toSlide(event);
      this.renderDraft();
      return;
    }
    if (!this.drawingActive) return;
    const p = this.toSlide(event);
    if (this.mode === "rectangle") this.drawing = [this.drawing[0], p];
    else if (this.mode === "freehand") this.drawing.push(p);
    this.renderDraft();
  }

  private onPointerUp(event: PointerEvent): void {
    if (!this.drawingActive) return;
    this.drawingActive = false;
    this.element.releasePointerCapture(event.pointerId);
    const minStep = 2 / (this.scale() || 1);
    const points = this.mode === "freehand" ? thinPath(this.drawing, minStep) : this.drawing;
    const tool = this.mode as Tool;
    this.drawing = [];
    this.renderDraft();
    if (tool === "rectangle" && points.length === 2 && this.screenDistance(points[0], points[1]) > 3) void this.create(tool, points);
    else if (tool === "freehand" && points.length >= 3) void this.create(tool, points);
  }

  private async finishPolygon(): Promise<void> {
    const points = thinPath(this.drawing, 2 / (this.scale() || 1));
    this.drawing = [];
    this.cursor = null;
    this.renderDraft();
    if (points.length < 3) {
      this.host.report("A polygon needs at least three points.", true);
      return;
    }
    await this.create("polygon", points);
  }

  private async create(tool: Tool, points: Point[]): Promise<void> {
    // A stroke that runs past the tissue's edge is cut at the slide's border (the server refuses outside positions).
    const size = this.viewer.world.getItemAt(0)?.getContentSize();
    if (size) points = points.map(([x, y]) => [Math.min(size.x, Math.max(0, x)), Math.min(size.y, Math.max(0, y))]);
    try {
      const stored = await this.host.create(makeFeature(tool, points, this.host.currentClass(), this.host.drawingLayer()));
      this.features.set(stored.id!, stored);
      this.render();
      this.host.report(`${tool[0].toUpperCase()}${tool.slice(1)} saved.`);
    } catch (e) {
      this.host.report(`Not saved: ${(e as Error).message}`, true);
    }
  }

  private cancelDrawing(): void {
    this.drawing = [];
    this.cursor = null;
    this.drawingActive = false;
    this.renderDraft();
  }

  private screenDistance(a: Point, b: Point): number {
    const [ax, ay] = apply(this.transform, a);
    const [bx, by] = apply(this.transform, b);
    return Math.hypot(ax - bx, ay - by);
  }
}
