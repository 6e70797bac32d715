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
});
