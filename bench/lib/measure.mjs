// @ts-check
/**
 * Runs a command in a fresh child process and measures its wall time and peak RSS.
 *
 * Peak RSS: GNU time (`/usr/bin/time -f %M`, the child's maximum resident set size) where it
 * works; otherwise the child's VmHWM ("high water mark" of RSS) from /proc/PID/status, read by a
 * tiny hook inside the child just before it exits (bench/lib/hwm-hook.mjs, loaded with
 * NODE_OPTIONS=--import, so only for node children) and by polling every 50 ms from here; the
 * larger of the two. Wall time is measured here, around the spawn.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * @typedef {object} Measurement
 * @property {number | null} code exit code (null if killed by a signal)
 * @property {string | null} signal the signal that ended the command, if one did
 * @property {number} wall_s wall time in seconds
 * @property {number | null} peak_kb peak RSS in KiB (null if it could not be measured)
 * @property {string} stdout
 * @property {string} stderr
 * @property {'gnu-time' | 'proc'} method how peak RSS was measured
 */

const TIME = '/usr/bin/time';
const HOOK = new URL('./hwm-hook.mjs', import.meta.url);
const KEEP_OUTPUT = 64 * 1024;

/** @type {'gnu-time' | 'proc' | undefined} */
let cachedMethod;

/** Children running now, so an interrupted benchmark can end them too. */
const running = new Set();
/** Their scratch folders. @type {Set<string>} */
const scratch = new Set();
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    for (const child of running) child.kill('SIGTERM');
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });
}

/** GNU time if it is there and understands -f/-o (BusyBox's may not); `SKA_BENCH_RSS=proc` forces the fallback. */
export function rssMethod() {
  if (cachedMethod) return cachedMethod;
  cachedMethod = 'proc';
  if (process.env.SKA_BENCH_RSS !== 'proc' && existsSync(TIME)) {
    const dir = mkdtempSync(join(tmpdir(), 'ska-bench-'));
    try {
      const out = join(dir, 'probe');
      const probe = spawnSync(TIME, ['-f', '%e %M', '-o', out, process.execPath, '-e', ''], { stdio: 'ignore' });
      if (probe.status === 0 && /^\d+(\.\d+)? \d+\s*$/m.test(readFileSync(out, 'utf8'))) cachedMethod = 'gnu-time';
    } catch {
      // fall back to /proc
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return cachedMethod;
}

/** @param {string} text @returns {number | null} VmHWM in KiB */
function parseHwm(text) {
  const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(text);
  return m?.[1] ? Number(m[1]) : null;
}

/** Keeps the last `KEEP_OUTPUT` characters of a stream. */
function collector() {
  let text = '';
  return {
    /** @param {Buffer} chunk */
    add(chunk) {
      text += chunk.toString('utf8');
      if (text.length > 2 * KEEP_OUTPUT) text = text.slice(-KEEP_OUTPUT);
    },
    get text() {
      return text.length > KEEP_OUTPUT ? text.slice(-KEEP_OUTPUT) : text;
    },
  };
}

/**
 * @param {string} command executable (for the /proc fallback's exit hook: a node binary)
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<Measurement>}
 */
export async function measure(command, args, options = {}) {
  const method = rssMethod();
  const dir = mkdtempSync(join(tmpdir(), 'ska-bench-'));
  scratch.add(dir);
  const report = join(dir, 'rss');
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env };
  let file = command;
  let argv = [...args];
  if (method === 'gnu-time') {
    file = TIME;
    argv = ['-f', '%e %M', '-o', report, command, ...args];
  } else {
    env.SKA_BENCH_HWM_FILE = report;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${HOOK.href}`.trim();
  }
  const out = collector();
  const err = collector();
  const started = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('close', () => running.delete(child));
  child.stdout.on('data', out.add);
  child.stderr.on('data', err.add);
  let polled = 0;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  if (method === 'proc' && child.pid !== undefined) {
    const status = `/proc/${child.pid}/status`;
    timer = setInterval(() => {
      try {
        polled = Math.max(polled, parseHwm(readFileSync(status, 'utf8')) ?? 0);
      } catch {
        // the process has just exited
      }
    }, 50);
  }
  /** @type {[number | null, string | null]} */
  const [code, signal] = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  }).catch((error) => {
    if (timer) clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const wall = (performance.now() - started) / 1000;
  if (timer) clearInterval(timer);

  /** @type {number | null} */
  let peak = null;
  /** @type {string | null} */
  let killedBy = signal;
  try {
    const text = readFileSync(report, 'utf8');
    if (method === 'gnu-time') {
      // GNU time runs the command as its child: a signal that ends it is reported here.
      const killed = /Command terminated by signal (\d+)/.exec(text);
      if (killed?.[1]) killedBy = `signal ${killed[1]}`;
      // The last line is "%e %M"; GNU time writes "Command exited with non-zero status N" before it.
      const m = /(\d+(?:\.\d+)?) (\d+)\s*$/.exec(text.trim());
      peak = m?.[2] ? Number(m[2]) : null;
    } else {
      peak = Number(text.trim()) || null;
    }
  } catch {
    // no report: killed, or the hook could not run
  }
  if (method === 'proc') peak = Math.max(peak ?? 0, polled) || null;
  rmSync(dir, { recursive: true, force: true });
  scratch.delete(dir);
  return { code, signal: killedBy, wall_s: wall, peak_kb: peak, stdout: out.text, stderr: err.text, method };
}
