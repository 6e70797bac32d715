import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runIn } from './run.js';
import { HOOK_TIMEOUT } from './shared-runs.js';

// Every run is in-process (runIn); none needs a real process.

const DEMO = ['gap', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--quiet'];
const RELATION = 'fixtures/skolverket/relation-ak9-2024-skolniva.csv';
const RELATION_2023 = 'fixtures/skolverket/relation-ak9-2023-skolniva.csv';
const NP = 'fixtures/skolverket/np-ak9-2024-kommun.csv';
const SIMPLE = 'fixtures/skolverket/simple-example.csv';

interface RefRow {
  school_year: string | null;
  grade_level: number;
  area: string | null;
  school: string | null;
  subject: string;
  gender?: string | null;
  level: string;
  n: number;
  metric: string;
  own: number;
  reference: number | null;
  reference_status: string;
  reference_raw: string | null;
  reference_units: number;
  reference_excluded_units: number;
  reference_school_year: string;
  reference_gender: string;
  year_match: string;
  difference: number | null;
  direction: string | null;
  verdict: string | null;
}

interface Report {
  meta: { parameters: Record<string, unknown> };
  rows: { school_year: string; grade_level: number; area: string | null; school: string | null; subject: string; gender?: string | null; suppressed: boolean; std_gap: number | null }[];
  reference: {
    files: { file: string; sha256: string; layout: string; title: string | null; school_year: string | null; publisher: string | null; label: string; scope: string; remarks: string[] }[];
    selection: { unit: string | null; provider: string | null };
    label: string;
    rows: RefRow[];
    attribution: string[];
  };
}

async function json(args: string[]): Promise<Report> {
  const result = await runIn([...DEMO, '--format', 'json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

async function table(args: string[]): Promise<string> {
  const result = await runIn([...DEMO, ...args]);
  expect(result.status).toBe(0);
  return result.stdout;
}

const total = (rows: RefRow[], year: string, subject: string, metric: string, gender: string | null = null) =>
  rows.find((r) => r.school_year === year && r.grade_level === 9 && r.subject === subject && r.level === 'total' && r.metric === metric && (r.gender ?? null) === gender);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ska-ref-'));
}

describe('gap --reference with Skolverket\'s relation table', () => {
  let report: Report;
  let rows: RefRow[];
  beforeAll(async () => {
    report = await json(['--reference', RELATION]);
    rows = report.reference.rows;
  }, HOOK_TIMEOUT);

  it('describes the file, its hash, and credits Skolverket as asked', () => {
    const sha = createHash('sha256').update(readFileSync(join(ROOT, RELATION))).digest('hex');
    expect(report.reference.files).toEqual([
      {
        file: RELATION,
        sha256: sha,
        layout: 'skolverket_relation',
        title: 'Grundskola - Relationen mellan nationella prov och slutbetyg årskurs 9, svenska/svenska som andraspråk, matematik och engelska',
        school_year: '2023/24',
        publisher: 'skolverket',
        // An excerpt (70 schools in 25 municipalities): every unit pooled, not called Riket.
        label: 'alla enheter i filen (70)',
        scope: 'whole_file',
        remarks: [],
      },
    ]);
    expect(report.meta.parameters.reference_files).toEqual([{ file: RELATION, sha256: sha }]);
    expect(report.meta.parameters.reference_figures).toEqual([RELATION]);
    expect(report.meta.parameters.reference).toBeNull();
    expect(report.reference.attribution).toEqual([
      'Källa: Skolverket. Egen bearbetning av data från Skolverket (Grundskola - Relationen mellan nationella prov och slutbetyg årskurs 9, svenska/svenska som andraspråk, matematik och engelska, 2023/24).',
    ]);
    expect(report.reference.label).toBe('alla enheter i filen (70)');
  });

  it('compares år 9 groups only, on the relation measures, with the year used recorded', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.grade_level === 9 && ['EN', 'MA', 'SV', 'SVA'].includes(r.subject))).toBe(true);
    expect(new Set(rows.map((r) => r.metric))).toEqual(new Set(['share_higher', 'share_same', 'share_lower']));
    expect(new Set(rows.map((r) => r.reference_school_year))).toEqual(new Set(['2023/24']));
    expect(total(rows, '2023/24', 'MA', 'share_higher')?.year_match).toBe('same');
    expect(total(rows, '2024/25', 'MA', 'share_higher')?.year_match).toBe('earlier');
    expect(total(rows, '2022/23', 'MA', 'share_higher')?.year_match).toBe('later');
    // The group's own figure is the gap report's own.
    const gapTotal = report.rows.find((r) => r.school_year === '2023/24' && r.grade_level === 9 && r.subject === 'MA' && r.area === null) as unknown as { share_higher: number };
    expect(total(rows, '2023/24', 'MA', 'share_higher')?.own).toBe(gapTotal.share_higher);
  });

  it('pools the schools weighted by pupils (Ale\'s five schools, Matematik, by hand from the CSV text)', async () => {
    // Matematik, antal / högre: Ahlafors 46 / 10,9; Aroseniusskolan 109 / 44,0; Bohusskolan 93 / 4,3;
    // Da Vinciskolan 1 60 / 41,7; Da Vinciskolan 2 68 / 47,1.
    const expected = (46 * 10.9 + 109 * 44.0 + 93 * 4.3 + 60 * 41.7 + 68 * 47.1) / (46 + 109 + 93 + 60 + 68) / 100;
    const ale = await json(['--reference', RELATION, '--reference-unit', 'Ale']);
    const row = total(ale.reference.rows, '2023/24', 'MA', 'share_higher');
    expect(row?.reference).toBeCloseTo(expected, 12);
    expect(row?.reference_units).toBe(5);
    expect(ale.reference.label).toBe('Ale (5 skolor)');
  });

  it('one school as it is: Aroseniusskolan 2023/24, Matematik 0,9 / 55,0 / 44,0', async () => {
    const one = (await json(['--reference', RELATION, '--reference-unit', 'Aroseniusskolan'])).reference.rows;
    expect(total(one, '2023/24', 'MA', 'share_lower')?.reference).toBe(0.009);
    expect(total(one, '2023/24', 'MA', 'share_same')?.reference).toBe(0.55);
    expect(total(one, '2023/24', 'MA', 'share_higher')?.reference).toBe(0.44);
    expect(total(one, '2023/24', 'SV', 'share_higher')?.reference).toBe(0.515);
  });

  it('two years of the relation table: each group gets its own year', async () => {
    const both = (await json(['--reference', RELATION, '--reference', RELATION_2023])).reference;
    expect(total(both.rows, '2022/23', 'EN', 'share_same')).toMatchObject({ reference_school_year: '2022/23', year_match: 'same' });
    expect(total(both.rows, '2023/24', 'EN', 'share_same')).toMatchObject({ reference_school_year: '2023/24', year_match: 'same' });
    expect(total(both.rows, '2024/25', 'EN', 'share_same')).toMatchObject({ reference_school_year: '2023/24', year_match: 'earlier' });
    expect(both.attribution).toHaveLength(2);
  });

  it('table: the section, "procentenheter", the pooling sentence and the Källa line', async () => {
    const text = await table(['--reference', RELATION]);
    expect(text).toContain('Jämfört med referens: alla enheter i filen (70) (2023/24)');
    expect(text).toContain('2024/25 · åk 9 · Matematik (referens 2023/24, närmast föregående läsår)');
    expect(text).toMatch(/[+−]\d+(,\d)? procentenheter/);
    expect(text).not.toMatch(/\bpp\b/);
    expect(text).toMatch(/Referensen är ett vägt medelvärde av \d+(–\d+)? skolor; \d+(–\d+)? skolor med dolda eller saknade värden ingår inte/);
    expect(text).toContain(
      'Källa: Skolverket. Egen bearbetning av data från Skolverket (Grundskola - Relationen mellan nationella prov och slutbetyg årskurs 9, svenska/svenska som andraspråk, matematik och engelska, 2023/24).',
    );
    for (const word of ['bättre', 'sämre', 'i linje']) expect(text).toContain(word);
  });

  it('--lang en: English words, the source line as Skolverket asks', async () => {
    const text = await table(['--reference', RELATION, '--lang', 'en']);
    expect(text).toContain('Compared with reference:');
    expect(text).toContain('percentage points');
    expect(text).not.toContain('procentenheter');
    expect(text).toContain('Källa: Skolverket. Egen bearbetning av data från Skolverket (');
  });
});

