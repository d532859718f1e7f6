// The job follower against a mocked API: the event stream read with fetch (Authorization header included), and the
// fallback to polling when the stream is refused or breaks off.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { followJob } from "../src/viewer/jobStream";
import type { SegmentationJob } from "../src/lib/segmentationJob";

const job = (state: string, tilesDone: number) => ({ id: "j1", slideId: "s", model: "he-tumour-seg", state, tilesTotal: 4, tilesDone, progress: tilesDone / 4, classes: [] });

function sseResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

const jsonResponse = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });

function follow(): Promise<{ jobs: SegmentationJob[]; errors: string[]; mode: string }> {
  return new Promise((resolve) => {
    const jobs: SegmentationJob[] = [];
    const errors: string[] = [];
    const follower = followJob("j1", (j) => {
      jobs.push(j);
      if (j.state === "succeeded") setTimeout(() => resolve({ jobs, errors, mode: follower.mode }), 0);
    }, (e) => {
      errors.push(e);
      resolve({ jobs, errors, mode: follower.mode });
    });
  });
}

describe("followJob", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    vi.stubGlobal("sessionStorage", { getItem: (k: string) => (k === "halflife.token" ? "t0ken" : null), setItem() {}, removeItem() {} });
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("reads progress and done events from the stream, with the bearer token", async () => {
    const p1 = `event: progress\ndata: ${JSON.stringify(job("running", 1))}\n\n`;
    const p2 = `event: progress\ndata: ${JSON.stringify(job("running", 3))}\n\n`;
    const done = `event: done\ndata: ${JSON.stringify(job("succeeded", 4))}\n\n`;
    // Chunk borders in the middle of events, as a proxy may cut them.
    const all = p1 + ": ping\n\n" + p2 + done;
    fetchMock.mockResolvedValueOnce(sseResponse([all.slice(0, 17), all.slice(17, 90), all.slice(90)]));
    const result = await follow();
    expect(result.jobs.map((j) => j.tilesDone)).toEqual([1, 3, 4]);
    expect(result.mode).toBe("stream");
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/segmentation/jobs/j1/events");
    expect(new Headers(init.headers).get("Authorization")).toBe("Bearer t0ken");
    expect(new Headers(init.headers).get("Accept")).toBe("text/event-stream");
  });

  it("polls the job when the stream breaks off before the end", async () => {
    fetchMock
      .mockResolvedValueOnce(sseResponse([`event: progress\ndata: ${JSON.stringify(job("running", 1))}\n\n`]))
      .mockResolvedValueOnce(jsonResponse(job("running", 2)))
      .mockResolvedValueOnce(jsonResponse(job("succeeded", 4)));
    const result = await follow();
    expect(result.jobs.map((j) => j.state)).toEqual(["running", "running", "succeeded"]);
    expect(result.mode).toBe("polling");
    expect(fetchMock.mock.calls.slice(1).map((c) => c[0])).toEqual(["/api/segmentation/jobs/j1", "/api/segmentation/jobs/j1"]);
  });

  it("polls when the server answers the events route with something other than a stream", async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ title: "Not Found" }, 404)).mockResolvedValueOnce(jsonResponse(job("succeeded", 4)));
    const result = await follow();
    expect(result.jobs.map((j) => j.state)).toEqual(["succeeded"]);
  });

  it("gives up with the reason when the job is gone", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("network")).mockResolvedValueOnce(jsonResponse({ title: "Job j1 does not exist." }, 404));
    const result = await follow();
    expect(result.errors).toEqual(["Job j1 does not exist."]);
  });
});
