/**
 * Reading one block of a big export, anywhere: the work a worker thread does (parse-worker.ts),
 * and the main thread too when a block has to be read again. A block is the records that start
 * in a byte range of the file, parsed by the same row parser as a whole file, into a compact
 * row log and the block's own tables (names, subjects, omdöme labels, tallies, opaque pupil
 * ids); the main thread applies the logs in file order (parallel.ts), so duplicates, conflicts,
 * line numbers and the row accounting come out exactly as when the file is read in one thread.
 */
import { closeSync, openSync } from 'node:fs';
import type { Encoding } from '../read/decode.js';
import { RecordReader, type ByteRow, type Delimiter, type LineEnd } from '../read/records.js';
import { CHUNK_BYTES, fileChunks } from '../read/file-chunks.js';
import { resized } from '../read/typed-arrays.js';
import type { GradeStep, ResultKind } from '../types.js';
import { FileLedger, REJECT_REASONS, type RejectReason } from './ledger.js';
import type { PupilIdKind } from './pupil-id.js';
import { makeRowParser, type ParseContext, type ParseCounts, type ParsedRow, type RowParserIo, type RowTarget } from './row-parser.js';

/** What every block of one file shares (sent once to each worker). */
export interface BlockSetup {
  path: string;
  encoding: Encoding;
  delimiter: Delimiter;
  lineEnd: LineEnd;
  /** The header's number of fields. */
  headerCount: number;
  /** The parse context, with the area map as entries (a Map does not cross threads as it is). */
  context: Omit<ParseContext, 'areas'> & { areas: [string, string][] };
  rawValues: boolean;
}

/** One block: the records starting in [start, stopAt). */
export interface BlockTask {
  block: number;
  start: number;
  stopAt: number;
}

/** A rejected-row reason as a block counted it (lines relative to the block's first line). */
interface BlockReason {
  reason: RejectReason;
  count: number;
  lines: number[];
  details: [string, number][];
}

export interface BlockResult {
  block: number;
  start: number;
  /** File offset after the last record read: the next block must start here. */
  end: number;
  /** Lines the block spans (the next block's first line is this many lines further on). */
  lines: number;
  blankLines: number;
  replaced: boolean;
  /** Rows rejected or outside --school-years in this block (accepted rows are counted when applied). */
  read: number;
  reasons: BlockReason[];
  outside: { count: number; lines: number[]; years: [string, number][] };
  /** Rows used whose gender cell is not a gender (a note): lines relative to the block's first line. */
  unreadGender: { count: number; lines: number[]; values: [string, number][] };
  counts: ParseCounts;
  /** New entries of the worker's tables since its previous result, in id order. */
  tables: BlockTables;
  rows: RowLog;
}

interface BlockTables {
  strings: string[];
  /** Contexts: (school, area, class, teacher, grade level) per entry, the names as string ids. */
  contexts: number[];
  subjects: string[];
  labels: [string, boolean | null, GradeStep | null][];
  tallies: string[];
  opaque: string[];
  /** Background cells: (dimension, text) per entry. */
  background: [number, string][];
}

/** The accepted rows of a block, column by column (transferable arrays). */
export interface RowLog {
  count: number;
  /** A personnummer's 12-digit key, or −(1 + opaque id). */
  pupil: Float64Array;
  line: Int32Array;
  /** The context (school, area, class, teacher, level) as an id of the block's table. */
  ctx: Int32Array;
  /** The subject as an id of the block's table (a handful of subjects). */
  subject: Uint16Array;
  /** start year × 4 + term. */
  yearTerm: Int32Array;
  /** gender (2 bits), n (2 bits), kinds (3 × 2 bits). */
  packed: Uint16Array;
  /** Three per row: a grade step (−2 blank, −1 streck, 0–5) or an omdöme label id of the block's table. */
  values: Int16Array;
  /** Three per row: tally ids of the block's table. */
  tallies: Uint16Array;
  /** Per row, per background dimension: the cell's id in the block's table, −1 where the file has no such column. */
  background: Int32Array;
  /** Background dimensions per row. */
  backgroundWidth: number;
}

/** Subjects and tallies are a handful per file; their ids go in 16 bits. */
const MAX_SMALL_ID = 65535;