describe('gap --reference with Skolverket\'s NP table and the simple layout', () => {
  it('Stockholm (by name or code): the values as written in the file', async () => {
    for (const unit of ['Stockholm', '0180']) {
      const report = await json(['--reference', NP, '--reference-unit', unit]);
      const rows = report.reference.rows;
      // Stockholm;0180;…;Samtliga;Matematik;9 593;…;90,1;89,3;90,9;13,1;12,8;13,3;…
      expect(total(rows, '2023/24', 'MA', 'share_pass_test')?.reference).toBe(0.901);
      expect(total(rows, '2023/24', 'MA', 'mean_points_test')?.reference).toBe(13.1);
      // Stockholm;…;Samtliga;Engelska;9 826;…;98,7;98,9;98,6;17,0;…
      expect(total(rows, '2023/24', 'EN', 'share_pass_test')?.reference).toBe(0.987);
      expect(total(rows, '2023/24', 'SVA', 'mean_points_test')?.reference).toBe(9.3);
      expect(report.reference.label).toBe('Stockholm');
      expect(report.reference.selection).toEqual({ unit, provider: null });
      expect(report.meta.parameters.reference_unit).toBe(unit);
      const pass = total(rows, '2023/24', 'MA', 'share_pass_test');
      expect(pass?.difference).toBeCloseTo((pass?.own ?? 0) - 0.901, 12);
    }
  });

  it('by gender: girls against Flickor, boys against Pojkar; Alingsås girls in Engelska are ".." and stay hidden', async () => {
    const rows = (await json(['--reference', NP, '--reference-unit', 'Alingsås', '--by', 'school_year,grade_level,subject,gender'])).reference.rows;
    // Alingsås;1489;…;Samtliga;Matematik;511;248;263;84,0;80,2;87,5;11,4;11,0;11,8;…
    expect(total(rows, '2023/24', 'MA', 'share_pass_test', 'girl')).toMatchObject({ reference: 0.802, reference_gender: 'F' });
    expect(total(rows, '2023/24', 'MA', 'share_pass_test', 'boy')).toMatchObject({ reference: 0.875, reference_gender: 'M' });
    expect(total(rows, '2023/24', 'MA', 'share_pass_test', null)).toMatchObject({ reference: 0.84, reference_gender: 'all' });
    // Alingsås;…;Samtliga;Engelska;511;250;261;97,5;..;~100;…
    expect(total(rows, '2023/24', 'EN', 'share_pass_test', 'girl')).toMatchObject({ reference: null, reference_status: 'too_few', reference_raw: '..', difference: null, verdict: null });
    expect(total(rows, '2023/24', 'EN', 'share_pass_test', 'boy')).toMatchObject({ reference: null, reference_status: 'rounded', reference_raw: '~100', difference: null, verdict: null });
  });

  it('--reference-provider picks Typ av huvudman', async () => {
    const rows = (await json(['--reference', NP, '--reference-unit', 'Ale', '--reference-provider', 'Kommunal'])).reference.rows;
    // Ale;1440;…;Kommunal;Matematik;330;168;162;82,7;…;10,6;…
    expect(total(rows, '2023/24', 'MA', 'share_pass_test')?.reference).toBe(0.827);
    expect(total(rows, '2023/24', 'MA', 'mean_points_test')?.reference).toBe(10.6);
  });

  it('the simple layout: Ale by hand, ~100 stays rounded; no Källa line for a hand-typed file', async () => {
    const report = await json(['--reference', SIMPLE]);
    expect(total(report.reference.rows, '2023/24', 'SV', 'share_pass_test')?.reference).toBe(0.956);
    expect(total(report.reference.rows, '2023/24', 'SVA', 'share_pass_test')).toMatchObject({ reference: null, reference_status: 'rounded', reference_raw: '~100' });
    expect(total(report.reference.rows, '2023/24', 'SVA', 'mean_points_test')?.reference).toBe(11.1);
    expect(report.reference.attribution).toEqual([]);
    const text = await table(['--reference', SIMPLE]);
    expect(text).toContain('referens avrundad (~100)');
    expect(text).not.toContain('Källa: Skolverket');
  });
});

