#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench`: ska-analyze against DuckDB on a big synthetic long-format export.
 *
 * 1. Generates (or reuses from bench/out/) an export with the repo's generator: teacher grades in
 *    år 6–9 in all subjects, national tests in år 6 and 9, år 5 omdömen.
 * 2. Times, each in a fresh child process, `ska-analyze gap`, `ska-analyze transition`, and the
 *    same two analyses as SQL in DuckDB (bench/sql/*.sql, run by bench/duckdb-run.mjs): wall time
 *    and peak RSS.
 * 3. Checks that both give the same figures for every group, and prints a side-by-side table.
 *
 * Exit code 0: all ran and the figures match; 1: a figure differs or a run failed; 2: bad usage.
 * Options: node bench/bench.mjs --help. Documentation: docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { compareRows, GAP_SPEC, TRANSITION_SPEC } from './lib/compare.mjs';
import { measure, rssMethod } from './lib/measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where exports and results go; `--out` changes it. */
let OUT = join(ROOT, 'bench', 'out');
const BIN = join(ROOT, 'bin', 'ska-analyze.js');
const GENERATOR = join(ROOT, 'build', 'scripts', 'demo', 'generate.js');
const DUCKDB_RUN = join(ROOT, 'bench', 'duckdb-run.mjs');

/** Grade levels with teacher grades in all subjects (tests are in år 6 and 9, omdömen in år 5). */
const GRADE_LEVELS = '6,7,8,9';
/**
 * Pupils per grade level. With 5 school years and år 5–9: `default` ≈ 4.3 million rows
 * (~330 MB), the big-city export of issue 4; `large` is six times that (Skolverket scale).
 */
const PRESETS = /** @type {const} */ ({ small: 1150, default: 11500, large: 69000 });
const GAP_BY = 'school_year,grade_level,area,school,subject';

const USAGE = `usage: node bench/bench.mjs [options]     (npm run bench -- [options])

  --rows small|default|large  size preset: ~0.43, ~4.3 or ~26 million rows (default: default)
  --pupils N                  pupils per grade level instead of a preset (${PRESETS.default} ≈ 4.3 M rows)
  --years Y                   school years (default 5, ending 2024/25)
  --seed N                    generator seed (default: the generator's)
  --sizes                     run two sizes, half the pupils and the chosen size, to show how memory grows,
                              then gap on the chosen size with every row twice (same pupils)
  --shuffled                  then time both tools on the export with its rows in no order (a fixed
                              pseudo-random order): ska-analyze's figures must equal the ordered file's
  --runs N                    run each command N times: the median wall time and peak RSS (default 1)
  --min-group N               --min-group passed to ska-analyze (default 1: every group shows its figures)
  --threads N                 --threads passed to ska-analyze (default: its own, the machine's cores)
  --keep                      reuse a cached export even if the generator has changed since it was written
  --out DIR                   where exports and results go (default bench/out)
  -h, --help

Exports are cached in the output folder under a name made of the parameters; a re-run reuses them.`;

/**
 * @typedef {object} ExportFile
 * @property {string} path
 * @property {number} pupils pupils per grade level
 * @property {number} years
 * @property {number} rows data rows (without the header)
 * @property {number} bytes
 * @property {boolean} cached
 *
 * @typedef {object} Timing
 * @property {string} analysis
 * @property {'ska-analyze' | 'DuckDB'} tool
 * @property {'ok' | 'failed' | 'unavailable'} status
 * @property {number | null} wall_s the median run's
 * @property {number | null} peak_mb median over runs, MiB
 * @property {string} [note]
 * @property {string} [output] path of the JSON result
 * @property {Record<string, unknown>} [info] what duckdb-run.mjs printed
 *
 * @typedef {object} SizeResult
 * @property {ExportFile} file
 * @property {Timing[]} timings
 * @property {{ analysis: string, compared: number, suppressed: number, differences: string[] }[]} checks
 * @property {string[]} notes
 */

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/** @param {string} message @returns {never} */
function usageError(message) {
  process.stderr.write(`bench: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** @param {string} name @param {string | undefined} value @param {number} fallback @param {number} [min] */
function intOption(name, value, fallback, min = 1) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) usageError(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

const OPTIONS = /** @type {const} */ ({
  rows: { type: 'string' },
  pupils: { type: 'string' },
  years: { type: 'string' },
  seed: { type: 'string' },
  sizes: { type: 'boolean' },
  shuffled: { type: 'boolean' },
  runs: { type: 'string' },
  'min-group': { type: 'string' },
  threads: { type: 'string' },
  keep: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
});

function parseOptions() {
  /** @type {ReturnType<typeof parseArgs<{ options: typeof OPTIONS, strict: true }>>} */
  let parsed;
  try {
    parsed = parseArgs({ options: OPTIONS, strict: true });
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const preset = values.rows ?? 'default';
  if (preset !== 'small' && preset !== 'default' && preset !== 'large') usageError(`--rows must be small, default or large, got "${preset}"`);
  if (values.rows !== undefined && values.pupils !== undefined) usageError('give --rows or --pupils, not both');
  return {
    pupils: intOption('pupils', values.pupils, PRESETS[preset]),
    years: intOption('years', values.years, 5),
    seed: values.seed === undefined ? null : intOption('seed', values.seed, 0, 0),
    sizes: values.sizes === true,
    shuffled: values.shuffled === true,
    runs: intOption('runs', values.runs, 1),
    minGroup: intOption('min-group', values['min-group'], 1),
    threads: values.threads === undefined ? null : intOption('threads', values.threads, 1),
    keep: values.keep === true,
    out: values.out === undefined ? null : resolve(values.out),
  };
}

// ---------------------------------------------------------------------------------------------
// The export
// ---------------------------------------------------------------------------------------------

/** @param {string} path */
function fileHash(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
}

/** @param {string} path @returns {Promise<number>} lines after the header */
async function countRows(path) {
  let newlines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buffer = /** @type {Buffer} */ (chunk);
    let at = buffer.indexOf(10);
    while (at !== -1) {
      newlines++;
      at = buffer.indexOf(10, at + 1);
    }
    if (buffer.length > 0) last = buffer[buffer.length - 1] ?? 10;
  }
  return newlines + (last === 10 ? 0 : 1) - 1;
}

/**
 * @param {{ pupils: number, years: number, seed: number | null, keep: boolean }} p
 * @returns {Promise<ExportFile>}
 */
async function ensureExport(p) {
  mkdirSync(OUT, { recursive: true });
  const name = `export-p${p.pupils}-y${p.years}-l${GRADE_LEVELS.replaceAll(',', '')}${p.seed === null ? '' : `-s${p.seed}`}`;
  const path = join(OUT, `${name}.csv`);
  const metaPath = join(OUT, `${name}.json`);
  const generator = fileHash(GENERATOR);
  if (existsSync(path)) {
    /** @type {{ rows?: number, bytes?: number, generator?: string } | null} */
    let meta = null;
    try {
      meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    } catch {
      meta = null;
    }
    const bytes = statSync(path).size;
    const fresh = meta !== null && meta.generator === generator && meta.bytes === bytes;
    if (fresh || p.keep) {
      const rows = meta?.rows !== undefined && meta.bytes === bytes ? meta.rows : await countRows(path);
      say(`Reusing ${rel(path)} (${fmtInt(rows)} rows, ${fmtMB(bytes)} MB)${fresh ? '' : ', --keep: not checked against the current generator'}`);
      return { path, pupils: p.pupils, years: p.years, rows, bytes, cached: true };
    }
    say(`${rel(path)} was written by another version of the generator (or is incomplete): regenerating`);
  }
  const args = [GENERATOR, '--scale', 'long', '--out', path, '--pupils', String(p.pupils), '--years', String(p.years), '--grade-levels', GRADE_LEVELS];
  if (p.seed !== null) args.push('--seed', String(p.seed));
  say(`Generating ${rel(path)}: node ${args.map((a) => (a.startsWith(ROOT) ? rel(a) : a)).join(' ')}`);
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    throw new Error(`the generator failed (exit ${result.status})`);
  }
  const m = /: (\d+) rows, (\d+) bytes/.exec(result.stderr);
  const rows = m?.[1] ? Number(m[1]) : await countRows(path);
  const bytes = statSync(path).size;
  say(`  ${result.stderr.trim()}`);
  writeFileSync(metaPath, `${JSON.stringify({ pupils: p.pupils, years: p.years, grade_levels: GRADE_LEVELS, seed: p.seed, rows, bytes, generator }, null, 2)}\n`);
  return { path, pupils: p.pupils, years: p.years, rows, bytes, cached: false };
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/**
 * @param {'gap' | 'transition'} analysis
 * @param {ExportFile} file
 * @param {{ runs: number, minGroup: number, threads: number | null }} o
 * @returns {Promise<Timing>}
 */
async function timeSka(analysis, file, o) {
  const output = join(OUT, `ska-${analysis}-p${file.pupils}-y${file.years}.json`);
  const args = [BIN, analysis, file.path, '--format', 'json', '--quiet', '--min-group', String(o.minGroup)];
  if (analysis === 'gap') args.push('--by', GAP_BY);
  if (o.threads !== null) args.push('--threads', String(o.threads));
  args.push('-o', output);
  say(`  ska-analyze ${analysis}: node ${args.map((a) => (a.startsWith(ROOT) ? rel(a) : a)).join(' ')}`);
  /** @type {number[]} */
  const walls = [];
  /** @type {number[]} */
  const peaks = [];
  for (let run = 0; run < o.runs; run++) {
    const m = await measure(process.execPath, args, { cwd: ROOT });
    if (m.code === 2 && /unknown command/i.test(m.stderr)) {
      const note = `ska-analyze has no \`${analysis}\` command yet (exit 2: ${firstLine(m.stderr)}): skipped, not compared`;
      say(`    ${note}`);
      return { analysis, tool: 'ska-analyze', status: 'unavailable', wall_s: null, peak_mb: null, note };
    }
    if (m.code !== 0) {
      const note = `failed after ${m.wall_s.toFixed(1)} s: ${m.signal ? `killed by ${m.signal}` : `exit ${m.code}`}${m.stderr.trim() ? `: ${lastLines(m.stderr)}` : ''}`;
      say(`    ${note}`);
      return { analysis, tool: 'ska-analyze', status: 'failed', wall_s: m.wall_s, peak_mb: mb(m.peak_kb), note };
    }
    walls.push(m.wall_s);
    peaks.push(m.peak_kb ?? NaN);
    say(`    run ${run + 1}: ${m.wall_s.toFixed(2)} s, ${fmtPeak(mb(m.peak_kb))} MB`);
  }
  return { analysis, tool: 'ska-analyze', status: 'ok', wall_s: median(walls), peak_mb: mb(median(peaks)), output };
}

