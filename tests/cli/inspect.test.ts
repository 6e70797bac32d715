import { beforeAll, describe, expect, it } from 'vitest';
import { runIn, type RunResult } from './run.js';

describe('inspect on the demo data', () => {
  type FileJson = { file: string; pupils: number; invalid_check_digits: number; ignored_headers: string[]; rejected: Record<string, { examples: string[] }> };
  let json: RunResult;
  let files: FileJson[];
  beforeAll(async () => {
    json = await runIn(['inspect', 'fixtures/demo/exports', '--format', 'json']);
    files = (JSON.parse(json.stdout) as { files: FileJson[] }).files;
  }, 60_000);

  it('reports every file with its problems and file:line examples', () => {
    expect(json.status).toBe(0);
    expect(files.map((f) => f.file)).toEqual([
      'fixtures/demo/exports/bedomningar_ak5.csv',
      'fixtures/demo/exports/betyg_ak6_ak9.csv',
      'fixtures/demo/exports/nationella_prov_ak6.csv',
      'fixtures/demo/exports/np_ak9.csv',
    ]);
    const grades = files[1]!;
    expect(grades.ignored_headers).toEqual(['Förnamn', 'Efternamn']);
    expect(grades.rejected.old_grade_scale?.examples[0]).toMatch(/^fixtures\/demo\/exports\/betyg_ak6_ak9\.csv:\d+$/);
  });

  it('finds that no demo id has a valid check digit (they are synthetic on purpose)', () => {
    for (const file of files) expect(file.invalid_check_digits).toBe(file.pupils);
  });

  it('shows no ids and no names', async () => {
    const table = await runIn(['inspect', 'fixtures/demo/exports']);
    expect(table.stdout).not.toMatch(/\b(?:19|20)?\d{6}[-+]?\d{4}\b/);
    expect(table.stdout).toContain('Används inte: Förnamn, Efternamn');
    expect(table.stdout).toContain('Fel kontrollsiffra');
  });

  it('reads in Swedish by default (delimiter, layout, kinds, fields, values) and in English with --lang en; the JSON keeps its keys', async () => {
    const table = await runIn(['inspect', 'fixtures/demo/exports']);
    const ak5 = table.stdout.split('\n\n')[0] ?? '';
    expect(ak5).toContain('  Avgränsare: tabb\n  Format: långt (en rad per resultat); innehåller: bedömning\n');
    expect(ak5).toMatch(/\n {4}elev-id \(student_id\) +← student_id\n/);
    expect(ak5).toMatch(/id-format per rad: personnummer \([\d\u00a0]+\), samordningsnummer \(0\), annat id \(0\)/);
    expect(ak5).toMatch(/\n {2}läsår: 2022\/23 /);
    expect(ak5).toMatch(/\n {2}bedömning: ej godtagbar \(\d+\), godtagbar \([\d\u00a0]+\), mer än godtagbar \([\d\u00a0]+\), saknas \(\d+\)/);
    expect(table.stdout).toContain('  Avgränsare: semikolon\n  Format: brett; innehåller: betyg\n');
    expect(table.stdout).toContain('1 fel antal fält på raden [4 av 7 (1)]');
    const english = await runIn(['inspect', 'fixtures/demo/exports', '--lang', 'en']);
    const first = english.stdout.split('\n\n')[0] ?? '';
    expect(first).toContain('  Delimiter: tab\n  Layout: long (one row per result); holds: assessment\n');
    expect(first).toMatch(/\n {4}student_id {3}← student_id\n/);
    expect(first).toMatch(/opaque \(0\)/);
    expect(first).toMatch(/\n {2}assessment: .*, missing \(\d+\)/);
    expect(english.stdout).toContain('1 wrong number of fields on the line [4 of 7 (1)]');
    const asJson = JSON.parse(json.stdout) as { files: { delimiter: string; layout: string; kinds: string[]; id_formats: Record<string, number> }[] };
    expect(asJson.files.map((file) => [file.delimiter, file.layout, file.kinds.join(',')])).toEqual([
      ['tab', 'long', 'assessment'],
      ['semicolon', 'wide', 'grade'],
      ['comma', 'wide', 'test'],
      ['semicolon', 'long', 'test'],
    ]);
    expect(Object.keys(asJson.files[0]?.id_formats ?? {})).toContain('opaque');
  });
});
