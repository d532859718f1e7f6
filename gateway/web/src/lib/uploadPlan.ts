// Which byte ranges a resumable upload still has to send, and how far the running hash must read first.

export interface ByteRange {
  start: number;
  end: number; // exclusive
}

export const DefaultChunkBytes = 8 * 1024 * 1024;

/** The chunks from the server's offset to the end of the file. */
export function planChunks(size: number, chunkBytes: number, offset = 0): ByteRange[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer, got ${size}`);
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) throw new RangeError(`chunkBytes must be positive, got ${chunkBytes}`);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > size) throw new RangeError(`offset ${offset} is outside 0..${size}`);
  const chunks: ByteRange[] = [];
  for (let start = offset; start < size; start += chunkBytes) chunks.push({ start, end: Math.min(size, start + chunkBytes) });
  return chunks;
}

/** The Content-Range header of one chunk (inclusive end, as HTTP writes it). */
export function contentRange(range: ByteRange, total: number): string {
  return `bytes ${range.start}-${range.end - 1}/${total}`;
}

/**
 * The part of a chunk the running hash has not seen yet. After a failed chunk the server may keep only some of its
 * bytes, so a chunk can be sent again from an offset the hash has already passed: those bytes must not be hashed twice.
 */
export function unhashedPart(range: ByteRange, hashedUpTo: number): ByteRange | null {
  if (hashedUpTo < range.start) throw new Error(`hash is at ${hashedUpTo}, behind the chunk at ${range.start}`);
  return hashedUpTo >= range.end ? null : { start: hashedUpTo, end: range.end };
}

/** "12.5 MB of 40.0 MB (31%)" */
export function describeProgress(sent: number, total: number): string {
  const percent = total === 0 ? 100 : Math.floor((sent / total) * 100);
  return `${formatBytes(sent)} of ${formatBytes(total)} (${percent}%)`;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
