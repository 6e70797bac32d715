/**
 * Reading one big export with several threads, with the same result as reading it in one.
 *
 * After the header, the file is cut into blocks at line ends (blocks.ts). Worker threads parse
 * the blocks, each into a row log and its own tables; this thread applies the logs strictly in
 * file order through the same StoreTarget a one-thread read uses, so a duplicate or a conflict
 * is found against the row that came first in the file, whatever thread parsed it, and every
 * line number is the file's. A block is trusted only if the block before it ended exactly where
 * it began: a quoted cell running over a block's edge moves that edge, and the next block is then
 * parsed again here, from the right place. The SHA-256 of the file (the run manifest) is made by
 * one more worker once the rows are read, while the analysis runs. Memory stays bounded: at most
 * two blocks per worker are parsed ahead of the one being applied.
 */
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describeFsError } from '../errors.js';
import type { DecodeInfo } from '../read/decode.js';
import type { GradeStep } from '../types.js';
import { BlockParser, mergeIdFormats, mergeKinds, transferList, type BlockResult, type BlockSetup, type BlockTask } from './blocks.js';
import type { FileReport, StoreTarget } from './ingest.js';
import type { FileLedger } from './ledger.js';
import type { ResultStore } from './store.js';

export interface ParallelRead {
  source: { name: string; path: string; size: number };
  store: ResultStore;
  fileIndex: number;
  ledger: FileLedger;
  report: FileReport;
  setup: BlockSetup;
  /** File offset of the first byte after the header, and that line's number. */
  dataStart: number;
  firstLine: number;
  /** Blank lines above the header. */
  blankLines: number;
  info: DecodeInfo;
  threads: number;
  blockBytes: number | undefined;
  onProgress: ((file: string, done: number, total: number | undefined) => void) | undefined;
  target: StoreTarget;
}

const DEFAULT_BLOCK = 4 << 20;

/** Where each block starts: just after the first line end at or after each multiple of the block size. */
async function blockStarts(path: string, dataStart: number, size: number, blockBytes: number, lineEnd: number): Promise<number[]> {
  const starts = [dataStart];
  const handle = await open(path, 'r');
  try {
    const probe = Buffer.allocUnsafe(1 << 16);
    for (let nominal = dataStart + blockBytes; nominal < size; nominal += blockBytes) {
      let at = Math.max(nominal - 1, starts[starts.length - 1] ?? dataStart);
      let found = -1;
      while (found < 0 && at < size) {
        const { bytesRead } = await handle.read(probe, 0, probe.length, at);
        if (bytesRead <= 0) break;
        const i = probe.subarray(0, bytesRead).indexOf(lineEnd);
        if (i >= 0) found = at + i + 1;
        else at += bytesRead;
      }
      if (found < 0 || found >= size) break;
      if (found > (starts[starts.length - 1] ?? 0)) starts.push(found);
    }
  } finally {
    await handle.close();
  }
  return starts;
}