/**
 * @param {'gap' | 'transition'} analysis
 * @param {ExportFile} file
 * @param {{ runs: number }} o
 * @returns {Promise<Timing>}
 */
async function timeDuckDb(analysis, file, o) {
  const output = join(OUT, `duckdb-${analysis}-p${file.pupils}-y${file.years}.json`);
  const args = [DUCKDB_RUN, analysis, file.path, output];
  say(`  DuckDB ${analysis}: node ${args.map((a) => (a.startsWith(ROOT) ? rel(a) : a)).join(' ')}`);
  /** @type {number[]} */
  const walls = [];
  /** @type {number[]} */
  const peaks = [];
  /** @type {Record<string, unknown>} */
  let info = {};
  for (let run = 0; run < o.runs; run++) {
    const m = await measure(process.execPath, args, { cwd: ROOT });
    if (m.code !== 0) {
      const note = `failed after ${m.wall_s.toFixed(1)} s: ${m.signal ? `killed by ${m.signal}` : `exit ${m.code}`}${m.stderr.trim() ? `: ${lastLines(m.stderr)}` : ''}`;
      say(`    ${note}`);
      return { analysis, tool: 'DuckDB', status: 'failed', wall_s: m.wall_s, peak_mb: mb(m.peak_kb), note };
    }
    try {
      info = JSON.parse(m.stdout.trim().split('\n').pop() ?? '{}');
    } catch {
      info = {};
    }
    walls.push(m.wall_s);
    peaks.push(m.peak_kb ?? NaN);
    const query = typeof info.query_s === 'number' ? ` (query ${info.query_s.toFixed(2)} s)` : '';
    say(`    run ${run + 1}: ${m.wall_s.toFixed(2)} s${query}, ${fmtPeak(mb(m.peak_kb))} MB`);
  }
  return { analysis, tool: 'DuckDB', status: 'ok', wall_s: median(walls), peak_mb: mb(median(peaks)), output, info };
}

