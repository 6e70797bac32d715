/**
 * --school-years on the demo: last spring's run from exports that already hold this spring.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runIn, type RunResult } from './run.js';

interface FileMeta {
  file: string;
  rows: { read: number; accepted: number; rejected: number; outside_selection: number };
  rejected: Record<string, { count: number; examples: string[]; values?: Record<string, number> }>;
  outside_selection: { count: number; examples: string[]; school_years: Record<string, number> } | null;
}
interface GapJson {
  meta: { parameters: Record<string, unknown>; files: FileMeta[]; rows: { read: number; accepted: number; rejected: number; outside_selection: number } };
  rows: Record<string, unknown>[];
}

const ARGS = ['gap', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--format', 'json'];
// The two demo runs the first describe compares, made once before its tests.
let all: RunResult;
let upTo: RunResult;
let before: GapJson;
let after: GapJson;

/**
 * The 2024/25 rows of each demo file, counted from the text alone (see fixtures/demo/README.md
 * for the four year formats): rows with the header's number of fields and a pupil id, whose
 * year cell says 2024/25. (Rows short of fields or without an id are rejected before the year
 * is looked at, so they keep their reasons.) Returns the line numbers.
 */
const FILES = {
  'betyg_ak6_ak9.csv': { delimiter: ';', year: 'Läsår', value: '2024/25', encoding: 'latin1' },
  'nationella_prov_ak6.csv': { delimiter: ',', year: 'Provår', value: '2025', encoding: 'utf8' },
  'np_ak9.csv': { delimiter: ';', year: 'Termin', value: 'VT25', encoding: 'utf8' },
  'bedomningar_ak5.csv': { delimiter: '\t', year: 'school_year', value: '2024/2025', encoding: 'utf8' },
} as const;

function linesOf2024(name: keyof typeof FILES): number[] {
  const { delimiter, year, value, encoding } = FILES[name];
  const lines = readFileSync(join(ROOT, 'fixtures/demo/exports', name), encoding).replace(/^\uFEFF/, '').split(/\r?\n/);
  const unquote = (cell: string) => cell.replace(/^"(.*)"$/, '$1');
  const header = (lines[0] ?? '').split(delimiter).map(unquote);
  const yearAt = header.indexOf(year);
  expect(yearAt).toBeGreaterThanOrEqual(0);
  const found: number[] = [];
  lines.forEach((line, i) => {
    if (i === 0) return;
    const cells = line.split(delimiter).map(unquote);
    if (cells.length !== header.length || (cells[0] ?? '').trim() === '') return;
    if (cells[yearAt] === value) found.push(i + 1);
  });
  return found;
}
const LINES_2024 = Object.fromEntries(Object.keys(FILES).map((name) => [name, linesOf2024(name as keyof typeof FILES)])) as Record<keyof typeof FILES, number[]>;
const COUNT_2024 = Object.values(LINES_2024).reduce((sum, lines) => sum + lines.length, 0);

const fileMeta = (json: GapJson, name: string): FileMeta => {
  const meta = json.meta.files.find((f) => f.file.endsWith(`/${name}`));
  if (!meta) throw new Error(`no meta for ${name}`);
  return meta;
};

