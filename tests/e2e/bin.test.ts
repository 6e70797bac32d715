/**
 * The built program started as a user starts it (node bin/ska-analyze.js, which imports dist/:
 * `npm run build` first; npm test does). Every other CLI test calls `main` in-process; these are
 * the checks only a real process can make: its exit status, stdin and stdout as real pipes, a
 * reader that goes away, colour decided from the real environment, and limits and privileges
 * that apply to a process.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, run, runIn } from '../cli/run.js';

const STACK = /^\s+at /m;
const hasBash = spawnSync('bash', ['-c', 'true']).status === 0;
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The environment of this process without the colour variables, so that each test sets its own. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...env } = process.env;
  return { ...env, ...extra };
}

/** A shell line run by bash in the repository root, with colour off. */
function sh(line: string): SpawnSyncReturns<string> {
  return spawnSync('bash', ['-c', line], { cwd: ROOT, env: plainEnv({ NO_COLOR: '1' }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const dir = mkdtempSync(join(tmpdir(), 'ska-e2e-'));
// Copies of the demo data for the tests that write files, so that a bug could only ever damage these.
const exports = join(dir, 'exports');
const areas = join(dir, 'skolomraden.csv');

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before these tests (npm test does)');
  cpSync(join(ROOT, 'fixtures/demo/exports'), exports, { recursive: true });
  cpSync(join(ROOT, 'fixtures/demo/skolomraden.csv'), areas);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built program, started as a user starts it', () => {
  it('exits with the process status 0 (--version, --help), 2 (a usage mistake) or 4 (no figures), without a stack trace', () => {
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    expect(version.stderr).toBe('');
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Användning: ska-analyze');
    for (const command of ['gap', 'transition', 'trend', 'report', 'init', 'inspect']) expect(help.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    const usage = run(['report', 'fixtures/demo/exports', '--format', 'pdf', '-q']);
    expect(usage.status).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toContain("fel: flaggan '--format <format>' kan inte ha värdet 'pdf'. Möjliga värden är html, md.");
    const missing = run(['gap', 'nope.csv', '-q']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('ska-analyze: nope.csv: filen finns inte\n');
    const none = run(['gap', 'fixtures/demo/exports/bedomningar_ak5.csv', '-q']);
    expect(none.status).toBe(4);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^ska-analyze: inga siffror: inget lärarbetyg kunde paras ihop med ett provbetyg/);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    for (const result of [version, help, usage, missing, none]) expect(result.stderr).not.toMatch(STACK);
  });

  it('reads `-` from a real pipe, in many pieces, exactly as from one piece in-process', async () => {
    // 1.7 MB of Windows-1252: the pipe hands it over in 64 KiB pieces, split inside lines and characters.
    const input = readFileSync(join(ROOT, 'fixtures/demo/exports/betyg_ak6_ak9.csv'));
    expect(input.length).toBeGreaterThan(1024 * 1024);
    const piped = run(['inspect', '-', '--format', 'json'], { input });
    expect(piped.status).toBe(0);
    const files = (JSON.parse(piped.stdout) as { files: { rows: { read: number; accepted: number } }[] }).files;
    expect(files).toHaveLength(1);
    expect(files[0]!.rows.accepted).toBeGreaterThan(10_000);
    const inProcess = await runIn(['inspect', '-', '--format', 'json'], { input });
    expect(inProcess.status).toBe(0);
    expect(piped.stdout).toBe(inProcess.stdout);
    expect(piped.stderr).toBe(inProcess.stderr);
  });

  it.skipIf(!hasBash)('ends quietly with exit 0 when the reader goes away (| head -n 1)', () => {
    // The JSON is about 1 MB, far more than a pipe holds: the program is still writing when head exits.
    const result = sh(`set -o pipefail; ${quote(process.execPath)} ${quote(BIN)} gap fixtures/demo/exports --format json --quiet | head -n 1`);
    expect(result.stdout).toBe('{\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('colours with FORCE_COLOR=1; never with NO_COLOR=1 (even when forced), nor into a pipe by default', () => {
    const inspect = (env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, 'inspect', 'fixtures/demo/exports/np_ak9.csv'], { cwd: ROOT, env: plainEnv(env), encoding: 'utf8' });
    const ESC = '\u001b[';
    const forced = inspect({ FORCE_COLOR: '1' });
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain(`${ESC}1mfixtures/demo/exports/np_ak9.csv`);
    const off = inspect({ NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(off.status).toBe(0);
    expect(off.stdout).not.toContain(ESC);
    expect(off.stderr).not.toContain(ESC);
    // Same text, colour aside.
    expect(forced.stdout.replace(/\u001b\[\d+m/g, '')).toBe(off.stdout);
    const piped = inspect({});
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toContain(ESC);
    expect(piped.stdout).toBe(off.stdout);
  });
});

describe('a failed write leaves the old file', () => {
  // Exceeding RLIMIT_FSIZE sends SIGXFSZ; Node ignores it from the start, so write() fails with EFBIG.
  it.skipIf(!hasBash)('under a file-size limit (ulimit -f 8): exit 2, "cannot be written", old file unchanged, no temporary file', () => {
    const folder = mkdtempSync(join(dir, 'efbig-'));
    const out = join(folder, 'gap.txt');
    writeFileSync(out, 'last spring\'s report\n');
    const result = sh(`ulimit -f 8; exec ${quote(process.execPath)} ${quote(BIN)} gap ${quote(exports)} --areas ${quote(areas)} -q -o ${quote(out)}`);
    expect(result.signal).toBeNull();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${out}: kan inte skrivas (filen skulle bli större än gränsen för filstorlek)`);
    expect(readFileSync(out, 'utf8')).toBe('last spring\'s report\n');
    expect(readdirSync(folder)).toEqual(['gap.txt']);
  });

  // root writes into a read-only folder anyway: then the child runs without the capabilities that allow it.
  const root = process.getuid?.() === 0;
  const prefix = root ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search'] : [];
  const canDrop = !root || spawnSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', 'true']).status === 0;

  it.skipIf(!canDrop)('into a read-only folder: "cannot be written (permission denied)", nothing left there', () => {
    const folder = join(dir, 'read-only');
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    const out = join(folder, 'inspect.txt');
    const [program = process.execPath, ...rest] = [...prefix, process.execPath, BIN, 'inspect', exports, '-q', '-o', out];
    const result = spawnSync(program, rest, { cwd: ROOT, env: plainEnv({ NO_COLOR: '1' }), encoding: 'utf8' });
    chmodSync(folder, 0o755);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`ska-analyze: ${out}: kan inte skrivas (behörighet saknas)`);
    expect(readdirSync(folder)).toEqual([]);
  });
});