// ---------------------------------------------------------------------------------------------
// One size: time, compare, print
// ---------------------------------------------------------------------------------------------

/**
 * @param {ExportFile} file
 * @param {{ runs: number, minGroup: number, threads: number | null }} o
 * @returns {Promise<SizeResult>}
 */
async function runSize(file, o) {
  /** @type {Timing[]} */
  const timings = [];
  /** @type {SizeResult['checks']} */
  const checks = [];
  /** @type {string[]} */
  const notes = [];
  for (const analysis of /** @type {const} */ (['gap', 'transition'])) {
    const ska = await timeSka(analysis, file, o);
    const duck = await timeDuckDb(analysis, file, o);
    timings.push(ska, duck);
    if (ska.note) notes.push(`${analysis}: ${ska.note}`);
    if (duck.note) notes.push(`${analysis}, DuckDB: ${duck.note}`);
    if (ska.status !== 'ok' || duck.status !== 'ok' || !ska.output || !duck.output) continue;
    /** @type {{ rows?: Record<string, unknown>[] }} */
    const skaReport = JSON.parse(readFileSync(ska.output, 'utf8'));
    /** @type {{ rows: Record<string, unknown>[] }} */
    const duckReport = JSON.parse(readFileSync(duck.output, 'utf8'));
    if (!Array.isArray(skaReport.rows)) {
      checks.push({ analysis, compared: 0, suppressed: 0, differences: ['ska-analyze\'s JSON has no "rows" array'] });
      continue;
    }
    const spec = analysis === 'gap' ? GAP_SPEC : TRANSITION_SPEC;
    checks.push({ analysis, ...compareRows(spec, skaReport.rows, duckReport.rows, o.minGroup) });
  }
  timings.push(await timeReport(file, o));
  return { file, timings, checks, notes };
}

