import { describe, expect, it } from "vitest";
import { parseRoute } from "../src/router";

describe("parseRoute", () => {
  it("reads the pages from the hash", () => {
    expect(parseRoute("")).toEqual({ page: "slides" });
    expect(parseRoute("#/slides")).toEqual({ page: "slides" });
    expect(parseRoute("#/slides/abc")).toEqual({ page: "viewer", slideId: "abc" });
    expect(parseRoute("#/bone-scans/1.2.3")).toEqual({ page: "bone-scans", studyUid: "1.2.3" });
    expect(parseRoute("#/login/slides/abc")).toEqual({ page: "login", next: "/slides/abc" });
  });
});
