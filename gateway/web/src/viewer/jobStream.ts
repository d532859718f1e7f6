// Follows one segmentation job: its event stream read with fetch (so the request carries the same Authorization
// header as every other call; EventSource cannot send one), and polling GET /jobs/{id} every 500 ms when the stream
// cannot be opened or breaks off before the job is over.
import { apiFetch, ApiError, getJson } from "../api";
import { isFinal, jobEvent, parseJob, type SegmentationJob } from "../lib/segmentationJob";
import { SseParser } from "../lib/sse";

export interface JobFollower {
  stop(): void;
  /** "stream" while events arrive, "polling" after a fallback. */
  readonly mode: "stream" | "polling";
}

const PollMs = 500;
const MaxPollFailures = 20;

export function followJob(jobId: string, onJob: (job: SegmentationJob) => void, onError: (message: string) => void): JobFollower {
  const controller = new AbortController();
  const path = `/api/segmentation/jobs/${encodeURIComponent(jobId)}`;
  const state = { stopped: false, mode: "stream" as "stream" | "polling" };

  const stream = async (): Promise<boolean> => {
    const response = await apiFetch(`${path}/events`, { headers: { Accept: "text/event-stream" }, signal: controller.signal });
    if (!response.ok || !response.body || !(response.headers.get("Content-Type") ?? "").includes("text/event-stream")) return false;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      while (!state.stopped) {
        const { value, done } = await reader.read();
        if (done) return false; // ended without "done": the poll tells how it stands
        for (const message of parser.feed(value)) {
          const event = jobEvent(message);
          if (!event) continue;
          onJob(event.job);
          if (event.done || isFinal(event.job.state)) return true;
        }
      }
      return true;
    } finally {
      controller.abort();
    }
  };

  const poll = async (): Promise<void> => {
    state.mode = "polling";
    let failures = 0;
    while (!state.stopped) {
      try {
        const job = parseJob(await getJson<unknown>(path));
        failures = 0;
        onJob(job);
        if (isFinal(job.state)) return;
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 404)) return onError((e as Error).message);
        if (++failures >= MaxPollFailures) return onError(`Lost track of the job: ${(e as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, PollMs));
    }
  };

  void (async () => {
    let finished = false;
    try {
      finished = await stream();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return onError(e.message);
      // Network error, aborted proxy, malformed event: fall back to polling below.
    }
    if (!finished && !state.stopped) await poll();
  })();

  return {
    stop() {
      state.stopped = true;
      controller.abort();
    },
    get mode() {
      return state.mode;
    },
  };
}