/**
 * `report`: gap, transition and trend from one read of the export (HTML), against DuckDB doing
 * the two analyses.
 * @param {ExportFile} file
 * @param {{ runs: number, minGroup: number, threads: number | null }} o
 * @returns {Promise<Timing>}
 */
async function timeReport(file, o) {
  const output = join(OUT, `ska-report-p${file.pupils}-y${file.years}.html`);
  const args = [BIN, 'report', file.path, '--quiet', '--min-group', String(o.minGroup)];
  if (o.threads !== null) args.push('--threads', String(o.threads));
  args.push('-o', output);
  say(`  ska-analyze report (both analyses, one read): node ${args.map((a) => (a.startsWith(ROOT) ? rel(a) : a)).join(' ')}`);
  /** @type {number[]} */
  const walls = [];
  /** @type {number[]} */
  const peaks = [];
  for (let run = 0; run < o.runs; run++) {
    const m = await measure(process.execPath, args, { cwd: ROOT });
    if (m.code !== 0) return { analysis: 'report', tool: 'ska-analyze', status: 'failed', wall_s: m.wall_s, peak_mb: mb(m.peak_kb), note: `report failed: exit ${m.code}` };
    walls.push(m.wall_s);
    peaks.push(m.peak_kb ?? NaN);
    say(`    run ${run + 1}: ${m.wall_s.toFixed(2)} s, ${fmtPeak(mb(m.peak_kb))} MB`);
  }
  return { analysis: 'report', tool: 'ska-analyze', status: 'ok', wall_s: median(walls), peak_mb: mb(median(peaks)), output };
}

