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