/** The worker scripts next to this module (absent when running from TypeScript sources). */
function workerScript(name: string): URL | null {
  const url = new URL(`./${name}`, import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

type WorkerReply = { ok: true; result: BlockResult } | { ok: false; block: number; message: string; code: string | null };

/** Ids of one worker's tables (and of this thread's own re-reads) in the store. */
class TableMap {
  readonly strings: number[] = [];
  readonly contexts: number[] = [];
  readonly subjects: number[] = [];
  readonly labels: number[] = [];
  readonly tallies: number[] = [];
  readonly opaque: string[] = [];
  readonly background: number[] = [];
  /** The block being applied: its first line's number. */
  lineOffset = 1;
}

/** Read a big file with worker threads; null when they cannot be started (read in one thread instead). */
export async function readParallel(read: ParallelRead): Promise<FileReport | null> {
  const parseScript = workerScript('parse-worker.js');
  const hashScript = new URL('../read/hash-worker.js', import.meta.url);
  if (parseScript === null || !existsSync(fileURLToPath(hashScript))) return null;
  const { source, store, ledger, report, setup, target } = read;
  const lineEndByte = setup.lineEnd === 'cr' ? 13 : 10;
  const blockBytes = Math.max(1024, read.blockBytes ?? DEFAULT_BLOCK);
  let starts: number[];
  try {
    starts = await blockStarts(source.path, read.dataStart, source.size, blockBytes, lineEndByte);
  } catch (error) {
    throw describeFsError(error, source.name);
  }
  const tasks: BlockTask[] = starts.map((start, block) => ({ block, start, stopAt: starts[block + 1] ?? Infinity }));
  // Size the store for the whole file once (as the one-thread read does from its first chunk).
  store.reserve(Math.ceil(source.size / 60));

  const workerCount = Math.max(1, Math.min(read.threads, tasks.length));
  const workers: Worker[] = [];
  const maps: TableMap[] = [];
  const results = new Map<number, BlockResult>();
  const owner = new Map<number, number>();
  let nextTask = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const dispatch = (w: number) => {
    const task = tasks[nextTask];
    if (task === undefined) return;
    nextTask++;
    owner.set(task.block, w);
    workers[w]?.postMessage(task);
  };
  for (let w = 0; w < workerCount; w++) {
    const worker = new Worker(parseScript, { workerData: setup });
    workers.push(worker);
    maps.push(new TableMap());
    worker.on('message', (reply: WorkerReply) => {
      if (reply.ok) results.set(reply.result.block, reply.result);
      else failure ??= Object.assign(new Error(reply.message), { code: reply.code });
      notify();
    });
    worker.on('error', (error) => {
      failure ??= error;
      notify();
    });
  }
  // Two blocks queued per worker: one being parsed, one waiting.
  for (let round = 0; round < 2; round++) for (let w = 0; w < workerCount; w++) dispatch(w);

  const mainParser = new BlockParser(setup);
  const mainMap = new TableMap();
  let expectedStart = read.dataStart;
  let lineOffset = read.firstLine;
  let blankLines = read.blankLines;
  let replaced = read.info.replaced;
  try {
    for (const task of tasks) {
      let result = results.get(task.block);
      while (result === undefined) {
        if (failure) throw describeFsError(failure, source.name);
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        result = results.get(task.block);
      }
      results.delete(task.block);
      const w = owner.get(task.block) ?? 0;
      const map = maps[w] ?? new TableMap();
      learnTables(map, result, store, target);
      dispatch(w);
      if (result.start !== expectedStart) {
        // The block before ran over this one's start (a quoted cell across the edge): read it again from where it really starts.
        if (expectedStart >= task.stopAt) continue;
        result = await mainParser.parse({ block: task.block, start: expectedStart, stopAt: task.stopAt });
        learnTables(mainMap, result, store, target);
        applyBlock(result, mainMap, lineOffset, ledger, report, target);
      } else {
        applyBlock(result, map, lineOffset, ledger, report, target);
        // Its arrays go back to the worker, to be filled with a later block.
        workers[w]?.postMessage({ recycle: result.rows }, transferList(result.rows));
      }
      lineOffset += result.lines;
      blankLines += result.blankLines;
      replaced ||= result.replaced;
      expectedStart = result.end;
      read.onProgress?.(source.name, Math.min(source.size, result.end), source.size);
    }
  } finally {
    for (const worker of workers) {
      worker.postMessage(null);
      void worker.terminate();
    }
  }
  // The SHA-256 is made by one more thread now, while the analysis runs on this one: during the
  // read it would take a core from the parsing (settleDigests waits for it).
  report.digest = hashFile(hashScript, source.path).catch((error: unknown) => Promise.reject(describeFsError(error, source.name)));
  report.digest.catch(() => undefined);
  report.values = target.tallies();
  report.encoding = read.info.encoding;
  report.bom = read.info.bom;
  report.invalidBytes = replaced;
  report.blankLines = blankLines;
  report.lineEnd = setup.lineEnd;
  report.path = source.path;
  return report;
}

/** The SHA-256 of a file and its size, made by a worker thread. */
function hashFile(script: URL, path: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: path });
    worker.once('message', (reply: { ok: true; sha256: string; bytes: number } | { ok: false; message: string; code: string | null }) => {
      void worker.terminate();
      if (reply.ok) resolve({ sha256: reply.sha256, bytes: reply.bytes });
      else reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    worker.once('error', reject);
    // A worker that ends without a word (it always answers today) must not leave the run waiting.
    worker.once('exit', () => reject(new Error('the SHA-256 worker stopped without an answer')));
  });
}

/** Take a block's new table entries into the store (whether or not its rows are used). */
function learnTables(map: TableMap, result: BlockResult, store: ResultStore, target: StoreTarget): void {
  const { tables } = result;
  for (const text of tables.strings) map.strings.push(store.stringId(text));
  const ctx = tables.contexts;
  for (let i = 0; i + 4 < ctx.length; i += 5) {
    map.contexts.push(store.context(mapId(map.strings, ctx[i] ?? -1), mapId(map.strings, ctx[i + 1] ?? -1), mapId(map.strings, ctx[i + 2] ?? -1), mapId(map.strings, ctx[i + 3] ?? -1), ctx[i + 4] ?? -1));
  }
  for (const code of tables.subjects) map.subjects.push(store.subjectIndex(code));
  for (const [label, pass, step] of tables.labels) map.labels.push(store.labelIndex(label, pass, step as GradeStep | null));
  for (const name of tables.tallies) map.tallies.push(target.tallyId(name));
  for (const id of tables.opaque) map.opaque.push(id);
  for (const [dim, text] of tables.background) map.background.push(target.backgroundRaw(dim, text));
}

const mapId = (ids: readonly number[], local: number): number => (local < 0 ? local : (ids[local] ?? -1));

/** Apply one block in file order: its rejected rows to the ledger, its rows to the store. */
function applyBlock(result: BlockResult, map: TableMap, lineOffset: number, ledger: FileLedger, report: FileReport, target: StoreTarget): void {
  const toFile = (line: number) => line + lineOffset - 1;
  map.lineOffset = lineOffset;
  for (const reason of result.reasons) ledger.mergeReason(reason.reason, reason.count, reason.lines.map(toFile), reason.details);
  if (result.outside.count > 0) ledger.mergeOutside(result.outside.count, result.outside.lines.map(toFile), result.outside.years);
  if (result.unreadGender.count > 0) ledger.mergeUnreadGender(result.unreadGender.count, result.unreadGender.lines.map(toFile), result.unreadGender.values);
  mergeIdFormats(report.idFormats, result.counts.idFormats);
  report.levelFromName += result.counts.levelFromName;
  report.noLevel += result.counts.noLevel;
  mergeKinds(report.kinds, result.counts.kinds);
  target.applyLog(result.rows, map);
}