/** @param {SizeResult} result */
function printTable(result) {
  const { file, timings } = result;
  say('');
  say(`Results: ${fmtInt(file.rows)} rows, ${fmtMB(file.bytes)} MB, ${fmtInt(file.pupils)} pupils per grade level, ${file.years} school years`);
  /** @type {string[][]} */
  const lines = [['analysis', 'tool', 'wall s', 'peak RSS MB', 'ratio ska/DuckDB']];
  /** @param {Timing | undefined} ska @param {Timing | undefined} duck */
  const ratio = (ska, duck) => {
    if (!ska || !duck || ska.status !== 'ok' || duck.status !== 'ok') return '';
    return `${fmtRatio(ska.wall_s, duck.wall_s)} time, ${fmtRatio(ska.peak_mb, duck.peak_mb)} memory`;
  };
  for (const analysis of ['gap', 'transition']) {
    const ska = timings.find((t) => t.analysis === analysis && t.tool === 'ska-analyze');
    const duck = timings.find((t) => t.analysis === analysis && t.tool === 'DuckDB');
    for (const t of [ska, duck]) {
      if (!t) continue;
      const status = t.status === 'ok' ? '' : t.status === 'unavailable' ? 'not available' : 'FAILED';
      lines.push([
        analysis,
        t.tool,
        t.status === 'ok' ? fmtWall(t.wall_s) : status,
        t.status === 'ok' ? fmtPeak(t.peak_mb) : '',
        t === ska ? ratio(ska, duck) : '',
      ]);
    }
  }
  // Both analyses, as a user would run them one after the other: wall times add, peaks do not.
  const all = (/** @type {'ska-analyze' | 'DuckDB'} */ tool) => timings.filter((t) => t.tool === tool && t.analysis !== 'report');
  if ([...all('ska-analyze'), ...all('DuckDB')].every((t) => t.status === 'ok')) {
    /** @param {'ska-analyze' | 'DuckDB'} tool @returns {Timing} */
    const both = (tool) => ({
      analysis: 'both',
      tool,
      status: 'ok',
      wall_s: all(tool).reduce((sum, t) => sum + (t.wall_s ?? 0), 0),
      peak_mb: Math.max(...all(tool).map((t) => t.peak_mb ?? 0)),
    });
    const ska = both('ska-analyze');
    const duck = both('DuckDB');
    lines.push(['both', 'ska-analyze', fmtWall(ska.wall_s), fmtPeak(ska.peak_mb), ratio(ska, duck)]);
    const report = timings.find((t) => t.analysis === 'report');
    if (report?.status === 'ok') lines.push(['both', 'ska report', fmtWall(report.wall_s), fmtPeak(report.peak_mb), `${ratio(report, duck)} (one read)`]);
    lines.push(['both', 'DuckDB', fmtWall(duck.wall_s), fmtPeak(duck.peak_mb), '']);
  }
  const widths = lines[0]?.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length))) ?? [];
  const right = [false, false, true, true, false];
  for (const [index, line] of lines.entries()) {
    say(line.map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
    if (index === 0) say(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const note of result.notes) say(`note: ${note}`);
}

/** @param {SizeResult} result @returns {boolean} true if all compared figures match */
function printChecks(result) {
  let ok = true;
  for (const check of result.checks) {
    const hidden = check.suppressed > 0 ? `; ${check.suppressed} suppressed by ska-analyze, presence only` : '';
    if (check.differences.length === 0) {
      say(`${check.analysis}: figures match (${fmtInt(check.compared)} groups${hidden})`);
    } else {
      ok = false;
      say(`${check.analysis}: FIGURES DIFFER in ${fmtInt(check.differences.length)} places (${fmtInt(check.compared)} groups compared${hidden}); the first:`);
      for (const line of check.differences.slice(0, 15)) say(`  ${line}`);
    }
  }
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Formatting and machine
// ---------------------------------------------------------------------------------------------

/** @param {string} line */
function say(line) {
  process.stdout.write(`${line}\n`);
}
/** @param {string} path */
function rel(path) {
  const r = relative(ROOT, path);
  return r.startsWith('..') ? path : r || '.';
}
/** @param {number} n */
function fmtInt(n) {
  return n.toLocaleString('en-US');
}
/** @param {number} bytes */
function fmtMB(bytes) {
  return (bytes / 1e6).toFixed(1);
}
/** @param {number | null} kb @returns {number | null} MiB */
function mb(kb) {
  return kb === null || !Number.isFinite(kb) ? null : kb / 1024;
}
/** @param {number | null} s */
function fmtWall(s) {
  return s === null ? '?' : s.toFixed(2);
}
/** @param {number | null} m */
function fmtPeak(m) {
  return m === null ? '?' : m.toFixed(0);
}
/** @param {number | null} a @param {number | null} b */
function fmtRatio(a, b) {
  return a === null || b === null || b === 0 ? '?' : `${(a / b).toFixed(1)}×`;
}
/** @param {string} text */
function firstLine(text) {
  return text.trim().split('\n')[0] ?? '';
}
/** @param {string} text */
function lastLines(text) {
  return text.trim().split('\n').slice(-3).join(' | ');
}

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) cpu = m[1].trim();
  } catch {
    // not Linux
  }
  /** @param {string} path */
  const version = (path) => {
    try {
      return String(JSON.parse(readFileSync(join(ROOT, path), 'utf8')).version);
    } catch {
      return '?';
    }
  };
  return {
    cpus: os.availableParallelism(),
    cpu,
    ramGB: os.totalmem() / 2 ** 30,
    node: process.version,
    ska: version('package.json'),
    duckdb: version('node_modules/@duckdb/node-api/package.json'),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Rows without pupils: the same export with every data row written twice. The figures must be
 * identical (the second copies are duplicates) and memory should barely move, because the tool
 * keeps one record per pupil × school year × subject, not one per row.
 * @param {SizeResult} result
 * @param {{ runs: number, minGroup: number, threads: number | null }} o
 * @returns {Promise<boolean>}
 */
async function doubledRows(result, o) {
  const single = result.timings.find((t) => t.analysis === 'gap' && t.tool === 'ska-analyze');
  if (!single || single.status !== 'ok' || !single.output) return true;
  const doubledPath = join(OUT, `doubled-p${result.file.pupils}-y${result.file.years}.csv`);
  const text = readFileSync(result.file.path);
  const headerEnd = text.indexOf(10) + 1;
  writeFileSync(doubledPath, Buffer.concat([text, text.subarray(headerEnd)]));
  const singleRows = JSON.parse(readFileSync(single.output, 'utf8')).rows;
  say('');
  say(`Same pupils, every row twice (${fmtInt(result.file.rows * 2)} rows): ska-analyze gap`);
  const doubled = await timeSka('gap', { ...result.file, path: doubledPath, years: `${result.file.years}-doubled` }, o);
  const same = doubled.status === 'ok' && doubled.output !== undefined && JSON.stringify(JSON.parse(readFileSync(doubled.output, 'utf8')).rows) === JSON.stringify(singleRows);
  say(`  peak RSS ${fmtPeak(doubled.peak_mb)} MB against ${fmtPeak(single.peak_mb)} MB for the single file; wall ${fmtWall(doubled.wall_s)} s; figures ${same ? 'identical' : 'DIFFER'}`);
  return same;
}

/**
 * The export with its data rows in a fixed pseudo-random order (the header first), written beside
 * it and reused while it is newer than the export.
 * @param {ExportFile} file
 * @returns {Promise<string>} its path
 */
async function shuffledExport(file) {
  const path = join(OUT, `shuffled-p${file.pupils}-y${file.years}.csv`);
  if (existsSync(path) && statSync(path).mtimeMs >= statSync(file.path).mtimeMs) {
    say(`Reusing ${rel(path)}`);
    return path;
  }
  const text = readFileSync(file.path);
  const headerEnd = text.indexOf(10) + 1;
  /** @type {number[]} */
  const starts = [];
  for (let at = headerEnd; at < text.length; ) {
    const newline = text.indexOf(10, at);
    starts.push(at);
    at = newline < 0 ? text.length : newline + 1;
  }
  starts.push(text.length);
  const order = Uint32Array.from({ length: starts.length - 1 }, (_, i) => i);
  // The demo generator's seeded generator: the same shuffled file on every machine.
  const { mulberry32 } = await import(pathToFileURL(GENERATOR).href);
  const random = mulberry32(11);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text.subarray(0, headerEnd));
    /** @type {Buffer[]} */
    let pieces = [];
    let size = 0;
    for (const line of order) {
      const piece = text.subarray(starts[line] ?? 0, starts[line + 1] ?? 0);
      pieces.push(piece);
      size += piece.length;
      // The last line may have no newline of its own: every line gets one here.
      if (piece[piece.length - 1] !== 10) {
        pieces.push(Buffer.from('\n'));
        size++;
      }
      if (size >= 1 << 23) {
        writeSync(fd, Buffer.concat(pieces, size));
        pieces = [];
        size = 0;
      }
    }
    if (size > 0) writeSync(fd, Buffer.concat(pieces, size));
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  say(`Wrote ${rel(path)} (${fmtInt(order.length)} rows in a fixed pseudo-random order)`);
  return path;
}