describe('a hidden reference value is never a number', () => {
  const dir = tempDir();
  const file = join(dir, 'dold.csv');
  writeFileSync(file, 'enhet;ämne;årskurs;läsår;share_pass_test;mean_points_test;n\nLiten;Matematik;9;2023/24;..;..;\nLiten;Engelska;9;2023/24;92,0;.;40\n');
  const args = ['--reference', file, '--by', 'school_year,grade_level,subject'];

  it('JSON: null with its status and token', async () => {
    const rows = (await json(args)).reference.rows;
    expect(total(rows, '2023/24', 'MA', 'share_pass_test')).toMatchObject({ reference: null, reference_status: 'too_few', reference_raw: '..', difference: null, direction: null, verdict: null });
    expect(total(rows, '2023/24', 'MA', 'mean_points_test')).toMatchObject({ reference: null, reference_status: 'too_few', difference: null, verdict: null });
    expect(total(rows, '2023/24', 'EN', 'mean_points_test')).toMatchObject({ reference: null, reference_status: 'missing', reference_raw: '.' });
    expect(total(rows, '2023/24', 'EN', 'share_pass_test')?.reference).toBe(0.92);
  });

  it('table: ".." and the reason, no figure', async () => {
    const text = await table(args);
    const lines = text.split('\n');
    const start = lines.findIndex((line) => line.includes('2023/24 · åk 9 · Matematik (referens 2023/24)'));
    expect(start).toBeGreaterThan(0);
    const passLine = lines.slice(start).find((line) => line.includes('Provbetyg A–E')) ?? '';
    const cells = passLine.split('│').map((cell) => cell.trim());
    // Grupp | Elever | Mått | Egen | Referens | Skillnad | Bedömning
    expect(cells[5]).toBe('..');
    expect(cells[6]).toBe('');
    expect(cells[7]).toBe('referens dold (för få elever: Skolverket visar ..)');
    expect(text).toContain('referens saknas');
  });

  it('CSV: empty value, difference and verdict, status too_few', async () => {
    const result = await runIn([...DEMO, ...args, '--format', 'csv']);
    expect(result.status).toBe(0);
    const [head = '', ...lines] = result.stdout.trim().split('\n');
    const columns = head.split(',');
    for (const name of ['ref_share_pass_test', 'ref_share_pass_test_diff', 'ref_share_pass_test_verdict', 'ref_share_pass_test_status', 'ref_mean_points_test', 'ref_school_year']) expect(columns).toContain(name);
    const at = (line: string, name: string) => line.split(',')[columns.indexOf(name)];
    const ma = lines.find((line) => line.startsWith('2023/24,9,MA,')) ?? '';
    expect(at(ma, 'ref_share_pass_test')).toBe('');
    expect(at(ma, 'ref_share_pass_test_diff')).toBe('');
    expect(at(ma, 'ref_share_pass_test_verdict')).toBe('');
    expect(at(ma, 'ref_share_pass_test_status')).toBe('too_few');
    expect(at(ma, 'ref_school_year')).toBe('2023/24');
    const en = lines.find((line) => line.startsWith('2023/24,9,EN,')) ?? '';
    expect(at(en, 'ref_share_pass_test')).toBe('0.92');
    expect(['better', 'worse', 'in_line']).toContain(at(en, 'ref_share_pass_test_verdict'));
  });
});

