#!/usr/bin/env node
/**
 * The parse half of a threaded read, alone: one BlockParser (what each worker thread runs)
 * parses the first N blocks of the benchmark's long export, one after the other, on this
 * thread, and the time of each pass is printed. No store, no analysis, no other thread: this
 * is the per-row cost of the reader and the row parser, to measure changes to them
 * (src/read/records.ts, src/normalise/row-parser.ts, src/normalise/blocks.ts).
 *
 *   npm run build && node bench/parse-blocks.mjs [FILE] [--blocks 30] [--runs 8]
 *
 * FILE defaults to bench/out/export-p11500-y5-l6789.csv (written by `npm run bench`). Its header
 * must be the benchmark's (docs/benchmarks.md, "The export"). Prints the minimum and the median.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  args.splice(at, 2);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`parse-blocks: ${name} needs a whole number above 0`);
    process.exit(2);
  }
  return value;
};
const blocks = option('--blocks', 30);
const runs = option('--runs', 8);
const path = args[0] ?? `${root}bench/out/export-p11500-y5-l6789.csv`;
if (!existsSync(`${root}dist/normalise/blocks.js`)) {
  console.error('parse-blocks: dist/ is missing: run npm run build first');
  process.exit(2);
}
if (!existsSync(path)) {
  console.error(`parse-blocks: ${path} does not exist (npm run bench writes it)`);
  process.exit(2);
}
const HEADER = 'Personnummer;Skola;Skolområde;Klass;Årskurs;Läsår;Ämne;Kön;Typ;Resultat';
const BLOCK = 1 << 22; // the threaded read's block size
const file = readFileSync(path).subarray(0, (blocks + 1) * BLOCK + (1 << 16));
const headerEnd = file.indexOf(10);
if (file.toString('utf8', 0, headerEnd).replace(/\r$/, '') !== HEADER) {
  console.error(`parse-blocks: ${path} does not start with the benchmark's header (${HEADER})`);
  process.exit(2);
}
// Blocks start on a line, as parallel.ts splits them.
const starts = [headerEnd + 1];
for (let b = 1; b <= blocks; b++) {
  const next = file.indexOf(10, b * BLOCK);
  starts.push(next < 0 ? file.length : next + 1);
}
const { BlockParser } = await import(`${root}dist/normalise/blocks.js`);
const columns = { student_id: 0, school: 1, area: 2, class: 3, grade_level: 4, school_year: 5, subject: 6, gender: 7, kind: 8, value: 9 };
const setup = {
  path,
  encoding: 'utf-8',
  delimiter: ';',
  lineEnd: 'lf',
  headerCount: 10,
  rawValues: false,
  context: { headerCount: 10, columns, constants: [], layout: 'long', options: { config: {} }, areas: [] },
};
const times = [];
let rows = 0;
for (let run = 0; run < runs; run++) {
  const parser = new BlockParser(setup);
  rows = 0;
  const started = performance.now();
  for (let b = 0; b < blocks; b++) {
    const result = await parser.parse({ block: b, start: starts[b], stopAt: starts[b + 1] });
    rows += result.rows.count;
    parser.recycle(result.rows);
  }
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const ms = (t) => `${Math.round(t)} ms`;
console.log(`${blocks} blocks, ${rows.toLocaleString('en')} rows accepted, ${runs} runs: min ${ms(times[0])}, median ${ms(times[Math.floor(runs / 2)])} (${Math.round((times[0] * 1e6) / rows)} ns a row at the min)`);