/**
 * Rows in no order: both tools on the shuffled export. ska-analyze's figures must be identical to
 * the ordered file's (the order of the rows never changes a figure) and DuckDB's must match them.
 * @param {SizeResult} result the ordered export's
 * @param {{ runs: number, minGroup: number, threads: number | null }} o
 * @returns {Promise<boolean>}
 */
async function shuffledRows(result, o) {
  say('');
  const file = { ...result.file, path: await shuffledExport(result.file), years: `${result.file.years}-shuffled` };
  say(`Timing on ${rel(file.path)}, the same rows in no order${o.runs > 1 ? `, best of ${o.runs} runs` : ''}:`);
  /** @type {Timing[]} */
  const timings = [];
  /** @type {SizeResult['checks']} */
  const checks = [];
  let ok = true;
  for (const analysis of /** @type {const} */ (['gap', 'transition'])) {
    const ska = await timeSka(analysis, file, o);
    const duck = await timeDuckDb(analysis, file, o);
    timings.push(ska, duck);
    const ordered = result.timings.find((t) => t.analysis === analysis && t.tool === 'ska-analyze');
    if (ska.status !== 'ok' || !ska.output || !ordered?.output) {
      ok = false;
      continue;
    }
    const rows = JSON.parse(readFileSync(ska.output, 'utf8')).rows;
    const same = JSON.stringify(rows) === JSON.stringify(JSON.parse(readFileSync(ordered.output, 'utf8')).rows);
    if (!same) ok = false;
    say(`    ska-analyze ${analysis}: figures ${same ? 'identical to the ordered file\'s' : 'DIFFER from the ordered file\'s'}`);
    if (duck.status === 'ok' && duck.output) checks.push({ analysis, ...compareRows(analysis === 'gap' ? GAP_SPEC : TRANSITION_SPEC, rows, JSON.parse(readFileSync(duck.output, 'utf8')).rows, o.minGroup) });
  }
  // (The table names the ordered export's size: the same rows.)
  const shuffled = { file: result.file, timings, checks, notes: [] };
  say('');
  say('Rows in no order:');
  printTable(shuffled);
  if (!printChecks(shuffled)) ok = false;
  if (timings.some((t) => t.status === 'failed')) ok = false;
  return ok;
}

