/** A worker thread that computes a file's SHA-256 (the run manifest) while other threads read it. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const path: string = workerData;
const hash = createHash('sha256');
let bytes = 0;
createReadStream(path, { highWaterMark: 1 << 20 })
  .on('data', (chunk) => {
    bytes += chunk.length;
    hash.update(chunk);
  })
  .on('end', () => parentPort?.postMessage({ ok: true, sha256: hash.digest('hex'), bytes }))
  .on('error', (error: NodeJS.ErrnoException) => parentPort?.postMessage({ ok: false, message: error.message, code: error.code ?? null }));