function emptyLog(capacity: number, backgroundWidth: number): RowLog {
  return {
    count: 0,
    pupil: new Float64Array(capacity),
    line: new Int32Array(capacity),
    ctx: new Int32Array(capacity),
    subject: new Uint16Array(capacity),
    yearTerm: new Int32Array(capacity),
    packed: new Uint16Array(capacity),
    values: new Int16Array(capacity * 3),
    tallies: new Uint16Array(capacity * 3),
    background: new Int32Array(capacity * backgroundWidth),
    backgroundWidth,
  };
}

/** Mix a context's five values (string ids and a grade level, each -9…2^31) into 32 bits. */
function contextHash(school: number, area: number, cls: number, teacher: number, level: number): number {
  let h = Math.imul(school ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ area ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ cls ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ teacher ^ (h >>> 16), 0xc2b2ae35);
  h = Math.imul(h ^ level ^ (h >>> 15), 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A worker's tables (kept across its blocks) and the current block's row log. */
class LogTarget implements RowTarget {
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly subjects: string[] = [];
  private readonly subjectIds = new Map<string, number>();
  private readonly labels: [string, boolean | null, GradeStep | null][] = [];
  private readonly labelIds = new Map<string, number>();
  private readonly talliesList: string[] = [];
  private readonly tallyIds = new Map<string, number>();
  private readonly opaque: string[] = [];
  private readonly opaqueIds = new Map<string, number>();
  /** How much of each table the main thread has been sent. */
  private readonly contexts: number[] = [];
  /** Context ids by a hash of their five values (open addressing, -1 empty; grown at half full). */
  private contextTable = new Int32Array(1024).fill(-1);
  private readonly lastContext = new Int32Array([-2, -2, -2, -2, -2]);
  private lastContextId = -1;
  private readonly backgroundCells: [number, string][] = [];
  private readonly backgroundIds = new Map<string, number>();
  private readonly sent = { strings: 0, contexts: 0, subjects: 0, labels: 0, tallies: 0, opaque: 0, background: 0 };
  log: RowLog;

  constructor(private readonly backgroundWidth: number) {
    this.log = emptyLog(1 << 14, backgroundWidth);
  }

  stringId(text: string | null): number {
    if (text === null) return -1;
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.stringIds.set(text, id);
    }
    return id;
  }
  stringOf(id: number): string | null {
    return id < 0 ? null : (this.strings[id] ?? null);
  }
  subjectIndex(code: string): number {
    let id = this.subjectIds.get(code);
    if (id === undefined) {
      id = this.subjects.length;
      if (id >= MAX_SMALL_ID) throw new Error('more than 65 535 distinct subjects in one file');
      this.subjects.push(code);
      this.subjectIds.set(code, id);
    }
    return id;
  }
  labelIndex(label: string, pass: boolean | null, step: GradeStep | null): number {
    const key = `${label}\u0001${pass}\u0001${step}`;
    let id = this.labelIds.get(key);
    if (id === undefined) {
      id = this.labels.length;
      // (The store refuses more than 128 long before.)
      if (id >= 32767) throw new Error('more than 32 767 distinct omdöme labels in one file');
      this.labels.push([label, pass, step]);
      this.labelIds.set(key, id);
    }
    return id;
  }
  pupilByNumber(key: number): number {
    return key;
  }
  pupilByString(id: string): number {
    if (/^\d{12}$/.test(id)) return Number(id);
    let index = this.opaqueIds.get(id);
    if (index === undefined) {
      index = this.opaque.length;
      this.opaque.push(id);
      this.opaqueIds.set(id, index);
    }
    return -(1 + index);
  }
  tallyId(name: string): number {
    let id = this.tallyIds.get(name);
    if (id === undefined) {
      id = this.talliesList.length;
      if (id >= MAX_SMALL_ID) throw new Error('more than 65 535 distinct result values in one file');
      this.talliesList.push(name);
      this.tallyIds.set(name, id);
    }
    return id;
  }

  backgroundRaw(dim: number, text: string): number {
    const key = `${dim}\u0001${text}`;
    let id = this.backgroundIds.get(key);
    if (id === undefined) {
      id = this.backgroundCells.length;
      this.backgroundCells.push([dim, text]);
      this.backgroundIds.set(key, id);
    }
    return id;
  }

  private contextOf(row: ParsedRow): number {
    const last = this.lastContext;
    if (last[0] === row.school && last[1] === row.area && last[2] === row.cls && last[3] === row.teacher && last[4] === row.level) return this.lastContextId;
    last[0] = row.school;
    last[1] = row.area;
    last[2] = row.cls;
    last[3] = row.teacher;
    last[4] = row.level;
    // Rows in pupil order repeat the context before; rows in no order look each one up here.
    const contexts = this.contexts;
    const mask = this.contextTable.length - 1;
    let slot = contextHash(row.school, row.area, row.cls, row.teacher, row.level) & mask;
    for (;;) {
      const id = this.contextTable[slot] ?? -1;
      if (id < 0) break;
      const at = id * 5;
      if (contexts[at] === row.school && contexts[at + 1] === row.area && contexts[at + 2] === row.cls && contexts[at + 3] === row.teacher && contexts[at + 4] === row.level) {
        this.lastContextId = id;
        return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = contexts.length / 5;
    contexts.push(row.school, row.area, row.cls, row.teacher, row.level);
    this.contextTable[slot] = id;
    if ((id + 1) * 2 > this.contextTable.length) this.growContexts();
    this.lastContextId = id;
    return id;
  }

  private growContexts(): void {
    const table = new Int32Array(this.contextTable.length * 2).fill(-1);
    const mask = table.length - 1;
    const contexts = this.contexts;
    for (let id = 0; id * 5 < contexts.length; id++) {
      const at = id * 5;
      let slot = contextHash(contexts[at] ?? 0, contexts[at + 1] ?? 0, contexts[at + 2] ?? 0, contexts[at + 3] ?? 0, contexts[at + 4] ?? 0) & mask;
      while ((table[slot] ?? -1) >= 0) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.contextTable = table;
  }

  accept(row: ParsedRow): void {
    let log = this.log;
    const i = log.count;
    if (i >= log.pupil.length) {
      const n = log.pupil.length * 2;
      log = this.log = {
        count: log.count,
        pupil: resized(log.pupil, n),
        line: resized(log.line, n),
        ctx: resized(log.ctx, n),
        subject: resized(log.subject, n),
        yearTerm: resized(log.yearTerm, n),
        packed: resized(log.packed, n),
        values: resized(log.values, n * 3),
        tallies: resized(log.tallies, n * 3),
        background: resized(log.background, n * log.backgroundWidth),
        backgroundWidth: log.backgroundWidth,
      };
    }
    log.pupil[i] = row.pupil;
    log.line[i] = row.line;
    log.ctx[i] = this.contextOf(row);
    log.subject[i] = row.subject;
    log.yearTerm[i] = row.startYear * 4 + row.term;
    const kinds = row.kinds;
    log.packed[i] = row.gender | (row.n << 2) | ((kinds[0] ?? 0) << 4) | ((kinds[1] ?? 0) << 6) | ((kinds[2] ?? 0) << 8);
    const values = row.values;
    const tallies = row.tallies;
    const at = i * 3;
    log.values[at] = values[0] ?? -2;
    log.values[at + 1] = values[1] ?? -2;
    log.values[at + 2] = values[2] ?? -2;
    log.tallies[at] = tallies[0] ?? 0;
    log.tallies[at + 1] = tallies[1] ?? 0;
    log.tallies[at + 2] = tallies[2] ?? 0;
    const width = log.backgroundWidth;
    for (let dim = 0; dim < width; dim++) log.background[i * width + dim] = row.background[dim] ?? -1;
    log.count = i + 1;
  }

  /** Logs the main thread has applied and sent back, to fill again (no new memory per block). */
  private readonly spare: RowLog[] = [];

  recycle(log: RowLog): void {
    log.count = 0;
    this.spare.push(log);
  }

  /** The block's row log (handed over) and the table entries the main thread has not seen. */
  take(): { rows: RowLog; tables: BlockTables } {
    const rows = this.log;
    this.log = this.spare.pop() ?? emptyLog(Math.max(1 << 14, rows.count), this.backgroundWidth);
    const tables: BlockTables = {
      strings: this.strings.slice(this.sent.strings),
      contexts: this.contexts.slice(this.sent.contexts),
      subjects: this.subjects.slice(this.sent.subjects),
      labels: this.labels.slice(this.sent.labels),
      tallies: this.talliesList.slice(this.sent.tallies),
      opaque: this.opaque.slice(this.sent.opaque),
      background: this.backgroundCells.slice(this.sent.background),
    };
    this.sent.strings = this.strings.length;
    this.sent.contexts = this.contexts.length;
    this.sent.subjects = this.subjects.length;
    this.sent.labels = this.labels.length;
    this.sent.tallies = this.talliesList.length;
    this.sent.opaque = this.opaque.length;
    this.sent.background = this.backgroundCells.length;
    return { rows, tables };
  }
}

/** The arrays of a row log, to transfer rather than copy between threads. */
export function transferList(log: RowLog): ArrayBuffer[] {
  return [log.pupil, log.line, log.ctx, log.subject, log.yearTerm, log.packed, log.values, log.tallies, log.background].map((a) => a.buffer as ArrayBuffer);
}

/** Parses blocks of one file; one per worker (its tables live as long as it does). */
export class BlockParser {
  private readonly target: LogTarget;

  /** A log sent back by the main thread, to be filled again. */
  recycle(log: RowLog): void {
    this.target.recycle(log);
  }
  private readonly context: ParseContext;
  /** The reader's working buffer and the read buffer, kept from block to block. */
  private buffer: Buffer | undefined;
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  /** One row parser for every block (its compiled code and value caches stay warm), and what it reads from. */
  private io: RowParserIo | null = null;
  private handle: ((row: ByteRow) => void) | null = null;
  private readonly handlers = {
    record: (row: ByteRow) => this.handle?.(row),
    brokenQuote: (line: number) => this.io?.ledger.reject('unterminated_quote', line),
  };

  constructor(private readonly setup: BlockSetup) {
    this.context = { ...setup.context, areas: new Map(setup.context.areas) };
    this.target = new LogTarget(setup.context.background?.length ?? 0);
  }

  async parse(task: BlockTask): Promise<BlockResult> {
    const { setup } = this;
    const ledger = new FileLedger('', setup.rawValues);
    const counts: ParseCounts = { idFormats: { personnummer: 0, samordningsnummer: 0, opaque: 0 }, levelFromName: 0, noLevel: 0, kinds: [] };
    const reader: RecordReader = new RecordReader(
      this.handlers,
      { encoding: setup.encoding, part: { base: task.start, line: 1, delimiter: setup.delimiter, lineEnd: setup.lineEnd, stopAt: task.stopAt }, buffer: this.buffer },
    );
    reader.expectedFields = setup.headerCount;
    if (this.io === null) {
      this.io = { reader, ledger, counts };
      this.handle = makeRowParser(this.io, this.context, this.target);
    } else {
      this.io.reader = reader;
      this.io.ledger = ledger;
      this.io.counts = counts;
    }
    const fd = openSync(setup.path, 'r');
    try {
      await reader.readAll(toAsync(fileChunks(fd, task.start, this.chunk)));
    } finally {
      closeSync(fd);
      this.buffer = reader.buffer;
    }
    const { rows, tables } = this.target.take();
    const reasons: BlockReason[] = [];
    for (const reason of REJECT_REASONS) {
      const entry = ledger.rejected.get(reason);
      if (!entry) continue;
      reasons.push({ reason, count: entry.count, lines: entry.lines, details: [...(ledger.details.get(reason) ?? new Map<string, number>())] });
    }
    return {
      block: task.block,
      start: task.start,
      end: reader.offset,
      lines: reader.nextLine - 1,
      blankLines: reader.blankLines,
      replaced: reader.info.replaced,
      read: ledger.read,
      reasons,
      outside: { count: ledger.outside.count, lines: ledger.outside.lines, years: [...ledger.outsideYears] },
      unreadGender: { count: ledger.unreadGender.count, lines: ledger.unreadGender.lines, values: [...ledger.unreadGenderValues] },
      counts,
      tables,
      rows,
    };
  }
}

async function* toAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Kinds a block saw, merged into the file's list in the order met. */
export function mergeKinds(into: ResultKind[], from: readonly ResultKind[]): void {
  for (const kind of from) if (!into.includes(kind)) into.push(kind);
}

/** Id formats a block counted, added to the file's. */
export function mergeIdFormats(into: Record<PupilIdKind, number>, from: Record<PupilIdKind, number>): void {
  into.personnummer += from.personnummer;
  into.samordningsnummer += from.samordningsnummer;
  into.opaque += from.opaque;
}
