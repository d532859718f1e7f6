import { describe, expect, it } from "vitest";
import { parseDzi, tileSourceFor } from "../src/lib/dzi";

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="jpeg" Overlap="1" TileSize="254"><Size Width="2220" Height="2967"/></Image>`;

describe("parseDzi", () => {
  it("reads tile size, overlap, format and size", () => {
    expect(parseDzi(xml)).toEqual({ tileSize: 254, overlap: 1, format: "jpeg", width: 2220, height: 2967 });
  });

  it("puts the tiles beside the descriptor", () => {
    const source = tileSourceFor("/api/slides/abc.dzi", parseDzi(xml)) as { Image: { Url: string } };
    expect(source.Image.Url).toBe("/api/slides/abc_files/");
  });

  it("refuses something else", () => {
    expect(() => parseDzi("<html></html>")).toThrow(/Deep Zoom/);
  });
});
