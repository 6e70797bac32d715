import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInputFiles, resolveInputs, stdinSource } from '../../src/read/inputs.js';
import { writeWorkbook } from '../../scripts/xlsx/workbook.js';

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
    await expect(resolveInputs([path], noStdin)).rejects.toThrow(`${path}: folder holds no .csv, .tsv, .txt or .xlsx files`);
  });

  it('a folder\'s workbooks give one source per visible sheet (told by their bytes, whatever the name); broken ones and .xls are skipped with why', async () => {
    const folder = join(dir, 'workbooks');
    await mkdir(folder);
    const book = writeWorkbook([
      { name: 'Info', rows: [['Export']] },
      { name: 'Betyg', rows: [['Personnummer', 'Läsår', 'Ämne', 'Betyg']] },
      { name: 'Dolt', rows: [['x']], hidden: true },
    ]);
    await writeFile(join(folder, 'a.csv'), 'x\n');
    await writeFile(join(folder, 'b.xlsx'), book);
    await writeFile(join(folder, 'c.csv'), book); // a workbook saved under a .csv name
    await writeFile(join(folder, 'd.xlsx'), book.subarray(0, 100)); // cut short
    await writeFile(join(folder, 'e.xls'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    const { sources, skipped } = await resolveInputFiles([folder], noStdin);
    expect(sources.map((source) => source.name)).toEqual([
      join(folder, 'a.csv'),
      `${join(folder, 'b.xlsx')}!Info`,
      `${join(folder, 'b.xlsx')}!Betyg`,
      `${join(folder, 'c.csv')}!Info`,
      `${join(folder, 'c.csv')}!Betyg`,
    ]);
    expect(sources.every((source) => source.fromFolder)).toBe(true);
    expect(skipped).toEqual([
      { file: `${join(folder, 'b.xlsx')}!Dolt`, reason: 'hidden_sheet' },
      { file: `${join(folder, 'c.csv')}!Dolt`, reason: 'hidden_sheet' },
      { file: join(folder, 'd.xlsx'), reason: 'workbook_unreadable' },
      { file: join(folder, 'e.xls'), reason: 'excel' },
    ]);
    // A sheet source streams the sheet as CSV lines.
    const chunks: Buffer[] = [];
    for await (const chunk of sources[2]?.open() ?? []) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString()).toBe('Personnummer;Läsår;Ämne;Betyg\n');
    // resolveInputs (as --areas uses it) gives one sheet per workbook: the one with the most in its first rows.
    expect((await resolveInputs([join(folder, 'b.xlsx')], noStdin)).map((source) => source.name)).toEqual([`${join(folder, 'b.xlsx')}!Betyg`]);
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
