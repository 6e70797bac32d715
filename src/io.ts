/**
 * The program's connection to the outside: where the report and the diagnostics go, where stdin
 * comes from, and the environment. `bin/` passes the real process; tests pass in-memory streams
 * and call `main` directly, so nothing below `cli.ts` touches `process` for input or output.
 */

/** Just what the program writes with: a Node stream (process.stdout) or a collector in a test. */
export interface TextSink {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  isTTY?: boolean;
  /** The terminal's width in characters, when it is a terminal: tables and prose are fitted to it. */
  columns?: number;
  /** Its file descriptor (process.stderr: 2), for the spinner drawn from a thread of its own. */
  fd?: number;
}

export interface Io {
  stdout: TextSink;
  stderr: TextSink;
  stdin: AsyncIterable<Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
}

/** Thrown when stdout's reader went away (`… | head`): the run ends quietly with exit 0. */
export class ClosedPipe extends Error {
  constructor() {
    super('stdout closed');
    this.name = 'ClosedPipe';
  }
}

/** Write one piece and wait until it is handed over; a closed pipe becomes ClosedPipe. */
export function writeTo(sink: TextSink, text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    sink.write(text, (error) => {
      if (!error) return resolve();
      const code = (error as NodeJS.ErrnoException).code;
      reject(code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' ? new ClosedPipe() : error);
    });
  });
}

/** The real process, for bin/. */
export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
