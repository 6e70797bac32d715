/**
 * Run the built binary (npm test builds before vitest runs) with colour off, as a user would.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/ska-analyze.js', import.meta.url));

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export function run(args: readonly string[], options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    status: result.status,
    stdout: result.stdout.toString('utf8'),
    stderr: result.stderr.toString('utf8'),
    stdoutBytes: result.stdout,
  };
}

/** A stdout/stderr stand-in that collects what is written (as a terminal would not: no TTY). */
export class Collector {
  private readonly chunks: string[] = [];
  isTTY = false;
  columns: number | undefined = undefined;
  write(chunk: string, callback?: (error?: Error | null) => void): boolean {
    this.chunks.push(chunk);
    callback?.();
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

export interface InProcessOptions {
  /** stdin's bytes (for `-`). */
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
}

/**
 * Run the CLI's `main` in this process, as the built program would run, but without starting
 * one: stdout and stderr collected, colour off unless `env` says otherwise.
 */
export async function runIn(args: readonly string[], options: InProcessOptions = {}): Promise<RunResult> {
  const { main } = await import('../../src/cli.js');
  const stdout = new Collector();
  const stderr = new Collector();
  const input = options.input;
  const stdin = (async function* () {
    if (input !== undefined) yield typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  })();
  const status = await main(args, { stdout, stderr, stdin, env: { NO_COLOR: '1', ...options.env } });
  return { status, stdout: stdout.text, stderr: stderr.text, stdoutBytes: Buffer.from(stdout.text, 'utf8') };
}