describe('privacy: hidden gap groups get no reference figures of their own', () => {
  it('no JSON reference row and no CSV reference cell for a suppressed group', async () => {
    const report = await json(['--reference', RELATION, '--min-group', '50']);
    const hidden = report.rows.filter((r) => r.suppressed && r.grade_level === 9 && ['EN', 'MA', 'SV', 'SVA'].includes(r.subject));
    expect(hidden.length).toBeGreaterThan(0);
    const key = (r: { school_year: string | null; subject: string; area: string | null; school: string | null }) => [r.school_year, r.subject, r.area, r.school].join('|');
    const compared = new Set(report.reference.rows.map(key));
    for (const group of hidden) expect(compared.has(key(group))).toBe(false);

    const result = await runIn([...DEMO, '--reference', RELATION, '--min-group', '50', '--format', 'csv']);
    const [head = '', ...lines] = result.stdout.trim().split('\n');
    const columns = head.split(',');
    const refColumns = columns.flatMap((name, i) => (name.startsWith('ref_') ? [i] : []));
    const suppressedAt = columns.indexOf('suppressed');
    const hiddenLines = lines.filter((line) => line.split(',')[suppressedAt] === 'true');
    expect(hiddenLines.length).toBeGreaterThan(0);
    for (const line of hiddenLines) {
      const cells = line.split(',');
      for (const i of refColumns) expect(cells[i]).toBe('');
    }
  });
});

