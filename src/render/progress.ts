import { Worker } from 'node:worker_threads';
import type { Lang } from './format.js';

/**
 * A progress bar for long reads, on stderr, only on a terminal (never in pipes, files or CI logs)
 * and never with --quiet. Redrawn at most five times a second; cleared when reading ends.
 */
export interface Progress {
  update(file: string, done: number, total: number | undefined): void;
  done(): void;
}

const WIDTH = 24;
const MIN_BYTES = 32 * 1024 * 1024;

export function makeProgress(stream: { isTTY?: boolean; write(text: string): unknown }, enabled: boolean, now: () => number = () => Date.now()): Progress | null {
  if (!enabled || !stream.isTTY) return null;
  let last = 0;
  let drawn = false;
  return {
    update(file, done, total) {
      if (total !== undefined && total < MIN_BYTES) return;
      const time = now();
      if (time - last < 200) return;
      last = time;
      const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
      let bar = '';
      if (total) {
        const filled = Math.round((WIDTH * Math.min(done, total)) / total);
        bar = `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${String(Math.floor((100 * done) / total)).padStart(3)} % `;
      }
      stream.write(`\r${bar}${file} ${mb(done)}${total ? `/${mb(total)}` : ''} MB\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}

/** The stages after reading that can take seconds on a big export. */
type Phase = 'analyse' | 'write';

const PHASE_TEXT: Readonly<Record<Lang, Readonly<Record<Phase, string>>>> = {
  sv: { analyse: 'analyserar…', write: 'skriver rapport…' },
  en: { analyse: 'analysing…', write: 'writing the report…' },
};

const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/**
 * The status line: a spinner frame, the phase, and the seconds it has taken so far.
 * @internal (also used by tests)
 */
export function phaseLine(text: string, frame: number, elapsedMs: number): string {
  const seconds = Math.floor(elapsedMs / 1000);
  return `\r${FRAMES[frame % FRAMES.length] ?? ''} ${text}${seconds >= 1 ? ` ${seconds} s` : ''}\u001b[K`;
}

/**
 * What the run is doing after reading, on a terminal's stderr: the phase and a spinner, shown
 * once a phase has lasted `delay` ms (a short run shows nothing). Never off a terminal or with -q.
 */
export interface Phases {
  /** A phase begins; once the line shows, it changes at once. */
  start(phase: Phase): void;
  /** The line is cleared (before anything else is written to the terminal). */
  stop(): void;
  /** Cleared, and the spinner's thread ended. */
  close(): void;
}

export interface PhaseStream {
  isTTY?: boolean;
  /** A file descriptor to draw on from a thread of its own (process.stderr has 2). */
  fd?: number;
  write(text: string): unknown;
}

/**
 * The analysis is synchronous: while it runs, this thread's timers cannot fire. So where the
 * stream has a file descriptor, the spinner is drawn by a small worker thread that writes to it
 * directly; a lock in shared memory keeps its writes and this thread's apart, so that after
 * stop() nothing more is drawn. Without a descriptor (tests), a timer of this thread draws.
 */
export function makePhases(stream: PhaseStream, enabled: boolean, lang: Lang, timing: { delay?: number; interval?: number } = {}): Phases | null {
  if (!enabled || !stream.isTTY) return null;
  const delay = timing.delay ?? 1000;
  const interval = timing.interval ?? 100;
  return typeof stream.fd === 'number' ? threadPhases(stream, stream.fd, lang, delay, interval) : timerPhases(stream, lang, delay, interval);
}

function timerPhases(stream: PhaseStream, lang: Lang, delay: number, interval: number): Phases {
  let current: { text: string; since: number } | null = null;
  let drawn = false;
  let frame = 0;
  const draw = () => {
    if (!current) return;
    const elapsed = Date.now() - current.since;
    if (!drawn && elapsed < delay) return;
    stream.write(phaseLine(current.text, frame++, elapsed));
    drawn = true;
  };
  const timer = setInterval(draw, interval);
  timer.unref();
  const clear = () => {
    if (drawn) stream.write('\r\u001b[K');
    drawn = false;
  };
  return {
    start(phase) {
      current = { text: PHASE_TEXT[lang][phase], since: Date.now() };
      if (drawn) draw();
    },
    stop() {
      current = null;
      clear();
    },
    close() {
      current = null;
      clear();
      clearInterval(timer);
    },
  };
}

// Shared state between this thread and the spinner's: the phase generation now showing (0: none),
// the lock, and whether the line is drawn.
const GEN = 0;
const LOCK = 1;
const DRAWN = 2;

/** The spinner thread (CommonJS, run with `eval`): draws the current phase while it is the one set. */
const SPINNER = `
const { workerData, parentPort } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.buffer);
const frames = ${JSON.stringify(FRAMES)};
let current = null;
let frame = 0;
parentPort.on('message', (message) => { current = message; });
setInterval(() => {
  if (current === null || Atomics.compareExchange(state, ${LOCK}, 0, 1) !== 0) return;
  try {
    if (Atomics.load(state, ${GEN}) !== current.gen) return;
    const elapsed = Date.now() - current.since;
    if (Atomics.load(state, ${DRAWN}) === 0 && elapsed < workerData.delay) return;
    const seconds = Math.floor(elapsed / 1000);
    writeSync(workerData.fd, '\\r' + frames[frame++ % frames.length] + ' ' + current.text + (seconds >= 1 ? ' ' + seconds + ' s' : '') + '\\u001b[K');
    Atomics.store(state, ${DRAWN}, 1);
  } catch {
    // The terminal went away: nothing to draw on.
  } finally {
    Atomics.store(state, ${LOCK}, 0);
    Atomics.notify(state, ${LOCK});
  }
}, workerData.interval);
`;

function threadPhases(stream: PhaseStream, fd: number, lang: Lang, delay: number, interval: number): Phases {
  const state = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  let worker: Worker | null = null;
  let closed = false;
  /** The thread, started with the first phase (a run that ends before one starts none). */
  const spinner = (): Worker | null => {
    if (worker === null && !closed) {
      worker = new Worker(SPINNER, { eval: true, workerData: { buffer: state.buffer, fd, delay, interval } });
      worker.unref();
      // A spinner that cannot start is no reason to fail the run.
      worker.on('error', () => undefined);
    }
    return worker;
  };
  let gen = 0;
  /** Run `fn` while the spinner cannot draw. */
  const locked = (fn: () => void) => {
    while (Atomics.compareExchange(state, LOCK, 0, 1) !== 0) Atomics.wait(state, LOCK, 1, 5);
    try {
      fn();
    } finally {
      Atomics.store(state, LOCK, 0);
    }
  };
  const clear = () => {
    if (Atomics.load(state, DRAWN) === 1) stream.write('\r\u001b[K');
    Atomics.store(state, DRAWN, 0);
  };
  return {
    start(phase) {
      const text = PHASE_TEXT[lang][phase];
      const since = Date.now();
      gen++;
      locked(() => {
        Atomics.store(state, GEN, gen);
        if (Atomics.load(state, DRAWN) === 1) stream.write(phaseLine(text, 0, 0));
      });
      spinner()?.postMessage({ gen, text, since });
    },
    stop() {
      locked(() => {
        Atomics.store(state, GEN, 0);
        clear();
      });
    },
    close() {
      this.stop();
      closed = true;
      void worker?.terminate();
      worker = null;
    },
  };
}
