import { describe, expect, it } from "vitest";
import { contentRange, describeProgress, planChunks, unhashedPart } from "../src/lib/uploadPlan";

describe("planChunks", () => {
  it("covers the file exactly from the offset", () => {
    const chunks = planChunks(25, 10, 3);
    expect(chunks).toEqual([
      { start: 3, end: 13 },
      { start: 13, end: 23 },
      { start: 23, end: 25 },
    ]);
  });

  it("plans nothing for a finished upload and one chunk for a small file", () => {
    expect(planChunks(10, 4, 10)).toEqual([]);
    expect(planChunks(3, 8)).toEqual([{ start: 0, end: 3 }]);
  });

  it("refuses impossible input", () => {
    expect(() => planChunks(10, 0)).toThrow(RangeError);
    expect(() => planChunks(10, 4, 11)).toThrow(RangeError);
    expect(() => planChunks(-1, 4)).toThrow(RangeError);
  });

  it("writes HTTP's inclusive Content-Range", () => {
    expect(contentRange({ start: 0, end: 8 }, 20)).toBe("bytes 0-7/20");
  });
});

describe("unhashedPart", () => {
  it("hashes only bytes not yet hashed when a chunk is re-sent from a partial offset", () => {
    expect(unhashedPart({ start: 100, end: 200 }, 100)).toEqual({ start: 100, end: 200 });
    expect(unhashedPart({ start: 150, end: 200 }, 200)).toBeNull();
    expect(unhashedPart({ start: 150, end: 250 }, 200)).toEqual({ start: 200, end: 250 });
    expect(() => unhashedPart({ start: 300, end: 400 }, 200)).toThrow();
  });
});

describe("describeProgress", () => {
  it("shows bytes and percent", () => {
    expect(describeProgress(0, 2_000_000)).toBe("0 B of 2.0 MB (0%)");
    expect(describeProgress(1_500_000, 2_000_000)).toBe("1.5 MB of 2.0 MB (75%)");
  });
});
