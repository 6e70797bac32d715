/**
 * -o/--output never destroys data: it refuses to write onto an input (also through a symlink or
 * a hard link), writes through a temporary file and a rename (a failed write leaves the old file
 * and no temporary file), and `-o -` is stdout.
 */
import { chmodSync, copyFileSync, cpSync, existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/write-output.js';
import { ROOT, runIn } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'ska-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Copies of the demo data, so that a bug could only ever damage these.
const exports = join(dir, 'exports');
cpSync(join(ROOT, 'fixtures/demo/exports'), exports, { recursive: true });
const areas = join(dir, 'skolomraden.csv');
copyFileSync(join(ROOT, 'fixtures/demo/skolomraden.csv'), areas);
const reference = join(dir, 'referens.csv');
copyFileSync(join(ROOT, 'fixtures/skolverket/simple-example.csv'), reference);
const config = join(dir, 'ska.config.json');
writeFileSync(config, '{ "min_group": 10 }\n');
const np9 = join(exports, 'np_ak9.csv');
const grades = join(exports, 'betyg_ak6_ak9.csv');

const bytes = (file: string) => readFileSync(file);
/** Files in a folder that look like this tool's temporary files. */
const temporaries = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.tmp'));

/** Run, expect a refusal naming both paths, and the input's bytes unchanged. */
async function expectRefused(args: string[], output: string, input: string): Promise<void> {
  const before = bytes(input);
  const result = await runIn([...args, '-o', output, '-q']);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(`--output ${output} är indatafilen ${input}`);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(bytes(input).equals(before)).toBe(true);
  expect(temporaries(exports)).toEqual([]);
  expect(temporaries(dir)).toEqual([]);
}

describe('-o never writes onto an input', () => {
  it('an export given as a file', async () => {
    await expectRefused(['gap', np9, grades, '--areas', areas], np9, np9);
  });

  it('an export found in a folder given', async () => {
    await expectRefused(['gap', exports, '--areas', areas], grades, grades);
    await expectRefused(['inspect', exports], np9, np9);
    await expectRefused(['transition', exports], join(exports, 'bedomningar_ak5.csv'), join(exports, 'bedomningar_ak5.csv'));
    await expectRefused(['trend', exports], np9, np9);
  });

  it('the --areas file', async () => {
    await expectRefused(['gap', exports, '--areas', areas], areas, areas);
  });

  it('the --config file', async () => {
    await expectRefused(['transition', exports, '--config', config], config, config);
  });

  it('a --reference file (gap and report)', async () => {
    await expectRefused(['gap', exports, '--reference', reference], reference, reference);
    await expectRefused(['report', exports, '--reference', reference, '--format', 'md'], reference, reference);
  });

  it('the --compare-with file', async () => {
    const last = join(dir, 'last.json');
    expect((await runIn(['gap', exports, '--school-years', '..2023/24', '--format', 'json', '-q', '-o', last])).status).toBe(0);
    await expectRefused(['gap', exports, '--compare-with', last, '--format', 'json'], last, last);
  });

  it('through a symlink to an export', async () => {
    const link = join(dir, 'link.csv');
    symlinkSync(np9, link);
    await expectRefused(['gap', exports], link, np9);
  });

  it('through a hard link to an export', async () => {
    const hard = join(dir, 'hard.csv');
    linkSync(grades, hard);
    await expectRefused(['gap', exports], hard, grades);
  });

  it('init --force -o <export> is refused too', async () => {
    await expectRefused(['init', exports, '--force'], np9, np9);
  });
});

describe('-o - is stdout', () => {
  const dash = join(ROOT, '-');
  it.each([
    ['gap', [exports, '--areas', areas]],
    ['transition', [exports]],
    ['trend', [exports]],
    ['report', [exports, '--format', 'md']],
    ['inspect', [exports]],
  ])('%s -o - writes what it writes without -o, and no file named "-"', async (command, args) => {
    const plain = await runIn([command, ...args, '-q']);
    const dashed = await runIn([command, ...args, '-q', '-o', '-']);
    expect(dashed.status).toBe(0);
    expect(dashed.stdout.length).toBeGreaterThan(0);
    expect(dashed.stdout).toBe(plain.stdout);
    expect(dashed.stderr).toBe('');
    expect(existsSync(dash)).toBe(false);
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });
});

describe('a file output is written through a temporary file', () => {
  it('replaces an existing file, keeps its mode and leaves no temporary file', async () => {
    const folder = mkdtempSync(join(dir, 'replace-'));
    const out = join(folder, 'inspect.json');
    writeFileSync(out, 'old\n');
    chmodSync(out, 0o600);
    const result = await runIn(['inspect', exports, '--format', 'json', '-o', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveProperty('files');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(['inspect.json']);
  });

  it('gives a new file the usual permissions (0o666 less the umask)', async () => {
    const folder = mkdtempSync(join(dir, 'new-'));
    const out = join(folder, 'inspect.txt');
    expect((await runIn(['inspect', exports, '-o', out])).status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o666 & ~process.umask());
    expect(readdirSync(folder)).toEqual(['inspect.txt']);
  });

  it('writes through a symlink that is not an input: the link stays, the file it points to is replaced', async () => {
    const folder = mkdtempSync(join(dir, 'link-'));
    const target = join(folder, 'target.txt');
    const link = join(folder, 'link.txt');
    writeFileSync(target, 'old\n');
    symlinkSync(target, link);
    expect((await runIn(['inspect', exports, '--format', 'json', '-o', link])).status).toBe(0);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toHaveProperty('files');
    expect(readdirSync(folder).sort()).toEqual(['link.txt', 'target.txt']);
  });

  it('an error in the middle of the write (disk full) leaves the old file and no temporary file', async () => {
    const folder = mkdtempSync(join(dir, 'enospc-'));
    const out = join(folder, 'report.txt');
    writeFileSync(out, 'old\n');
    function* pieces() {
      yield 'the first part of a report\n';
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    await expect(writeOutput(out, pieces(), { inputs: [] })).rejects.toThrow(`${out}: cannot be written (the disk is full)`);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(folder)).toEqual(['report.txt']);
  });

  it('an output that is a folder cannot be written', async () => {
    const result = await runIn(['inspect', exports, '-o', dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${dir}: kan inte skrivas (är en mapp)`);
  });
});

// A failed write under a file-size limit (ulimit -f) and into a read-only folder need a process of
// their own (a limit and dropped capabilities apply to a process): they are in tests/e2e/bin.test.ts.
