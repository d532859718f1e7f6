import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { uploadSlide } from "../src/upload";

/** Storage as the browser has it, for node. */
class MemoryStorage {
  private readonly map = new Map<string, string>();
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
  removeItem(k: string) { this.map.delete(k); }
}

/**
 * The Slides upload API in memory: the temp file's length is the offset; a chunk that does not start there gets 409.
 * `failOnce` makes one PUT keep only part of its bytes and fail, as a dropped connection does.
 */
function fakeServer(options: { failAtChunk?: number; keepBytes?: number }) {
  let received = new Uint8Array(0);
  let puts = 0;
  let completedSha: string | null = null;
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    const headers = new Headers(init.headers);
    if (method === "POST" && url === "/api/slides/uploads") return json(201, { uploadId: "u1", offset: 0 });
    if (method === "HEAD") return new Response(null, { status: 200, headers: { "Upload-Offset": String(received.length) } });
    if (method === "PUT") {
      const start = Number(/bytes (\d+)-/.exec(headers.get("Content-Range")!)![1]);
      const body = init.body as Uint8Array;
      if (start !== received.length) return json(409, { detail: "wrong offset", offset: received.length });
      if (puts++ === options.failAtChunk) {
        received = concat(received, body.subarray(0, options.keepBytes ?? 0));
        throw new TypeError("network error");
      }
      received = concat(received, body);
      return new Response(JSON.stringify({ offset: received.length }), { status: 200, headers: { "Upload-Offset": String(received.length) } });
    }
    if (method === "POST" && url.endsWith("/complete")) {
      completedSha = JSON.parse(String(init.body)).sha256;
      return json(201, { id: "s1", name: "slide", width: 1, height: 1, mppX: null, mppY: null, dziUrl: "/api/slides/s1.dzi" });
    }
    return json(404, { detail: `${method} ${url}` });
  });
  return { fetchMock, received: () => received, sha: () => completedSha };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe("uploadSlide", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    vi.stubGlobal("localStorage", new MemoryStorage());
    vi.stubGlobal("sessionStorage", new MemoryStorage());
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("resumes from the server's offset after a chunk that failed half way, and hashes every byte once", async () => {
    const data = randomBytes(100_000);
    const server = fakeServer({ failAtChunk: 2, keepBytes: 1234 });
    vi.stubGlobal("fetch", server.fetchMock);
    const progress: number[] = [];
    const upload = uploadSlide(new File([data], "a.svs"), { progress: (sent) => progress.push(sent) }, 16_384);
    await vi.runAllTimersAsync();
    const slide = await upload;

    expect(slide.id).toBe("s1");
    expect(Buffer.from(server.received()).equals(data)).toBe(true);
    expect(server.sha()).toBe(createHash("sha256").update(data).digest("hex"));
    expect(progress).toContain(2 * 16_384 + 1234); // the offset the HEAD reported after the failure
    expect(progress[progress.length - 1]).toBe(data.length);
    expect(server.fetchMock.mock.calls.some(([, init]) => (init as RequestInit)?.method === "HEAD")).toBe(true);
  });

  it("gives up with a clear message when the server keeps failing", async () => {
    const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
      if (init.method === "POST") return json(201, { uploadId: "u2" });
      if (init.method === "HEAD") return new Response(null, { status: 200, headers: { "Upload-Offset": "0" } });
      return json(503, { detail: "busy" });
    });
    vi.stubGlobal("fetch", fetchMock);
    const upload = uploadSlide(new File([new Uint8Array(10)], "b.svs"), { progress: () => {} }, 4);
    const outcome = expect(upload).rejects.toThrow(/failed attempts/);
    await vi.runAllTimersAsync();
    await outcome;
  });
});
