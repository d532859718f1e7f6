// The slide viewer: OpenSeadragon with navigator, zoom/rotation buttons and a scale bar, the annotation overlay, its
// tools, classes and per-user layers, and GeoJSON export/import through the Slides API.
import OpenSeadragon from "openseadragon";
import { apiFetch, authHeaders, currentUser, getJson, problemText, sendJson } from "../api";
import { clear, h, status } from "../dom";
import { parseDzi, tileSourceFor } from "../lib/dzi";
import { hexToRgb, parseImport, rgbToHex, type Classification, type Feature, type FeatureCollection } from "../lib/geojson";
import type { SlideDetails } from "../upload";
import { loadClasses, mergeClasses, saveClasses } from "../viewer/classes";
import { AnnotationOverlay, type Mode } from "../viewer/overlay";
import { ScaleBarControl } from "../viewer/scaleBarControl";
import { SegmentationPanel } from "../viewer/segmentation";

const Tools: { mode: Mode; label: string }[] = [
  { mode: "pan", label: "Pan" },
  { mode: "select", label: "Select" },
  { mode: "rectangle", label: "Rectangle" },
  { mode: "polygon", label: "Polygon" },
  { mode: "freehand", label: "Freehand" },
  { mode: "point", label: "Point" },
];

export function viewerPage(slideId: string): { element: HTMLElement; dispose(): void } {
  const message = h("div", { className: "viewer-message", "aria-live": "polite" });
  const report = (text: string, error = false) => message.replaceChildren(status(text, error ? "error" : "info"));
  const title = h("h1", { id: "slide-title" }, "Loading…");
  const canvas = h("div", { className: "osd", id: "osd", "aria-label": "Slide viewer", role: "application" });
  const side = h("aside", { className: "viewer-side", "aria-label": "Annotation tools" });
  const element = h("main", { className: "page-viewer" }, h("header", { className: "viewer-head" }, title, message), h("div", { className: "viewer-body" }, canvas, side));
  let viewer: OpenSeadragon.Viewer | null = null;
  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest("input, textarea, select")) return;
    if (overlay?.handleKey(e)) e.preventDefault();
    else if ((e.key === "Delete" || e.key === "Backspace") && overlay?.selected()) void overlay.deleteSelected().catch((err) => report((err as Error).message, true));
  };
  let overlay: AnnotationOverlay | null = null;
  let segmentation: SegmentationPanel | null = null;
  window.addEventListener("keydown", onKey);

  void (async () => {
    try {
      const slide = await getJson<SlideDetails>(`/api/slides/${encodeURIComponent(slideId)}`);
      document.title = `${slide.name} – Halflife`;
      title.textContent = slide.name;
      const descriptor = await apiFetch(slide.dziUrl);
      if (!descriptor.ok) throw new Error(await problemText(descriptor));
      const image = parseDzi(await descriptor.text());
      viewer = OpenSeadragon({
        element: canvas,
        tileSources: tileSourceFor(slide.dziUrl, image) as OpenSeadragon.TileSourceOptions,
        // Tiles are fetched with XHR so they carry the Authorization header like every other request.
        loadTilesWithAjax: true,
        ajaxHeaders: authHeaders(),
        showNavigationControl: false,
        showNavigator: true,
        navigatorPosition: "TOP_RIGHT",
        maxZoomPixelRatio: 4,
        // Several tiles per frame, not OpenSeadragon's one: an AI overlay doubles the tiles a view needs, and its
        // pending tiles are asked for again while the job runs.
        maxTilesPerFrame: 4,
        gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: false },
        crossOriginPolicy: false,
      });
      const annotations = buildOverlay(viewer, slide, side, report, title, () => segmentation?.annotationsChanged());
      overlay = annotations.overlay;
      segmentation = new SegmentationPanel(viewer, slide.id, canvas, {
        features: () => annotations.overlay.all(),
        selected: () => annotations.overlay.selected(),
        reload: annotations.reload,
        update: annotations.update,
      }, report);
      side.querySelector("section[aria-label='Tools']")?.after(segmentation.element);
      const scaleBar = new ScaleBarControl(slide.mppX ?? slide.mppY);
      canvas.append(scaleBar.element);
      const redraw = () => {
        scaleBar.update(overlay!.scale());
        // Screen pixels per slide pixel, for people reading the DOM (and the browser test) without OpenSeadragon.
        canvas.dataset.scale = overlay!.scale().toPrecision(6);
        canvas.dataset.rotation = String(viewer!.viewport.getRotation());
      };
      viewer.addHandler("animation", redraw);
      viewer.addHandler("animation-finish", redraw);
      const opened = () => {
        redraw();
        canvas.dataset.ready = "true";
      };
      viewer.addHandler("open", opened);
      viewer.addHandler("open-failed", (e) => report(`Cannot open the slide: ${e.message}`, true));
      if (viewer.world.getItemCount() > 0) opened(); // opened before the handler was attached
    } catch (e) {
      title.textContent = "Slide";
      report(`Cannot open the slide: ${(e as Error).message}`, true);
    }
  })();

  return {
    element,
    dispose() {
      window.removeEventListener("keydown", onKey);
      segmentation?.dispose();
      viewer?.destroy();
    },
  };
}