describe('gap --school-years ..2023/24 on the demo', () => {
  beforeAll(async () => {
    all = await runIn(ARGS);
    upTo = await runIn([...ARGS, '--school-years', '..2023/24']);
    before = JSON.parse(all.stdout) as GapJson;
    after = JSON.parse(upTo.stdout) as GapJson;
  }, 60_000);

  it('runs, records the selection, and drops 2024/25 from the rows', () => {
    expect(all.status).toBe(0);
    expect(upTo.status).toBe(0);
    expect(before.meta.parameters.school_years).toBeNull();
    expect(after.meta.parameters.school_years).toBe('..2023/24');
    expect(before.rows.some((row) => row.school_year === '2024/25')).toBe(true);
    expect(after.rows.some((row) => row.school_year === '2024/25')).toBe(false);
    expect(new Set(after.rows.map((row) => row.school_year))).toEqual(new Set(['2022/23', '2023/24']));
  });

  it('reads the same rows; every 2024/25 row is outside the selection (not rejected), per file', () => {
    expect(COUNT_2024).toBeGreaterThan(10000); // the count is not vacuous
    expect(after.meta.rows.read).toBe(before.meta.rows.read);
    expect(after.meta.rows.read).toBe(after.meta.rows.accepted + after.meta.rows.rejected + after.meta.rows.outside_selection);
    expect(after.meta.rows.outside_selection).toBe(COUNT_2024);
    for (const name of Object.keys(FILES) as (keyof typeof FILES)[]) {
      const outside = fileMeta(after, name).outside_selection;
      expect(fileMeta(after, name).rejected.outside_school_years).toBeUndefined();
      expect(outside?.count, name).toBe(LINES_2024[name].length);
      expect(outside?.school_years).toEqual({ '2024/25': LINES_2024[name].length });
      expect(outside?.examples).toEqual(LINES_2024[name].slice(0, 5).map((line) => `fixtures/demo/exports/${name}:${line}`));
      expect(fileMeta(after, name).rows.read).toBe(fileMeta(before, name).rows.read);
    }
  });

  it('rejected shrinks by the three 2024/25 rows the full run rejected; accepted by the rest of 2024/25', () => {
    // Planted in 2024/25 (fixtures/demo/README.md): the conflict betyg_ak6_ak9.csv:16759/17572 and
    // the exact duplicate nationella_prov_ak6.csv:3346. Now outside the selection instead.
    expect(LINES_2024['betyg_ak6_ak9.csv']).toEqual(expect.arrayContaining([16759, 17572]));
    expect(LINES_2024['nationella_prov_ak6.csv']).toContain(3346);
    expect(fileMeta(before, 'betyg_ak6_ak9.csv').rejected.conflict?.count).toBe(2);
    expect(fileMeta(before, 'nationella_prov_ak6.csv').rejected.duplicate?.count).toBe(1);
    expect(before.meta.rows.rejected - after.meta.rows.rejected).toBe(3);
    expect(before.meta.rows.accepted - after.meta.rows.accepted).toBe(COUNT_2024 - 3);
    // Every other reason is unchanged: its rows are all in 2022/23, 2023/24 or have no year.
    for (const name of Object.keys(FILES)) {
      const { conflict: _conflict, duplicate: _duplicate, ...earlier } = fileMeta(before, name).rejected;
      expect(fileMeta(after, name).rejected, name).toEqual(earlier);
    }
  });

  it('the 2022/23 and 2023/24 rows are the same, except what is pooled across the report', () => {
    // std_gap and the limits of chance alone use the rest of the municipality in the same school
    // year, grade level and subject, so they do not change. Two things pool every group in the
    // report: p_adj and vs_total_p_adj (Benjamini–Hochberg) and the ordinary variation between
    // schools (τ, and so the limits that allow for it), so fewer school years give other values.
    const pooled = ['p_adj', 'vs_total_p_adj', 'funnel_tau', 'funnel_z', 'funnel_p', 'funnel_flag', 'funnel_limit_95', 'funnel_limit_998'];
    const figures = (row: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([key]) => !pooled.includes(key))));
    const expected = before.rows.filter((row) => row.school_year !== '2024/25');
    expect(after.rows.length).toBe(expected.length);
    expect(after.rows.map(figures)).toEqual(expected.map(figures));
    expect(after.rows.some((row, i) => row.p_adj !== expected[i]?.p_adj)).toBe(true);
  });

  it('the stderr accounting counts them apart, never as rejected', async () => {
    const table = await runIn(['gap', 'fixtures/demo/exports/nationella_prov_ak6.csv', 'fixtures/demo/exports/betyg_ak6_ak9.csv', '--school-years', '..2023/24']);
    expect(table.status).toBe(0);
    const n = LINES_2024['nationella_prov_ak6.csv'].length;
    const line = table.stderr.split('\n').find((text) => text.includes('utanför valda läsår (2024/25'));
    expect(line?.replace(/[\s\u00a0\u202f]/g, '')).toMatch(new RegExp(`^${n}utanförvaldaläsår`));
    expect(line).toContain('urval, inte avvisade');
    expect(line).toContain(`fixtures/demo/exports/nationella_prov_ak6.csv:${LINES_2024['nationella_prov_ak6.csv'][0]}`);
    expect(table.stderr).toMatch(/nationella_prov_ak6\.csv \(UTF-8 BOM, komma, brett format\): [\d\s\u00a0]+ rader lästa: [\d\s\u00a0]+ godtagna, 0 avvisade, [\d\s\u00a0]+ utanför valda läsår/);
    expect(table.stderr).toMatch(/^Totalt .* avvisade \+ [\d\s\u00a0]+ utanför valda läsår\.$/m);
    const english = await runIn(['gap', 'fixtures/demo/exports/nationella_prov_ak6.csv', 'fixtures/demo/exports/betyg_ak6_ak9.csv', '--school-years', '..2023/24', '--lang', 'en']);
    expect(english.stderr).toContain('outside the selected school years (2024/25');
    expect(english.stderr).toContain('nationella_prov_ak6.csv (UTF-8 BOM, comma, wide): ');
  });

  it('exits 4 with one line when no row is in the selection', async () => {
    const out = await runIn(['gap', 'fixtures/demo/exports', '--school-years', '2030/31', '-q']);
    expect(out.status).toBe(4);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe('ska-analyze: inga siffror: ingen rad ligger i --school-years 2030/31 (exporterna har 2022/23, 2023/24, 2024/25); välj läsår som finns i exporterna\n');
    const english = await runIn(['gap', 'fixtures/demo/exports', '--school-years', '2030/31', '-q', '--lang', 'en']);
    expect(english.stderr).toBe('ska-analyze: no figures: no row is in --school-years 2030/31 (the exports hold 2022/23, 2023/24, 2024/25); choose school years the exports hold\n');
  });
});

