// Bone-scan studies (NM) and, for one of them, the original, denoised and restored images side by side with
// linked zoom/pan and one window/level for all three.
import { ApiError, getJson } from "../api";
import { clear, h, status } from "../dom";
import { frameLabel, type ImageInfo } from "../lib/imageInfo";
import { Identity, cssTransform, panBy, zoomAt, type PanZoom } from "../lib/panZoom";
import { clampWindow, dragWindow, fullRangeWindow, type Window } from "../lib/windowLevel";
import { ImagePanel, PanelSources } from "../viewer/imagePanel";

interface StudySummary {
  studyInstanceUid: string;
  patientId: string | null;
  patientName: string | null;
  studyDate: string | null;
  studyDescription: string | null;
  instanceCount: number;
  completed: boolean;
}

interface SeriesSummary {
  seriesInstanceUid: string;
  modality: string | null;
  seriesDescription: string | null;
  instances: { instanceId: string; instanceNumber: number | null }[];
}

const PageSize = 20;

export function boneScansPage(studyUid?: string): { element: HTMLElement; dispose(): void } {
  const list = h("nav", { className: "study-list", "aria-label": "Bone-scan studies" });
  const detail = h("section", { className: "study-detail", "aria-label": "Study images" });
  const element = h("main", { className: "page-bone-scans" }, h("h1", {}, "Bone scans"), h("div", { className: "bone-body" }, list, detail));
  let page = 1;
  let disposeDetail: (() => void) | null = null;

  async function loadList(): Promise<void> {
    try {
      const result = await getJson<{ items: StudySummary[]; total: number }>(`/api/ingest/studies?modality=NM&page=${page}&pageSize=${PageSize}`);
      clear(list);
      if (result.items.length === 0) list.append(status("No bone-scan studies yet."));
      const ul = h("ul", {});
      for (const s of result.items) {
        const label = `${s.patientName ?? "(no name)"} ${s.patientId ? `(${s.patientId})` : ""}`;
        ul.append(h("li", { className: s.studyInstanceUid === studyUid ? "current" : "" },
          h("a", { href: `#/bone-scans/${encodeURIComponent(s.studyInstanceUid)}`, className: "study-link", "data-study-uid": s.studyInstanceUid },
            h("span", { className: "patient-name" }, label),
            h("span", { className: "muted" }, ` ${formatDate(s.studyDate)} ${s.studyDescription ?? ""} · ${s.instanceCount} image(s)`))));
      }
      const pages = Math.max(1, Math.ceil(result.total / PageSize));
      const prev = h("button", { type: "button", disabled: page <= 1, "aria-label": "Previous page" }, "‹");
      const next = h("button", { type: "button", disabled: page >= pages, "aria-label": "Next page" }, "›");
      prev.addEventListener("click", () => { page--; void loadList(); });
      next.addEventListener("click", () => { page++; void loadList(); });
      list.append(ul, h("div", { className: "pager" }, prev, ` page ${page} of ${pages} `, next));
    } catch (e) {
      clear(list);
      list.append(status(`Cannot list studies: ${(e as Error).message}`, "error"));
    }
  }

  async function loadStudy(uid: string): Promise<void> {
    detail.replaceChildren(status("Loading study…"));
    try {
      const series = await getJson<SeriesSummary[]>(`/api/ingest/studies/${encodeURIComponent(uid)}/series`);
      const instances = series.filter((s) => s.modality === "NM" || !s.modality).flatMap((s) => s.instances.map((i) => ({ ...i, series: s })));
      if (instances.length === 0) {
        detail.replaceChildren(status("This study has no NM images."));
        return;
      }
      const picker = h("select", { id: "instance-picker", "aria-label": "Image" },
        ...instances.map((i, n) => h("option", { value: i.instanceId }, `${i.series.seriesDescription ?? "Series"} #${i.instanceNumber ?? n + 1}`)));
      const host = h("div");
      picker.addEventListener("change", () => show(picker.value));
      detail.replaceChildren(h("label", { for: "instance-picker" }, "Image"), picker, host);
      const show = (id: string) => {
        disposeDetail?.();
        const comparison = comparisonView(id);
        host.replaceChildren(comparison.element);
        disposeDetail = comparison.dispose;
      };
      show(instances[0].instanceId);
    } catch (e) {
      detail.replaceChildren(status(e instanceof ApiError && e.status === 404 ? "This study is not in the catalogue." : `Cannot load the study: ${(e as Error).message}`, "error"));
    }
  }

  void loadList();
  if (studyUid) void loadStudy(studyUid);
  else detail.append(status("Pick a study to compare its original, denoised and restored images."));
  return { element, dispose: () => disposeDetail?.() };
}