describe('--reference chosen by content, config keys, errors', () => {
  it('a gap JSON is still the grading standard, and can be given with published figures', async () => {
    const dir = tempDir();
    const standard = join(dir, 'standard.json');
    const made = await runIn([...DEMO, '--format', 'json', '--by', 'school_year,grade_level,subject', '-o', standard]);
    expect(made.status).toBe(0);
    const alone = await json(['--reference', standard]);
    expect(alone.meta.parameters.reference).toBe(standard);
    expect(alone.meta.parameters.reference_figures).toEqual([]);
    expect((alone as unknown as Record<string, unknown>).reference).toBeUndefined();
    const both = await json(['--reference', standard, '--reference', NP, '--reference-unit', 'Stockholm']);
    expect(both.meta.parameters.reference).toBe(standard);
    expect(both.meta.parameters.reference_figures).toEqual([NP]);
    expect((both.meta.parameters.reference_files as { file: string }[]).map((f) => f.file)).toEqual([standard, NP]);
    expect(both.rows.map((r) => r.std_gap)).toEqual(alone.rows.map((r) => r.std_gap));
    expect(both.reference.rows.length).toBeGreaterThan(0);
    const twice = await runIn([...DEMO, '--reference', standard, '--reference', standard]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('är båda gap-rapporter i JSON (betygsstandarder); ange högst en');
    expect((await runIn([...DEMO, '--reference', standard, '--reference', standard, '--lang', 'en'])).stderr).toContain('give at most one');
  });

  it('config "reference" and "reference_unit" are used when the options are not given', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'np.csv'), readFileSync(join(ROOT, NP)));
    const config = join(dir, 'ska.config.json');
    writeFileSync(config, '{\n  // relative to this file\n  "reference": "np.csv",\n  "reference_unit": "0180",\n}\n');
    const report = await json(['--config', config]);
    expect(report.reference.label).toBe('Stockholm');
    expect(total(report.reference.rows, '2023/24', 'MA', 'share_pass_test')?.reference).toBe(0.901);
    // The option wins over the config.
    expect((await json(['--config', config, '--reference-unit', 'Ale'])).reference.label).toBe('Ale');
  });

  it('a unit the file does not have exits 2 and names units that exist', async () => {
    const result = await runIn([...DEMO, '--reference', NP, '--reference-unit', 'Atlantis']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('ingen enhet "Atlantis"');
    expect(result.stderr).toMatch(/filen har t\.ex\. "[^"]+"/);
    expect(result.stdout).toBe('');
    const english = await runIn([...DEMO, '--reference', NP, '--reference-unit', 'Atlantis', '--lang', 'en']);
    expect(english.stderr).toContain('no unit "Atlantis"');
    expect(english.stderr).toMatch(/the file has e\.g\. "[^"]+"/);
  });

  it('--reference-unit without published figures is a usage error', async () => {
    const result = await runIn([...DEMO, '--reference-unit', 'Stockholm']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('ska-analyze: --reference-unit behöver en referensfil med publicerade siffror (--reference FIL.csv)\n');
    expect((await runIn([...DEMO, '--reference-unit', 'Stockholm', '--lang', 'en'])).stderr).toContain('--reference-unit needs a reference file');
  });
});
