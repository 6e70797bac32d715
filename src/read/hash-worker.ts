/**
 * A worker thread that computes a file's SHA-256 (the run manifest) after other threads have
 * read it, while the analysis runs. One buffer is read into again and again: a stream would make
 * a new buffer per chunk and leave tens of megabytes for the garbage collector at the analysis's
 * peak.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CHUNK_BYTES, fileChunks } from './file-chunks.js';

const path: string = workerData;
try {
  const hash = createHash('sha256');
  let bytes = 0;
  const fd = openSync(path, 'r');
  try {
    for (const chunk of fileChunks(fd, 0, Buffer.allocUnsafe(CHUNK_BYTES))) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  parentPort?.postMessage({ ok: true, sha256: hash.digest('hex'), bytes });
} catch (error) {
  const failure = error as NodeJS.ErrnoException;
  parentPort?.postMessage({ ok: false, message: failure.message, code: failure.code ?? null });
}