async function main() {
  const o = parseOptions();
  if (o.out !== null) OUT = o.out;
  for (const [path, hint] of /** @type {[string, string][]} */ ([
    [BIN, 'bin/ska-analyze.js is missing'],
    [join(ROOT, 'dist', 'cli.js'), 'dist/ is missing: run `npm run build` (npm install does it)'],
    [GENERATOR, 'build/scripts/demo/generate.js is missing: run `npm run build:scripts`'],
  ])) {
    if (!existsSync(path)) usageError(hint);
  }
  const m = machine();
  const built = statSync(join(ROOT, 'dist', 'cli.js')).mtime.toISOString().replace(/\.\d+Z$/, 'Z');
  say(`ska-analyze benchmark: ska-analyze ${m.ska} (dist/ built ${built}), @duckdb/node-api ${m.duckdb}, node ${m.node}`);
  say(`machine: ${m.cpus} CPUs (${m.cpu}), ${m.ramGB.toFixed(1)} GiB RAM, ${m.platform}; peak RSS via ${rssMethod() === 'gnu-time' ? '/usr/bin/time' : '/proc VmHWM'}`);
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  say(`load average before: ${load()} (other work on the machine slows the timings, DuckDB's most: it uses every core)`);

  const sizes = o.sizes ? [Math.max(1, Math.round(o.pupils / 2)), o.pupils] : [o.pupils];
  /** @type {SizeResult[]} */
  const results = [];
  for (const pupils of sizes) {
    const file = await ensureExport({ pupils, years: o.years, seed: o.seed, keep: o.keep });
    say(`Timing on ${rel(file.path)}${o.runs > 1 ? `, best of ${o.runs} runs` : ''}:`);
    results.push(await runSize(file, o));
  }

  let ok = true;
  for (const result of results) {
    printTable(result);
    if (!printChecks(result)) ok = false;
    if (result.timings.some((t) => t.status === 'failed')) ok = false;
  }
  if (results.length > 1) {
    say('');
    say('Memory against size (peak RSS MB):');
    const lines = [['rows', 'pupils/level', ...results[0]?.timings.map((t) => `${t.analysis} ${t.tool}`) ?? []]];
    for (const r of results) {
      lines.push([fmtInt(r.file.rows), fmtInt(r.file.pupils), ...r.timings.map((t) => (t.status === 'ok' ? fmtPeak(t.peak_mb) : '-'))]);
    }
    const widths = lines[0]?.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length))) ?? [];
    for (const line of lines) say(line.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
    const last = results[results.length - 1];
    if (last && !(await doubledRows(last, o))) ok = false;
  }
  const chosen = results[results.length - 1];
  if (o.shuffled && chosen && !(await shuffledRows(chosen, o))) ok = false;
  say('');
  say(`load average after: ${load()}`);
  say(ok ? 'bench: done' : 'bench: FAILED (see above)');
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