/** The annotation overlay with its side panel; `changed` runs whenever the lists are redrawn. */
function buildOverlay(
  viewer: OpenSeadragon.Viewer, slide: SlideDetails, side: HTMLElement, report: (t: string, e?: boolean) => void, title: HTMLElement, changed: () => void,
): { overlay: AnnotationOverlay; reload(): Promise<void>; update(f: Feature): Promise<Feature> } {
  const base = `/api/slides/${slide.id}/annotations`;
  let classes = loadClasses();
  let currentClass: Classification | undefined = classes[0];
  const hiddenLayers = new Set<string>();
  const layerKey = (f: Feature) => `${f.properties.author ?? "?"} / ${f.properties.layer ?? "default"}`;
  const layerInput = h("input", { id: "drawing-layer", value: "default", maxlength: 64 });
  const selectionInfo = h("p", { id: "selection-info", className: "muted" }, "Nothing selected.");
  const classList = h("div", { className: "class-list", role: "radiogroup", "aria-label": "Annotation classes" });
  const layerList = h("div", { className: "layer-list", "aria-label": "Layers" });
  const count = h("p", { id: "annotation-count", className: "muted" });

  const overlay = new AnnotationOverlay(viewer, {
    currentClass: () => currentClass,
    drawingLayer: () => layerInput.value.trim() || "default",
    isVisible: (f) => !hiddenLayers.has(layerKey(f)),
    create: (f) => sendJson<Feature>("POST", base, f),
    update: (f) => sendJson<Feature>("PUT", `${base}/${f.id}`, f),
    async remove(f) {
      const response = await apiFetch(`${base}/${f.id}`, { method: "DELETE" });
      if (!response.ok) throw new Error(await problemText(response));
      report("Annotation deleted.");
      refreshLists();
    },
    selectionChanged(f) {
      selectionInfo.textContent = f
        ? `${f.properties.classification?.name ?? "Unclassified"} ${f.geometry.type} by ${f.properties.author ?? "?"} in layer ${f.properties.layer ?? "default"}${typeof f.properties.status === "string" ? ` (${f.properties.status})` : ""}`
        : "Nothing selected.";
    },
    report(text, error) {
      report(text, error);
      refreshLists();
    },
  });

  async function reload(): Promise<void> {
    const collection = await getJson<FeatureCollection>(base);
    overlay.setFeatures(collection.features);
    classes = mergeClasses(classes, collection.features);
    refreshLists();
  }

  function refreshLists(): void {
    const features = overlay.all();
    count.textContent = `${features.length} annotation(s)`;
    count.dataset.count = String(features.length);
    clear(classList);
    for (const c of classes) {
      const id = `class-${classes.indexOf(c)}`;
      const radio = h("input", { type: "radio", name: "annotation-class", id, checked: c === currentClass, "aria-label": `Class ${c.name}` });
      radio.addEventListener("change", () => (currentClass = c));
      classList.append(h("div", { className: "class-row" }, radio, h("span", { className: "swatch", style: `background: ${rgbToHex(c.color)}` }), h("label", { for: id }, c.name)));
    }
    clear(layerList);
    for (const key of [...new Set(features.map(layerKey))].sort()) {
      const id = `layer-${key.replace(/[^a-z0-9]/gi, "_")}`;
      const box = h("input", { type: "checkbox", id, checked: !hiddenLayers.has(key), "aria-label": `Show layer ${key}` });
      box.addEventListener("change", () => {
        if (box.checked) hiddenLayers.delete(key);
        else hiddenLayers.add(key);
        overlay.setFeatures(overlay.all());
      });
      layerList.append(h("div", {}, box, h("label", { for: id }, key)));
    }
    changed();
  }

  const toolButtons = Tools.map(({ mode, label }) => {
    const button = h("button", { type: "button", "aria-label": `${label} tool`, "aria-pressed": mode === "pan" ? "true" : "false", "data-mode": mode }, label);
    button.addEventListener("click", () => {
      overlay.setMode(mode);
      for (const b of toolButtons) b.setAttribute("aria-pressed", String(b === button));
      report(mode === "polygon" ? "Click the corners; click the first point, double-click or press Enter to finish." : `${label} tool.`);
    });
    return button;
  });

  const viewButton = (label: string, action: () => void) => {
    const b = h("button", { type: "button", "aria-label": label }, label);
    b.addEventListener("click", action);
    return b;
  };
  const rotateBy = (deg: number) => viewer.viewport.setRotation((viewer.viewport.getRotation() + deg + 360) % 360);

  const newClassName = h("input", { id: "new-class-name", maxlength: 128 });
  const newClassColor = h("input", { id: "new-class-color", type: "color", value: "#ff7f00" });
  const addClass = viewButton("Add class", () => {
    const name = newClassName.value.trim();
    if (!name || classes.some((c) => c.name === name)) return;
    const c = { name, color: hexToRgb(newClassColor.value) };
    classes = [...classes, c];
    currentClass = c;
    saveClasses(classes);
    newClassName.value = "";
    refreshLists();
  });
  const setClass = viewButton("Set class of selected", () =>
    void overlay.replaceSelected((f) => ({ ...f, properties: { ...f.properties, classification: currentClass ? { ...currentClass } : undefined } })),
  );
  const deleteSelected = viewButton("Delete selected annotation", () => void overlay.deleteSelected().catch((e) => report((e as Error).message, true)));

  const exportButton = viewButton("Export GeoJSON", async () => {
    const response = await apiFetch(`${base}/export`);
    if (!response.ok) return report(`Export failed: ${await problemText(response)}`, true);
    const url = URL.createObjectURL(await response.blob());
    const a = h("a", { href: url, download: `${title.textContent || "slide"}.geojson` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  const importInput = h("input", { type: "file", id: "import-geojson", accept: ".geojson,.json,application/geo+json,application/json" });
  importInput.addEventListener("change", async () => {
    const file = importInput.files?.[0];
    if (!file) return;
    try {
      const features = parseImport(await file.text());
      const result = await sendJson<{ imported: number }>("POST", `${base}/import`, { type: "FeatureCollection", features });
      await reload();
      report(`Imported ${result.imported} annotation(s).`);
    } catch (e) {
      report(`Import refused: ${(e as Error).message}`, true);
    }
    importInput.value = "";
  });

  const nameInput = h("input", { id: "slide-name", value: slide.name, maxlength: 256, lang: "" });
  const rename = viewButton("Save name", async () => {
    try {
      const updated = await sendJson<SlideDetails>("PATCH", `/api/slides/${slide.id}`, { name: nameInput.value.trim() });
      title.textContent = updated.name;
      report("Name saved.");
    } catch (e) {
      report(`Name not saved: ${(e as Error).message}`, true);
    }
  });

  side.append(
    h("section", { "aria-label": "View" }, h("h2", {}, "View"), h("div", { className: "buttons" },
      viewButton("Zoom in", () => viewer.viewport.zoomBy(2).applyConstraints()),
      viewButton("Zoom out", () => viewer.viewport.zoomBy(0.5).applyConstraints()),
      viewButton("Home", () => viewer.viewport.goHome()),
      viewButton("Rotate left", () => rotateBy(-90)),
      viewButton("Rotate right", () => rotateBy(90)),
    )),
    h("section", { "aria-label": "Tools" }, h("h2", {}, "Tools"), h("div", { className: "buttons" }, ...toolButtons), selectionInfo,
      h("div", { className: "buttons" }, setClass, deleteSelected)),
    h("section", { "aria-label": "Classes" }, h("h2", {}, "Classes"), classList,
      h("label", { for: "new-class-name" }, "New class name"), newClassName,
      h("label", { for: "new-class-color" }, "Colour"), newClassColor, addClass),
    h("section", { "aria-label": "Layers section" }, h("h2", {}, "Layers"), h("label", { for: "drawing-layer" }, "Drawing layer"), layerInput, layerList, count),
    h("section", { "aria-label": "GeoJSON" }, h("h2", {}, "GeoJSON (QuPath)"), exportButton, h("label", { for: "import-geojson" }, "Import GeoJSON"), importInput),
    h("section", { "aria-label": "Slide" }, h("h2", {}, "Slide"), h("label", { for: "slide-name" }, "Slide name"), nameInput, rename,
      h("p", { className: "muted" }, `${slide.width} × ${slide.height} px, ${slide.mppX ? `${slide.mppX.toFixed(4)} µm/px` : "no pixel size"}; you are ${currentUser() ?? "anonymous"}`)),
  );
  refreshLists();
  reload().catch((e) => report(`Cannot load annotations: ${(e as Error).message}`, true));
  return { overlay, reload, update: (f) => sendJson<Feature>("PUT", `${base}/${f.id}`, f) };
}
