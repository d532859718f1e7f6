import { getJson } from "../api";
import { clear, h, status } from "../dom";
import { describeProgress, formatBytes } from "../lib/uploadPlan";
import { uploadSlide } from "../upload";

interface SlideSummary {
  id: string;
  name: string;
  fileName: string;
  sizeBytes: number;
  vendor: string;
  width: number;
  height: number;
  uploadedAt: string;
  uploadedBy: string;
}

interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export function slidesPage(): HTMLElement {
  const list = h("div", { className: "slide-list" });
  const search = h("input", { type: "search", id: "slide-search", placeholder: "Name or description" });
  const file = h("input", { type: "file", id: "slide-file", accept: ".svs,.tif,.tiff,.ndpi,.scn,.mrxs,.bif,.vms" });
  const progress = h("progress", { id: "upload-progress", max: 100, value: 0, "aria-label": "Upload progress" });
  const progressText = h("span", { id: "upload-progress-text", "aria-live": "polite" }, "");
  const uploadMessage = h("div", { "aria-live": "polite" });
  const uploadButton = h("button", { type: "button", "aria-label": "Upload slide" }, "Upload");

  uploadButton.addEventListener("click", async () => {
    const chosen = file.files?.[0];
    if (!chosen) {
      uploadMessage.replaceChildren(status("Choose a slide file first.", "error"));
      return;
    }
    uploadButton.disabled = true;
    uploadMessage.replaceChildren(status(`Uploading ${chosen.name}…`));
    try {
      const slide = await uploadSlide(chosen, {
        progress(sent, total) {
          progress.value = total === 0 ? 100 : (sent / total) * 100;
          progressText.textContent = describeProgress(sent, total);
        },
        notice: (text) => uploadMessage.replaceChildren(status(text)),
      });
      uploadMessage.replaceChildren(
        h("p", { className: "status info", role: "status" }, `Uploaded "${slide.name}". `,
          h("a", { href: `#/slides/${slide.id}`, "aria-label": "Open uploaded slide", "data-slide-id": slide.id }, "Open it")),
      );
      await load();
    } catch (e) {
      uploadMessage.replaceChildren(status(`Upload failed: ${(e as Error).message}`, "error"));
    } finally {
      uploadButton.disabled = false;
    }
  });

  async function load(): Promise<void> {
    const q = search.value.trim();
    try {
      const page = await getJson<Paged<SlideSummary>>(`/api/slides?pageSize=200${q ? `&q=${encodeURIComponent(q)}` : ""}`);
      clear(list);
      if (page.items.length === 0) {
        list.append(status(q ? "No slide matches." : "No slides yet: upload one."));
        return;
      }
      const rows = page.items.map((s) =>
        h(
          "tr",
          {},
          h("td", {}, h("a", { href: `#/slides/${s.id}`, className: "slide-name", "data-slide-id": s.id }, s.name)),
          h("td", {}, `${s.width} × ${s.height}`),
          h("td", {}, s.vendor),
          h("td", {}, formatBytes(s.sizeBytes)),
          h("td", {}, s.uploadedBy),
          h("td", {}, new Date(s.uploadedAt).toLocaleString()),
        ),
      );
      list.append(
        h(
          "table",
          { "aria-label": "Slides" },
          h("thead", {}, h("tr", {}, ...["Name", "Size (px)", "Vendor", "File", "Uploaded by", "Uploaded"].map((t) => h("th", {}, t)))),
          h("tbody", {}, ...rows),
        ),
        h("p", { className: "muted" }, `${page.total} slide(s)`),
      );
    } catch (e) {
      clear(list);
      list.append(status(`Cannot list slides: ${(e as Error).message}`, "error"));
    }
  }

  search.addEventListener("input", debounce(load, 300));
  void load();
  return h(
    "main",
    { className: "page-slides" },
    h("h1", {}, "Slides"),
    h(
      "section",
      { className: "upload", "aria-label": "Upload a slide" },
      h("label", { for: "slide-file" }, "Slide file"),
      file,
      uploadButton,
      progress,
      progressText,
      uploadMessage,
    ),
    h("section", { className: "search" }, h("label", { for: "slide-search" }, "Search"), search),
    list,
  );
}

function debounce(fn: () => void, ms: number): () => void {
  let timer: number | undefined;
  return () => {
    clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
}