/** Three panels for one instance, sharing frame, window/level and zoom/pan. */
function comparisonView(instanceId: string): { element: HTMLElement; dispose(): void } {
  const panels = [
    new ImagePanel("Original", PanelSources.original(instanceId)),
    new ImagePanel("Denoised", PanelSources.denoised(instanceId)),
    new ImagePanel("Restored", PanelSources.restored(instanceId)),
  ];
  let info: ImageInfo | null = null;
  let frame = 0;
  let window: Window | null = null;
  let view: PanZoom = Identity;

  const center = h("input", { id: "window-center", type: "number", step: "any", "aria-label": "Window center" });
  const width = h("input", { id: "window-width", type: "number", step: "any", min: 1, "aria-label": "Window width" });
  const frames = h("div", { className: "frames", role: "radiogroup", "aria-label": "View" });
  const applyWindow = (w: Window | null) => {
    window = w && info ? clampWindow(w, info) : w;
    center.value = window ? String(window.center) : "";
    width.value = window ? String(window.width) : "";
    for (const p of panels) p.show(frame, window);
  };
  const onWindowInput = () => {
    const w = { center: Number(center.value), width: Number(width.value) };
    if (Number.isFinite(w.center) && Number.isFinite(w.width) && w.width > 0) applyWindow(w);
  };
  center.addEventListener("change", onWindowInput);
  width.addEventListener("change", onWindowInput);
  const reset = h("button", { type: "button", "aria-label": "Reset window" }, "Reset window");
  reset.addEventListener("click", () => applyWindow(info?.window ?? (info ? fullRangeWindow(info) : null)));
  const setView = (v: PanZoom) => {
    view = v;
    for (const p of panels) p.setTransform(cssTransform(view));
  };
  const zoomButton = (label: string, factor: number) => {
    const b = h("button", { type: "button", "aria-label": label }, label);
    b.addEventListener("click", () => setView(factor === 0 ? Identity : zoomAt(view, factor, panels[0].size().width / 2, panels[0].size().height / 2)));
    return b;
  };

  // Wheel zooms, left drag pans, right drag (or shift + drag) changes the window: the same in every panel.
  for (const panel of panels) {
    panel.viewport.addEventListener("wheel", (e) => {
      e.preventDefault();
      const box = panel.viewport.getBoundingClientRect();
      setView(zoomAt(view, e.deltaY < 0 ? 1.25 : 0.8, e.clientX - box.left, e.clientY - box.top));
    }, { passive: false });
    panel.viewport.addEventListener("contextmenu", (e) => e.preventDefault());
    panel.viewport.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      const windowing = e.button === 2 || e.shiftKey;
      const start = { x: e.clientX, y: e.clientY, view, window };
      const move = (m: PointerEvent) => {
        const dx = m.clientX - start.x;
        const dy = m.clientY - start.y;
        if (!windowing) setView(panBy(start.view, dx, dy));
        else if (start.window && info) {
          const w = dragWindow(start.window, dx, dy, info);
          center.value = String(w.center);
          width.value = String(w.width);
        }
      };
      const up = () => {
        removeEventListener("pointermove", move);
        removeEventListener("pointerup", up);
        if (windowing) onWindowInput();
      };
      addEventListener("pointermove", move);
      addEventListener("pointerup", up);
    });
  }

  const element = h("div", { className: "comparison" },
    h("div", { className: "controls" },
      frames,
      h("label", { for: "window-center" }, "Window center"), center,
      h("label", { for: "window-width" }, "Window width"), width, reset,
      zoomButton("Zoom in", 1.5), zoomButton("Zoom out", 1 / 1.5), zoomButton("Reset zoom", 0)),
    h("div", { className: "panels" }, ...panels.map((p) => p.element)),
    h("p", { className: "muted" }, "Wheel: zoom · drag: pan · right-drag or shift-drag: window/level (all panels together)"));

  void (async () => {
    info = await panels[0].resolveInfo();
    if (!info) return;
    frames.replaceChildren(...Array.from({ length: info.frames }, (_, f) => {
      const id = `frame-${f}`;
      const radio = h("input", { type: "radio", name: "frame", id, checked: f === 0, "aria-label": `${frameLabel(f, info!.frames, info!.frameLabels)} view` });
      radio.addEventListener("change", () => {
        frame = f;
        for (const p of panels) p.show(frame, window);
      });
      return h("span", {}, radio, h("label", { for: id }, frameLabel(f, info!.frames, info!.frameLabels)));
    }));
    applyWindow(info.window ?? fullRangeWindow(info));
  })();

  // Derived images appear when the other services finish: look again now and then while the page is open.
  const poll = setInterval(() => {
    for (const p of panels) if (!p.available()) p.show(frame, window);
  }, 5000);
  return { element, dispose: () => { clearInterval(poll); for (const p of panels) p.dispose(); } };
}

function formatDate(d: string | null): string {
  return d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : (d ?? "");
}
