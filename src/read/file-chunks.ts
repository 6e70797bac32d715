/** Reading a file synchronously, a chunk at a time into one buffer (worker threads, which may block). */
import { readSync } from 'node:fs';

/** The size of the reused buffer the workers read into. */
export const CHUNK_BYTES = 1 << 20;

/**
 * The bytes of the open file `fd` from `start` on, each chunk read into `chunk` and handed on as
 * a view of it: the caller must be done with a chunk (copy or hash it) before asking for the next.
 */
export function* fileChunks(fd: number, start: number, chunk: Buffer): Generator<Uint8Array> {
  let position = start;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, position);
    if (n <= 0) return;
    position += n;
    yield chunk.subarray(0, n);
  }
}
