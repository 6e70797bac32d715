import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInputs, stdinSource } from '../../src/read/inputs.js';

const noStdin: AsyncIterable<Uint8Array> = (async function* () {})();

describe('resolveInputs', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ska-inputs-'));
    await mkdir(join(dir, 'exports'));
    await writeFile(join(dir, 'exports', 'b.csv'), 'x\n');
    await writeFile(join(dir, 'exports', 'a.TXT'), 'x\n');
    await writeFile(join(dir, 'exports', 'c.tsv'), 'x\n');
    await writeFile(join(dir, 'exports', 'notes.json'), '{}');
    await mkdir(join(dir, 'nothing'));
    await writeFile(join(dir, 'nothing', 'readme.md'), '#');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a folder gives its .csv/.txt/.tsv files, sorted', async () => {
    const sources = await resolveInputs([join(dir, 'exports')], noStdin);
    expect(sources.map((source) => source.name)).toEqual([join(dir, 'exports', 'a.TXT'), join(dir, 'exports', 'b.csv'), join(dir, 'exports', 'c.tsv')]);
  });

  it('a file source streams the file', async () => {
    const [source] = await resolveInputs([join(dir, 'exports', 'b.csv')], noStdin);
    const chunks: Buffer[] = [];
    for await (const chunk of source?.open() ?? []) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString()).toBe('x\n');
  });

  it('no paths is an error', async () => {
    await expect(resolveInputs([], noStdin)).rejects.toThrow(/^no input files given/);
  });

  it('a missing path is an error naming it', async () => {
    const path = join(dir, 'missing.csv');
    await expect(resolveInputs([path], noStdin)).rejects.toThrow(`${path}: no such file`);
  });

  it('a folder without table files is an error', async () => {
    const path = join(dir, 'nothing');
    await expect(resolveInputs([path], noStdin)).rejects.toThrow(`${path}: folder holds no .csv, .tsv or .txt files`);
  });

  it('- is stdin, allowed once', async () => {
    expect((await resolveInputs(['-'], noStdin)).map((source) => source.name)).toEqual(['<stdin>']);
    await expect(resolveInputs(['-', '-'], noStdin)).rejects.toThrow('- (stdin) can be given only once');
  });

  it('stdinSource reads the stream it is given', async () => {
    async function* stream(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('a');
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of stdinSource(stream()).open()) chunks.push(chunk);
    expect(chunks).toHaveLength(1);
  });
});
