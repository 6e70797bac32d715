/**
 * A worker thread that parses blocks of one big export (blocks.ts) and posts each block's row log
 * back to the main thread, which applies them in file order (parallel.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BlockParser, transferList, type BlockSetup, type BlockTask, type RowLog } from './blocks.js';

const port = parentPort;
if (port === null) throw new Error('parse-worker.js runs as a worker thread');
const setup: BlockSetup = workerData;
const parser = new BlockParser(setup);
let queue = Promise.resolve();

port.on('message', (message: BlockTask | { recycle: RowLog } | null) => {
  if (message === null) {
    port.close();
    return;
  }
  if ('recycle' in message) {
    parser.recycle(message.recycle);
    return;
  }
  const task = message;
  // One block at a time, in the order given.
  queue = queue.then(async () => {
    try {
      const result = await parser.parse(task);
      port.postMessage({ ok: true, result }, transferList(result.rows));
    } catch (error) {
      port.postMessage({ ok: false, block: task.block, message: error instanceof Error ? error.message : String(error), code: (error as NodeJS.ErrnoException).code ?? null });
    }
  });
});
