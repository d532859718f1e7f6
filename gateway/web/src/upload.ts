// Resumable slide upload (docs/slides-api.md): start, PUT chunks with Content-Range, ask the server's offset after
// a failure and go on from there, then complete with the SHA-256 hashed in the browser as the chunks were read.
import { ApiError, apiFetch, problemText, sendJson } from "./api";
import { Sha256 } from "./lib/sha256";
import { DefaultChunkBytes, contentRange, planChunks, unhashedPart } from "./lib/uploadPlan";

export interface SlideDetails {
  id: string;
  name: string;
  width: number;
  height: number;
  mppX: number | null;
  mppY: number | null;
  dziUrl: string;
}

export interface UploadCallbacks {
  progress(sent: number, total: number): void;
  notice?(text: string): void;
}

const MaxRetries = 6;
const ResumeKeyPrefix = "halflife.upload.";

/** Same file picked again after a reload or a network loss: continue the server's session instead of starting over. */
function resumeKey(file: File): string {
  return `${ResumeKeyPrefix}${file.name}|${file.size}|${file.lastModified}`;
}

export async function uploadSlide(file: File, callbacks: UploadCallbacks, chunkBytes = DefaultChunkBytes): Promise<SlideDetails> {
  let uploadId = localStorage.getItem(resumeKey(file));
  let offset = 0;
  if (uploadId) {
    const known = await serverOffset(uploadId).catch(() => null);
    if (known === null) uploadId = null;
    else {
      offset = known;
      callbacks.notice?.(`Resuming an earlier upload at ${offset} bytes.`);
    }
  }
  if (!uploadId) {
    const started = await sendJson<{ uploadId: string }>("POST", "/api/slides/uploads", { fileName: file.name, size: file.size });
    uploadId = started.uploadId;
    localStorage.setItem(resumeKey(file), uploadId);
  }

  const hash = new Sha256();
  let hashedUpTo = 0;
  const hashTo = async (end: number) => {
    // Reads what the hash has not seen; after a resume this includes bytes another session already sent.
    while (hashedUpTo < end) {
      const stop = Math.min(end, hashedUpTo + chunkBytes);
      hash.update(new Uint8Array(await file.slice(hashedUpTo, stop).arrayBuffer()));
      hashedUpTo = stop;
    }
  };

  callbacks.progress(offset, file.size);
  let failures = 0;
  while (offset < file.size) {
    const [chunk] = planChunks(file.size, chunkBytes, offset);
    await hashTo(chunk.start);
    const bytes = new Uint8Array(await file.slice(chunk.start, chunk.end).arrayBuffer());
    try {
      const response = await apiFetch(`/api/slides/uploads/${uploadId}`, {
        method: "PUT",
        headers: { "Content-Type": "application/octet-stream", "Content-Range": contentRange(chunk, file.size) },
        body: bytes,
      });
      if (response.ok) {
        const part = unhashedPart(chunk, hashedUpTo);
        if (part) {
          hash.update(bytes.subarray(part.start - chunk.start, part.end - chunk.start));
          hashedUpTo = part.end;
        }
        offset = Number(response.headers.get("Upload-Offset") ?? chunk.end);
        failures = 0;
        callbacks.progress(offset, file.size);
        continue;
      }
      if (response.status !== 409 && response.status < 500) throw new ApiError(response.status, await problemText(response));
      callbacks.notice?.(`Chunk at ${chunk.start} refused (${response.status}); asking the server where to go on.`);
    } catch (e) {
      if (e instanceof ApiError && e.status !== 409 && e.status < 500) throw e;
      callbacks.notice?.(`Chunk at ${chunk.start} failed (${(e as Error).message}); retrying.`);
    }
    if (++failures > MaxRetries) throw new Error(`Upload stopped after ${MaxRetries} failed attempts; pick the file again to resume.`);
    await delay(Math.min(8000, 250 * 2 ** failures));
    offset = await serverOffset(uploadId);
    callbacks.progress(offset, file.size);
  }
  await hashTo(file.size);
  const sha256 = hash.digestHex();
  const slide = await sendJson<SlideDetails>("POST", `/api/slides/uploads/${uploadId}/complete`, { sha256 });
  localStorage.removeItem(resumeKey(file));
  return slide;
}

async function serverOffset(uploadId: string): Promise<number> {
  const response = await apiFetch(`/api/slides/uploads/${uploadId}`, { method: "HEAD" });
  if (!response.ok) throw new ApiError(response.status, `upload ${uploadId}: ${response.status}`);
  const offset = Number(response.headers.get("Upload-Offset"));
  if (!Number.isSafeInteger(offset) || offset < 0) throw new Error("the server did not say how many bytes it has");
  return offset;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
