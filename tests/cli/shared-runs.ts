/**
 * In-process runs shared by the tests of one file: a command line that several tests run is run
 * once. Each test file gets its own module instance, so the cache never crosses files.
 *
 * Only for runs that read and print; a run that writes a file (-o) is run with runIn itself.
 */
import { type InProcessOptions, type RunResult, runIn } from './run.js';

const cache = new Map<string, Promise<RunResult>>();

/** runIn(args, options), once per distinct command line, input and env in this test file. */
export function runOnce(args: readonly string[], options: InProcessOptions = {}): Promise<RunResult> {
  const input = options.input === undefined ? null : Buffer.from(options.input).toString('base64');
  const key = JSON.stringify([args, options.env ?? {}, input]);
  let result = cache.get(key);
  if (result === undefined) {
    result = runIn(args, options);
    cache.set(key, result);
  }
  return result;
}

/** beforeAll's timeout for hooks that run the program on the demo data (vitest's default is 10 s). */
export const HOOK_TIMEOUT = 60_000;