describe('--school-years: other forms and commands', () => {
  it('VT24, 2024 and 2023/24 select the same year and record it the same way', async () => {
    // Grades and tests: a group with no pupil who has both has no row.
    const files = ['fixtures/demo/exports/betyg_ak6_ak9.csv', 'fixtures/demo/exports/nationella_prov_ak6.csv'];
    const runs: GapJson[] = [];
    for (const value of ['VT24', '2024', '2023/24']) runs.push(JSON.parse((await runIn(['gap', ...files, '--school-years', value, '--format', 'json', '-q'])).stdout) as GapJson);
    for (const json of runs) {
      expect(json.meta.parameters.school_years).toBe('2023/24');
      expect(new Set(json.rows.map((row) => row.school_year))).toEqual(new Set(['2023/24']));
    }
    expect(runs[1]?.rows).toEqual(runs[0]?.rows);
    expect(runs[2]?.rows).toEqual(runs[0]?.rows);
  });

  it('a value that is not a school year: exit 2, naming it', async () => {
    const bad = await runIn(['gap', 'fixtures/demo/exports', '--school-years', '2022/23,20x3']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('ska-analyze: --school-years: "20x3" är inte ett läsår (skriv 2023/24, VT24 eller 2024)\n');
  });

  it('transition ..2023/24: år 5 of 2022/23 linked to år 6 of 2023/24; år 5 of 2023/24 is outside the years', async () => {
    const args = ['transition', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--by', 'school_year,area,subject', '--format', 'json', '-q'];
    type TransitionJson = { meta: { parameters: Record<string, unknown>; coverage: { linked: number; outside_years: number } }; rows: Record<string, unknown>[] };
    const full = JSON.parse((await runIn(args)).stdout) as TransitionJson;
    const cut = JSON.parse((await runIn([...args, '--school-years', '..2023/24'])).stdout) as TransitionJson;
    expect(cut.meta.parameters.school_years).toBe('..2023/24');
    expect(new Set(full.rows.map((row) => row.school_year))).toEqual(new Set(['2023/24', '2024/25']));
    expect(new Set(cut.rows.map((row) => row.school_year))).toEqual(new Set(['2023/24']));
    // The 2023/24 cohort's figures do not depend on the later year being there (but for p_adj,
    // which adjusts across every group in the report).
    const cohort = (json: TransitionJson) => json.rows.filter((row) => row.school_year === '2023/24').map(({ p_adj: _p, ...row }) => JSON.stringify(row));
    expect(cohort(cut)).toEqual(cohort(full));
    expect(cut.meta.coverage.linked).toBeLessThan(full.meta.coverage.linked);
    expect(cut.meta.coverage.outside_years).toBeGreaterThan(0);
  });
});

describe('inspect --school-years', () => {
  it('counts the rows outside the selection like every other reason', async () => {
    const all = await runIn(['inspect', 'fixtures/demo/exports/nationella_prov_ak6.csv', '--format', 'json']);
    const some = await runIn(['inspect', 'fixtures/demo/exports/nationella_prov_ak6.csv', '--format', 'json', '--school-years', '..2023/24']);
    expect(some.status).toBe(0);
    const file = (out: { stdout: string }) =>
      (JSON.parse(out.stdout) as { files: { rows: { read: number; accepted: number; rejected: number; outside_selection: number }; rejected: Record<string, { count: number }>; outside_selection: { count: number } | null }[] }).files[0]!;
    const a = file(all);
    const b = file(some);
    expect(b.rows.read).toBe(a.rows.read);
    expect(b.rows.read).toBe(b.rows.accepted + b.rows.rejected + b.rows.outside_selection);
    // Provår (5th column) 2025 = school year 2024/25, counted straight from the file.
    const lines = readFileSync('fixtures/demo/exports/nationella_prov_ak6.csv', 'utf8').split(/\r?\n/).slice(1);
    const spring2025 = lines.filter((line) => line.split(',')[4] === '2025').length;
    expect(spring2025).toBeGreaterThan(1000);
    expect(b.outside_selection?.count).toBe(spring2025);
    expect(b.rejected.outside_school_years).toBeUndefined();
  });
});
