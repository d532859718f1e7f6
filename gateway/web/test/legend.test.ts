import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { legendRows, renderLegend } from "../src/viewer/legend";
import { fakeDocument, FakeElement } from "./fakeDom";

describe("legend rows", () => {
  it("orders classes by output index and keeps Korean names as written (NFC)", () => {
    const decomposed = "종양".normalize("NFD");
    const rows = legendRows([
      { index: 2, name: "괴사", color: "#3CB44B" },
      { index: 1, name: ` ${decomposed} `, color: "#e6194b" },
    ]);
    expect(rows).toEqual([
      { index: 1, name: "종양", color: "#e6194b" },
      { index: 2, name: "괴사", color: "#3cb44b" },
    ]);
    expect(rows[0].name.length).toBe(2); // composed syllables, not jamo
  });

  it("never passes a colour that is not #rgb or #rrggbb into a style, and names empty classes", () => {
    const rows = legendRows([{ index: 1, name: "", color: "red; background-image: url(x)" }, { index: 3, name: "x", color: "#abc" }]);
    expect(rows).toEqual([
      { index: 1, name: "class 1", color: "#808080" },
      { index: 3, name: "x", color: "#abc" },
    ]);
  });
});

describe("renderLegend", () => {
  beforeEach(() => vi.stubGlobal("document", fakeDocument));
  afterEach(() => vi.unstubAllGlobals());

  it("draws one row per class with its swatch colour and name, Korean included", () => {
    const container = new FakeElement("div");
    renderLegend(container as unknown as HTMLElement, [
      { index: 1, name: "tumour-like", color: "#e6194b" },
      { index: 2, name: "종양 경계", color: "#4363d8" },
    ]);
    const list = container.all("ul")[0];
    expect(list.getAttribute("aria-label")).toBe("Legend");
    const items = list.all("li");
    expect(items.map((li) => li.textContent)).toEqual(["tumour-like", "종양 경계"]);
    expect(items.map((li) => li.getAttribute("data-color"))).toEqual(["#e6194b", "#4363d8"]);
    expect(items[1].all("span")[0].getAttribute("style")).toBe("background: #4363d8");
  });

  it("says so when a job has no classes yet, and replaces an earlier legend", () => {
    const container = new FakeElement("div");
    renderLegend(container as unknown as HTMLElement, [{ index: 1, name: "a", color: "#000000" }]);
    renderLegend(container as unknown as HTMLElement, []);
    expect(container.all("ul")).toHaveLength(0);
    expect(container.textContent).toBe("No classes.");
  });
});
