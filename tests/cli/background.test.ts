/**
 * Background columns as dimensions through the CLI (in-process): --by nyanländ, --by with the
 * column's own header, the config's `background` aliases and values, unknown columns, columns
 * of names, --adjust-for, and suppression in every format: with a background column crossed with
 * gender and school (three ways and more), no hidden group can be worked out from the shown
 * groups and the totals (checked exactly, in rational arithmetic, on the JSON, the CSV, the
 * --excel sheet and the table).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIn } from './run.js';
import { derivable } from '../analysis/derivable.js';

const FIXTURE = 'fixtures/background';
const dir = mkdtempSync(join(tmpdir(), 'ska-background-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

type JsonRow = Record<string, unknown> & { n: number | null; level: string; suppressed: boolean; suppressed_reason: string | null };

async function json(args: string[]): Promise<{ rows: JsonRow[]; meta: Record<string, unknown> }> {
  const result = await runIn(['gap', FIXTURE, '-q', '--format', 'json', ...args]);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { rows: JsonRow[]; meta: Record<string, unknown> };
}

/** A CSV line's fields (quotes as RFC 4180). */
function fields(line: string, separator: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) out.push(field), (field = '');
    else field += c;
  }
  out.push(field);
  return out;
}

function csvTable(text: string, separator: string): Record<string, string>[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/).filter((line) => line !== '');
  const head = fields(lines[0] ?? '', separator);
  return lines.slice(1).map((line) => Object.fromEntries(fields(line, separator).map((value, i) => [head[i] ?? '', value])));
}

const PLANS: { by: string; dims: string[]; strata: string[] }[] = [
  // school × nyanländ × gender: a three-way table per stratum.
  { by: 'skola,nyanländ,kön', dims: ['school', 'bg_newly_arrived', 'gender'], strata: [] },
  // area ⊃ school, × nyanländ, per subject.
  { by: 'ämne,skolområde,skola,nyanländ', dims: ['subject', 'area', 'school', 'bg_newly_arrived'], strata: ['subject'] },
  // two background columns and gender: four ways.
  { by: 'skola,kön,nyanländ,åtgärdsprogram', dims: ['school', 'gender', 'bg_newly_arrived', 'bg_special_support'], strata: [] },
];

describe('suppression with background columns: no hidden group can be worked out, in any format', () => {
  for (const plan of PLANS) {
    it(`--by ${plan.by}: small groups hidden, and complementary hiding leaves no hidden group derivable (JSON, CSV, --excel, table)`, async () => {
      const { rows } = await json(['--by', plan.by]);
      const groups = rows.map((row) => ({ key: Object.fromEntries(plan.dims.map((dim) => [dim, (row[dim] ?? null) as string | null])), hidden: row.suppressed }));
      expect(groups.some((group) => group.hidden)).toBe(true);
      // Without complementary hiding, some hidden group could be worked out: the check is not empty.
      const small = await json(['--by', plan.by, '--small-groups-only']);
      const smallGroups = small.rows.map((row) => ({ key: Object.fromEntries(plan.dims.map((dim) => [dim, (row[dim] ?? null) as string | null])), hidden: row.suppressed }));
      expect(derivable(smallGroups, plan.dims, plan.strata).length).toBeGreaterThan(0);
      expect(derivable(groups, plan.dims, plan.strata)).toEqual([]);
      for (const row of rows) {
        if (row.suppressed) expect([row.n, row.mean_diff, row.std_gap, row.std_gap_adjusted, row.matrix]).toEqual([null, null, null, null, null]);
        else expect(row.n).toBeGreaterThanOrEqual(10);
      }
      const hiddenSequence = rows.map((row) => row.suppressed);
      const shownN = rows.map((row) => row.n);

      // CSV: the same rows, hidden the same, no figure in a hidden row.
      const csv = await runIn(['gap', FIXTURE, '-q', '--format', 'csv', '--by', plan.by]);
      const csvRows = csvTable(csv.stdout, ',');
      expect(csvRows.map((row) => row.suppressed === 'true')).toEqual(hiddenSequence);
      expect(csvRows.map((row) => (row.n === '' ? null : Number(row.n)))).toEqual(shownN);
      for (const row of csvRows.filter((r) => r.suppressed === 'true')) {
        const figures = Object.entries(row).filter(([key]) => !plan.dims.includes(key) && !['level', 'suppressed', 'suppressed_reason'].includes(key));
        expect(figures.filter(([, value]) => value !== '')).toEqual([]);
      }

      // --excel: Swedish headings, the same hidden rows with only the group and the reason.
      const excel = await runIn(['gap', FIXTURE, '-q', '--excel', '--by', plan.by]);
      const excelRows = csvTable(excel.stdout, ';');
      expect(excelRows.map((row) => (row.Elever === '' ? null : Number(row.Elever)))).toEqual(shownN);
      for (const [i, row] of excelRows.entries()) {
        if (!hiddenSequence[i]) continue;
        const filled = Object.entries(row).filter(([, value]) => value !== '').map(([key]) => key);
        expect(filled.every((key) => ['Skola', 'Område', 'Ämne', 'Nyanländ', 'Kön', 'Särskilt stöd', 'Nivå', 'Anmärkning'].includes(key)), filled.join(', ')).toBe(true);
      }

      // The table: its Elever column, row by row, is the JSON's n (.. where hidden).
      const table = await runIn(['gap', FIXTURE, '-q', '--by', plan.by, '--columns', 'group,n']);
      const cells = table.stdout
        .split('\n')
        .filter((line) => line.startsWith('│') && !line.includes('Grupp'))
        .map((line) => (line.split('│')[2] ?? '').trim());
      expect(cells).toEqual(shownN.map((n) => (n === null ? '..' : n.toLocaleString('sv-SE').replace(/\s/g, '\u00a0'))));
    });
  }
});

describe('--by with a background column', () => {
  it('--by nyanländ, --by Nyanländ (the header), --by newly_arrived: the same groups and figures; the column is named as people call it', async () => {
    const usual = await runIn(['gap', FIXTURE, '-q', '--format', 'json', '--by', 'skola,nyanländ']);
    const rows = (text: string) => (JSON.parse(text) as { rows: unknown[] }).rows;
    for (const word of ['Nyanländ', 'NYANLAND', 'Nyanländ inom 4 år', 'newly_arrived', 'bg_newly_arrived']) {
      const other = await runIn(['gap', FIXTURE, '-q', '--format', 'json', '--by', `school,${word}`]);
      expect(other.status, word).toBe(0);
      expect(rows(other.stdout), word).toEqual(rows(usual.stdout));
    }
    const table = await runIn(['gap', FIXTURE, '-q', '--by', 'skola,nyanländ']);
    expect(table.stdout).toContain('│   Fjällskolan, nyanländ: nej ');
    expect(table.stdout).toContain('│   Fjällskolan, nyanländ: (okänd) ');
    const en = await runIn(['gap', FIXTURE, '-q', '--by', 'skola,nyanländ', '--lang', 'en']);
    expect(en.stdout).toContain('│   Fjällskolan, newly arrived: no ');
  });

  it("a column no usual factor names, by its own header (matched like other headers: case, spaces and diacritics ignored)", async () => {
    const { rows, meta } = await json(['--by', 'skola,ELEVENS STODNIVA', '--min-group', '1']);
    expect([...new Set(rows.map((row) => row.bg_elevens_stodniva))]).toEqual([null, 'Extra anpassningar', 'Ingen', 'Särskilt stöd']);
    expect((meta.background as { dimensions: unknown[] }).dimensions).toEqual([
      {
        key: 'bg_elevens_stodniva',
        name: 'ELEVENS STODNIVA',
        columns: [{ file: 'fixtures/background/betyg.csv', header: 'Elevens stödnivå', values: 'categories' }],
        conflicts: 0,
        conflict_examples: [],
        unread: { personal_id: 0, unmapped: {} },
        pooled: { categories: 0, pupils: 0 },
      },
    ]);
    const table = await runIn(['gap', FIXTURE, '-q', '--by', 'skola,Elevens stödnivå']);
    expect(table.stdout).toContain('│ Totalt, elevens stödnivå: Särskilt stöd ');
  });

  it('the X column (Åtgärdsprogram): X is ja, blank nej; categories of Föräldrarnas utbildningsnivå with (saknas) for blank cells', async () => {
    const support = await json(['--by', 'åtgärdsprogram', '--min-group', '1']);
    expect(support.rows.map((row) => row.bg_special_support)).toEqual([null, 'yes', 'no']);
    const education = await json(['--by', 'föräldrarnas utbildningsnivå', '--min-group', '1']);
    expect(education.rows.map((row) => row.bg_parental_education)).toEqual([null, 'eftergymnasial', 'förgymnasial', 'gymnasial', '(saknas)']);
    // The parts add up to the whole: no pupil is lost.
    const [total, ...parts] = education.rows.map((row) => row.n as number);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it("the config's background: aliases and values; its key in --by and in the config's by", async () => {
    const path = config('alias.json', {
      background: { stod: { columns: ['Stödnivå', 'Elevens stödnivå'], label: 'Stödnivå', values: { Ingen: 'Inget', 'Extra anpassningar': 'Anpassningar', 'Särskilt stöd': 'Särskilt stöd' } } },
      by: ['skola', 'stod'],
    });
    const { rows, meta } = await json(['--config', path, '--min-group', '1']);
    expect([...new Set(rows.map((row) => row.bg_stod))]).toEqual([null, 'Anpassningar', 'Inget', 'Särskilt stöd']);
    expect((meta.background as { dimensions: { name: string }[] }).dimensions[0]?.name).toBe('Stödnivå');
    const table = await runIn(['gap', FIXTURE, '-q', '--config', path]);
    expect(table.stdout).toContain('Totalt, stödnivå: Inget');
    const excel = await runIn(['gap', FIXTURE, '-q', '--config', path, '--excel']);
    expect(excel.stdout.split('\n')[0]).toMatch(/^\ufeffSkola;Stödnivå;Nivå;Elever;/);
  });

  it('values the config does not name and rows that disagree are said on stderr, with lines (sv and en)', async () => {
    const path = config('partial.json', { background: { stod: { columns: 'Elevens stödnivå', values: { Ingen: 'Inget' } } } });
    const sv = await runIn(['gap', FIXTURE, '--config', path, '--by', 'stod,nyanländ', '--format', 'json']);
    expect(sv.status).toBe(0);
    expect(sv.stderr).toContain('ska-analyze: Nyanländ: 2 elever och läsår med olika värden på olika rader (fixtures/background/prov.csv:20, fixtures/background/prov.csv:302); räknas som (okänd) det läsåret, deras resultat räknas som vanligt\n');
    // The values are shown as rejected values are: by their shape, unless plainly not a person.
    expect(sv.stderr).toMatch(/ska-analyze: Elevens stödnivå: 150 rader med värden som konfigurationens "values" inte nämner \("\[text, 18 tecken\]" ×99, "\[text, 13 tecken\]" ×51; visas som egna värden\)\n/);
    const en = await runIn(['gap', FIXTURE, '--config', path, '--by', 'stod,nyanländ', '--format', 'json', '--lang', 'en']);
    expect(en.stderr).toContain('ska-analyze: Newly arrived: 2 pupils and school years with different values on different rows');
    expect(en.stderr).toMatch(/rows with values the config's "values" do not name \("\[text, 18 characters\]" ×99, "\[text, 13 characters\]" ×51; /);
  });

  it('a word that names no column: exit 2, listing the columns no field uses (never names), in Swedish and English; from the config its "by" is named', async () => {
    const sv = await runIn(['gap', FIXTURE, '--by', 'skola,planet']);
    expect(sv.status).toBe(2);
    expect(sv.stdout).toBe('');
    expect(sv.stderr).toBe(
      'ska-analyze: --by: okänd indelning planet; välj bland läsår, årskurs, skolområde, område, skola, klass, ämne, kön, lärare (eller school_year, grade_level, area, school, class, subject, gender, teacher), eller en bakgrundskolumn i exporterna: Nyanländ, Åtgärdsprogram, Föräldrarnas utbildningsnivå, Elevens stödnivå\n',
    );
    const en = await runIn(['gap', FIXTURE, '--by', 'skola,planet', '--lang', 'en']);
    expect(en.status).toBe(2);
    expect(en.stderr).toBe(
      'ska-analyze: --by: unknown dimension planet; choose from school_year, grade_level, area, school, class, subject, gender, teacher (or in Swedish: läsår, årskurs, skolområde, område, skola, klass, ämne, kön, lärare), or a background column of the exports: Nyanländ, Åtgärdsprogram, Föräldrarnas utbildningsnivå, Elevens stödnivå\n',
    );
    const fromConfig = await runIn(['gap', FIXTURE, '--config', config('planet.json', { by: ['school', 'planet'] })]);
    expect(fromConfig.status).toBe(2);
    expect(fromConfig.stderr).toMatch(/^ska-analyze: "by": okänd indelning planet; /);
    // A usual factor the exports do not have: what was looked for, and the columns there are.
    const missing = await runIn(['gap', FIXTURE, '--by', 'modersmål']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^ska-analyze: --by modersmål: ingen export har en sådan kolumn \(sökte efter Modersmål, Annat modersmål, .*\); kolumner som inte används: Nyanländ, Åtgärdsprogram, Föräldrarnas utbildningsnivå, Elevens stödnivå\. /);
  });

  it('a column of names is never a dimension and never offered as one', async () => {
    const file = join(dir, 'names.csv');
    writeFileSync(file, ['Elev-ID;Förnamn;Skola;Årskurs;Läsår;Ämne;Betyg;Provbetyg', 'EX1;Anna;S;9;2024/25;Matematik;C;C'].join('\n'));
    const named = await runIn(['gap', file, '--by', 'förnamn']);
    expect(named.status).toBe(2);
    expect(named.stderr).toBe('ska-analyze: --by förnamn: kolumnen säger vem eleven är (namn, kontaktuppgifter, födelsedatum); en sådan kolumn blir aldrig en indelning, eftersom dess värden då skulle visas som gruppnamn\n');
    const unknown = await runIn(['gap', file, '--by', 'planet']);
    expect(unknown.stderr).toContain('eller en bakgrundskolumn i exporterna: (exporterna har inga andra kolumner)');
    expect(unknown.stderr).not.toContain('Förnamn');
  });
});

describe('--adjust-for and the adjusted figure beside the unadjusted', () => {
  it('the table shows Std-diff and Std-diff, bakgrund side by side, and explains the second', async () => {
    const table = await runIn(['gap', FIXTURE, '-q', '--by', 'skola', '--adjust-for', 'nyanländ']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/│ Std-diff │ Std-diff, bakgrund │/);
    // Fjällskolan: −0,3 before, −0,9 after (tests/analysis/background.test.ts pins the figures).
    expect(table.stdout).toMatch(/│   Fjällskolan +│ +192 │.*│ +−0,3 │ +−0,9 │/);
    expect(table.stdout).toContain('Std-diff, bakgrund: som Std-diff, men jämfört inom varje provbetyg och bakgrund (nyanländ)');
    const wide = await runIn(['gap', FIXTURE, '-q', '--by', 'skola', '--adjust-for', 'nyanländ', '--wide']);
    // The intervals are in JSON, CSV and --excel (below); the table keeps one figure a cell, as for Std-diff.
    expect(wide.stdout).toMatch(/│   Fjällskolan +│ +192 │.*│ +−0,3 │ +−0,9 │ inom +│/);
  });

  it('CSV and --excel carry the adjusted figures and their intervals; a run without background has none of those columns', async () => {
    const csv = await runIn(['gap', FIXTURE, '-q', '--format', 'csv', '--by', 'skola', '--adjust-for', 'nyanländ']);
    const head = csv.stdout.split('\n')[0] ?? '';
    expect(head).toContain(',std_gap_shrunk,adjusted_for,std_n_adjusted,expected_mean_diff_adjusted,std_gap_adjusted,std_gap_adjusted_ci_low,std_gap_adjusted_ci_high,std_gap_adjusted_steps,std_gap_adjusted_steps_ci_low,std_gap_adjusted_steps_ci_high,suppressed,');
    const excel = await runIn(['gap', FIXTURE, '-q', '--excel', '--by', 'skola', '--adjust-for', 'nyanländ']);
    const rows = csvTable(excel.stdout, ';');
    const fjall = rows.find((row) => row.Skola === 'Fjällskolan');
    expect(fjall?.['Justerat för']).toBe('Nyanländ');
    expect([fjall?.['Std-diff (betygspoäng)'], fjall?.['Std-diff, bakgrund (betygspoäng)'], fjall?.['Std-diff, bakgrund, 95 % KI låg'], fjall?.['Std-diff, bakgrund, 95 % KI hög']]).toEqual(['-0,3', '-0,9', '-1,5', '-0,4']);
    const plain = await runIn(['gap', FIXTURE, '-q', '--format', 'csv', '--by', 'skola']);
    expect(plain.stdout.split('\n')[0]).not.toContain('adjusted');
  });

  it('--adjust-for with a built-in dimension, or a column the exports lack: exit 2 with why', async () => {
    const builtin = await runIn(['gap', FIXTURE, '--by', 'skola', '--adjust-for', 'kön']);
    expect(builtin.status).toBe(2);
    expect(builtin.stderr).toBe('ska-analyze: --adjust-for kön: inte en bakgrundskolumn; den standardiserade skillnaden jämför redan inom läsår, årskurs, ämne och (med kön i --by) kön\n');
    const missing = await runIn(['gap', FIXTURE, '--by', 'skola', '--adjust-for', 'planet', '--lang', 'en']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^ska-analyze: --adjust-for: unknown dimension planet; .*or a background column of the exports: Nyanländ, /);
  });

  it("the config's adjust_for works as --adjust-for, and --adjust-for overrides it", async () => {
    const path = config('adjust.json', { adjust_for: ['nyanländ'] });
    const fromConfig = await json(['--config', path, '--by', 'skola']);
    const fromOption = await json(['--by', 'skola', '--adjust-for', 'nyanländ']);
    expect(fromConfig.rows).toEqual(fromOption.rows);
    const other = await json(['--config', path, '--by', 'skola', '--adjust-for', 'åtgärdsprogram']);
    expect(other.rows[1]?.adjusted_for).toBe('bg_special_support');
  });
});

describe('transition and trend with a background column', () => {
  it('transition: the value of the school year the pupil is counted in (--attribute-to), with suppression', async () => {
    // 40 pupils: newly arrived in år 5 (2023/24) for 12 of them, in år 6 (2024/25) for 8.
    const rows = ['Elev-ID;Skola;Årskurs;Läsår;Ämne;Typ;Resultat;Nyanländ'];
    for (let k = 0; k < 40; k++) {
      const id = `T${String(k).padStart(3, '0')}`;
      rows.push(`${id};S${k % 2};5;2023/24;Matematik;bedömning;${k % 3 ? 2 : 1};${k < 12 ? 'Ja' : 'Nej'}`);
      rows.push(`${id};S${k % 2};6;2024/25;Matematik;Provbetyg;${'ABCDEF'[k % 6]};${k < 8 ? 'Ja' : 'Nej'}`);
    }
    const file = join(dir, 'transition.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const counts = async (args: string[]) => {
      const result = await runIn(['transition', file, '-q', '--format', 'json', '--by', 'nyanländ', ...args]);
      expect(result.status, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { rows: { bg_newly_arrived: string | null; n: number | null }[] }).rows.map((row) => [row.bg_newly_arrived, row.n]);
    };
    expect(await counts(['--min-group', '1'])).toEqual([[null, 40], ['yes', 12], ['no', 28]]);
    expect(await counts(['--min-group', '1', '--attribute-to', 'to'])).toEqual([[null, 40], ['yes', 8], ['no', 32]]);
    // 8 newly arrived is under 10: hidden, and so is its complement (40 − 8 would give it).
    expect(await counts(['--attribute-to', 'to'])).toEqual([[null, 40], ['yes', null], ['no', null]]);
  });

  it('transition: with a background column the unlinked and missing counts are empty in every format (a value with no linked pupil has no row, so they could give it away)', async () => {
    // 20 linked pupils (all "Nej"), and 3 newly arrived pupils with an år 5 omdöme but no år 6 test.
    const rows = ['Elev-ID;Skola;Årskurs;Läsår;Ämne;Typ;Resultat;Nyanländ'];
    for (let k = 0; k < 20; k++) {
      rows.push(`L${k};S0;5;2023/24;Matematik;bedömning;2;Nej`);
      rows.push(`L${k};S0;6;2024/25;Matematik;Provbetyg;C;Nej`);
    }
    for (let k = 0; k < 3; k++) rows.push(`N${k};S0;5;2023/24;Matematik;bedömning;1;Ja`);
    const file = join(dir, 'transition-unlinked.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    type Row = { n_from_only: number | null; n_to_only: number | null; n_from_missing: number | null; n_to_missing: number | null };
    const json = async (by: string) => (JSON.parse((await runIn(['transition', file, '-q', '--format', 'json', '--by', by])).stdout) as { rows: Row[] }).rows;
    // Without a background column: S0 has 3 pupils with no år 6 result.
    expect((await json('skola')).map((row) => row.n_from_only)).toEqual([3, 3]);
    const withBackground = await json('skola,nyanländ');
    expect(withBackground.length).toBeGreaterThan(0);
    for (const row of withBackground) expect([row.n_from_only, row.n_to_only, row.n_from_missing, row.n_to_missing]).toEqual([null, null, null, null]);
    const csv = csvTable((await runIn(['transition', file, '-q', '--format', 'csv', '--by', 'skola,nyanländ'])).stdout, ',');
    expect(csv.length).toBe(withBackground.length);
    expect(csv.filter((row) => row.n_from_only !== '' || row.n_to_only !== '')).toEqual([]);
    const excel = (await runIn(['transition', file, '-q', '--excel', '--by', 'skola,nyanländ'])).stdout;
    const excelRows = csvTable(excel, ';');
    expect(excelRows.length).toBe(withBackground.length);
    for (const row of excelRows) for (const [header, cell] of Object.entries(row)) if (/^Saknar åk|^Länkade utan resultat/.test(header)) expect(cell, header).toBe('');
    const table = (await runIn(['transition', file, '-q', '--by', 'skola,nyanländ'])).stdout;
    expect(table).not.toMatch(/│\s+3\s+│/);
  });

  it('trend: a series per school and background value over the school years', async () => {
    const two = join(dir, 'two-years');
    mkdirSync(two, { recursive: true });
    for (const name of ['betyg.csv', 'prov.csv']) {
      const [head, ...lines] = readFileSync(join(FIXTURE, name), 'utf8').trimEnd().split('\n');
      const earlier = lines.map((line) => line.replace('2024/25', '2023/24').replace(/^EX/, 'EY'));
      writeFileSync(join(two, name), `${[head, ...lines, ...earlier].join('\n')}\n`);
    }
    const result = await runIn(['trend', two, '-q', '--format', 'json', '--by', 'skola,nyanländ']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { meta: { background: { dimensions: { key: string; conflicts: number }[] } }; rows: Record<string, unknown>[] };
    expect(report.meta.background.dimensions.map((dim) => [dim.key, dim.conflicts])).toEqual([['bg_newly_arrived', 4]]);
    const gapRows = report.rows.filter((row) => row.analysis === 'gap');
    expect(new Set(gapRows.map((row) => row.bg_newly_arrived))).toEqual(new Set([null, 'yes', 'no', '(okänd)']));
    // Both years are the same pupils' figures: Fjällskolan's pupils who are not newly arrived, 120 each year.
    expect(gapRows.filter((row) => row.school === 'Fjällskolan' && row.bg_newly_arrived === 'no').map((row) => [row.school_year, row.n])).toEqual([
      ['2023/24', 120],
      ['2024/25', 120],
    ]);
  });
});

/**
 * An export of 60 synthetic pupils (two schools, two subjects each; the last four have a grade and
 * no test) with the background columns given: header → a pupil's cell by its number.
 */
function exportWith(name: string, columns: Record<string, (k: number) => string>): string {
  const headers = Object.keys(columns);
  const rows = [['Elev-ID', 'Skola', 'Årskurs', 'Läsår', 'Ämne', 'Betyg', 'Provbetyg', ...headers].join(';')];
  for (let k = 0; k < 60; k++) {
    for (const subject of ['Matematik', 'Engelska']) {
      const test = k >= 56 ? '' : 'ABCDEF'[(k + (k % 3 === 0 ? 1 : 0)) % 6];
      rows.push([`EX${String(k).padStart(3, '0')}`, `S${k % 2}`, '9', '2024/25', subject, 'ABCDEF'[k % 6], test, ...headers.map((header) => columns[header]?.(k) ?? '')].join(';'));
    }
  }
  const path = join(dir, name);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

const FIRST = ['Anna', 'Maja', 'Oscar', 'Liam', 'Elsa', 'Hugo', 'Alice', 'Noah', 'Wilma', 'Nils'];
const LAST = ['Testsson', 'Lindqvist', 'Berg', 'Holm', 'Ek', 'Strand'];
const LANGUAGES = ['Arabiska', 'Somaliska', 'Svenska'];

describe('columns that say who a pupil is: never a dimension, by their header or their values', () => {
  const file = exportWith('personal.csv', {
    'Vårdnadshavare 1': (k) => `${FIRST[k % 10]} ${LAST[(k + 1) % 6]}`,
    'E-postadress': (k) => `vh${k}@example.se`,
    'Födelsedatum (ÅÅMMDD)': (k) => `1101${String((k % 28) + 1).padStart(2, '0')}`,
    Elev: (k) => `${FIRST[k % 10]} ${LAST[k % 6]}`,
    'Elevens stödnivå': (k) => (k % 4 === 0 ? 'Extra anpassningar' : 'Ingen'),
    Info: (k) => `p${k}@example.se`,
    Anteckning: (k) => `${FIRST[k % 10]} ${LAST[k % 6]}`,
    Datum: (k) => `2011-0${(k % 9) + 1}-1${k % 10}`,
    Kod: (k) => `K${k}`,
    Nummer: () => '20130412-9826',
    Modersmål: (k) => LANGUAGES[k % 3] as string,
  });
  const VALUES = /Testsson|Lindqvist|example|K17|1101\d\d|2011-0|20130412/;

  it('--by a column of guardians, e-mail addresses, birth dates or pupils (by its header): exit 2, its values never shown; never offered as a column', async () => {
    for (const header of ['Vårdnadshavare 1', 'E-postadress', 'Födelsedatum (ÅÅMMDD)', 'Elev', 'elevens namn']) {
      const result = await runIn(['gap', file, '--by', `skola,${header}`]);
      expect(result.status, header).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`ska-analyze: --by ${header}: kolumnen säger vem eleven är (namn, kontaktuppgifter, födelsedatum); en sådan kolumn blir aldrig en indelning, eftersom dess värden då skulle visas som gruppnamn\n`);
    }
    // As --adjust-for too; and in English.
    const adjust = await runIn(['gap', file, '--by', 'skola', '--adjust-for', 'Vårdnadshavare 1', '--lang', 'en']);
    expect(adjust.status).toBe(2);
    expect(adjust.stderr).toBe('ska-analyze: --adjust-for Vårdnadshavare 1: the column says who the pupil is (names, contact details, birth dates); such a column is never a dimension, since its values would then be shown as group names\n');
    // The columns offered for an unknown word leave the personal ones out (their values are judged only when asked for).
    const unknown = await runIn(['gap', file, '--by', 'planet']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/eller en bakgrundskolumn i exporterna: Elevens stödnivå, Info, Anteckning, Datum, Kod, Nummer, Modersmål\n$/);
    // An attribute of the pupil is a dimension as before.
    const support = await runIn(['gap', file, '-q', '--by', 'skola,Elevens stödnivå']);
    expect(support.status, support.stderr).toBe(0);
  });

  it('--by a column whose values are e-mail addresses, names, dates, personnummer or one per pupil: exit 2 naming the column and why, never a value (sv and en)', async () => {
    const cases: [string, string, string][] = [
      ['Info', 'de flesta cellerna är e-postadresser', 'most of its cells are e-mail addresses'],
      ['Anteckning', 'de flesta cellerna ser ut som namn', 'most of its cells look like names'],
      ['Datum', 'de flesta cellerna är datum, som födelsedatum', 'most of its cells are dates, like birth dates'],
      ['Nummer', 'de flesta cellerna är personnummer', 'most of its cells are personnummer'],
      ['Kod', '60 av 60 elever med ett värde har ett som ingen annan elev har', '60 of the 60 pupils with a value have one no other pupil has'],
    ];
    for (const [column, sv, en] of cases) {
      const result = await runIn(['gap', file, '-q', '--format', 'json', '--by', `skola,${column}`]);
      expect(result.status, column).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`ska-analyze: --by ${column}: kolumnens värden säger vem eleven är (${sv}); en sådan kolumn blir aldrig en indelning, eftersom dess värden då skulle visas som gruppnamn\n`);
      const english = await runIn(['gap', file, '--by', `skola,${column}`, '--lang', 'en']);
      expect(english.status, column).toBe(2);
      expect(english.stderr).toContain(`ska-analyze: --by ${column}: the column's values say who the pupil is (${en}); such a column is never a dimension`);
      expect(`${result.stderr}${english.stderr}`).not.toMatch(VALUES);
    }
    // A column of categories in the same export is a dimension.
    const languages = await runIn(['gap', file, '-q', '--by', 'skola,modersmål']);
    expect(languages.status, languages.stderr).toBe(0);
  });

  it('a mother-tongue column where many (not nearly all) pupils have a language of their own is pooled, not refused (found by review)', async () => {
    // 60 pupils: blank (Swedish) for 15, and for the others 45 languages of which 40 are one pupil's.
    const rare = exportWith('rare-languages.csv', { Modersmål: (k) => (k < 15 ? '' : k < 25 ? ['Arabiska', 'Somaliska'][k % 2] as string : `Språk${String.fromCharCode(65 + (k % 26))}${String.fromCharCode(65 + Math.floor(k / 26))}`) });
    const result = await runIn(['gap', rare, '--format', 'json', '--by', 'skola,modersmål', '--min-group', '3']);
    expect(result.status, result.stderr).toBe(0);
    const values = new Set((JSON.parse(result.stdout) as { rows: { bg_mother_tongue: string | null }[] }).rows.map((row) => row.bg_mother_tongue));
    expect(values).toEqual(new Set([null, '(saknas)', 'Arabiska', 'Somaliska', '(övriga)']));
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Språk/i);
  });
});

describe('rare categories and stray values are never shown', () => {
  // Arabiska, Somaliska and Svenska for 20 pupils each, but one pupil's Tigrinja and a name in a shifted cell.
  const file = exportWith('languages.csv', { Modersmål: (k) => (k === 7 ? 'Tigrinja' : k === 8 ? 'Anna Testsson' : (LANGUAGES[k % 3] as string)) });
  const values = config('languages.json', { background: { modersmal: { values: { Arabiska: 'Arabiska', Somaliska: 'Somaliska', Svenska: 'Svenska' } } } });

  it('categories fewer than --min-group pupils have are one category, (övriga), in every format; counted in meta and said on stderr', async () => {
    const result = await runIn(['gap', file, '--config', values, '--format', 'json', '--by', 'skola,modersmål']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { rows: JsonRow[]; meta: { background: { dimensions: { pooled: unknown; unread: unknown }[] } } };
    expect([...new Set(report.rows.map((row) => row.bg_mother_tongue))]).toEqual([null, 'Arabiska', 'Somaliska', 'Svenska', '(övriga)']);
    expect(report.meta.background.dimensions[0]?.pooled).toEqual({ categories: 2, pupils: 2 });
    // The values the config does not name, by their shape only.
    expect(report.meta.background.dimensions[0]?.unread).toEqual({ personal_id: 0, unmapped: { '[text, 13 characters]': 2, '[text, 8 characters]': 2 } });
    expect(result.stderr).toContain('ska-analyze: Modersmål: 2 kategorier med färre än 10 elever (2 elever) visas tillsammans som (övriga), så att ingen sällsynt kategori kan peka ut en elev\n');
    expect(result.stderr).toContain('ska-analyze: Modersmål: 4 rader med värden som konfigurationens "values" inte nämner ("[text, 13 tecken]" ×2, "[text, 8 tecken]" ×2; visas som egna värden)\n');
    const outputs = [result.stdout, result.stderr];
    for (const args of [['--format', 'csv'], ['--excel'], [], ['--lang', 'en'], ['--format', 'json', '--min-group', '1']]) {
      const other = await runIn(['gap', file, '--config', values, '--by', 'skola,modersmål', ...args]);
      expect(other.status, other.stderr).toBe(0);
      outputs.push(other.stdout, other.stderr);
    }
    expect(outputs.join('\n')).not.toMatch(/Tigrinja|Anna|Testsson/);
    expect(outputs[6]).toContain('│ Totalt, modersmål: (övriga) ');
    // Without the config every value is its own, unmapped nowhere: pooled just the same.
    const plain = await runIn(['gap', file, '--by', 'skola,modersmål']);
    expect(`${plain.stdout}${plain.stderr}`).not.toMatch(/Tigrinja|Anna|Testsson/);
    expect(plain.stdout).toContain('│   S0, modersmål: (övriga) ');
  });

  it('with a background column, pupils with a grade and no test (or the reverse) are not counted in any row, in any format: they could give a value away', async () => {
    const json = await runIn(['gap', file, '-q', '--format', 'json', '--by', 'skola,modersmål']);
    const rows = (JSON.parse(json.stdout) as { rows: JsonRow[] }).rows;
    expect(rows.map((row) => [row.n_grade_only, row.n_test_only]).filter(([a, b]) => a !== null || b !== null)).toEqual([]);
    // Without one, they are counted as before: 4 pupils × 2 subjects with no test.
    const plain = await runIn(['gap', file, '-q', '--format', 'json', '--by', 'skola']);
    expect((JSON.parse(plain.stdout) as { rows: JsonRow[] }).rows.map((row) => [row.school, row.n_grade_only, row.n_test_only])).toEqual([
      [null, 8, 0],
      ['S0', 4, 0],
      ['S1', 4, 0],
    ]);
    const csv = csvTable((await runIn(['gap', file, '-q', '--format', 'csv', '--by', 'skola,modersmål'])).stdout, ',');
    expect(csv.length).toBe(rows.length);
    expect(csv.filter((row) => row.n_grade_only !== '' || row.n_test_only !== '')).toEqual([]);
    const excel = csvTable((await runIn(['gap', file, '-q', '--excel', '--by', 'skola,modersmål'])).stdout, ';');
    expect(excel.length).toBe(rows.length);
    expect(excel.filter((row) => row['Utan prov'] !== '' || row['Utan betyg'] !== '')).toEqual([]);
    const table = await runIn(['gap', file, '-q', '--by', 'skola,modersmål', '--columns', 'group,n,no_test,no_grade']);
    const cells = table.stdout.split('\n').filter((line) => line.startsWith('│') && !line.includes('Grupp')).map((line) => line.split('│').slice(3, 5).map((cell) => cell.trim()));
    expect(cells.length).toBe(rows.length);
    // Empty in every row (.. in a hidden one, as its other figures).
    expect(cells.map((pair, i) => (rows[i]?.suppressed ? pair.every((cell) => cell === '..') : pair.every((cell) => cell === '')))).not.toContain(false);
  });
});

describe('with three background ways and more the total stays shown', () => {
  it('--by skola,nyanländ,"Elevens stödnivå": the municipality total (534 pupils) is shown, and no hidden group can be worked out', async () => {
    const dims = ['school', 'bg_newly_arrived', 'bg_elevens_stodniva'];
    const { rows } = await json(['--by', 'skola,nyanländ,Elevens stödnivå']);
    expect([rows[0]?.level, rows[0]?.n, rows[0]?.suppressed]).toEqual(['total', 534, false]);
    const groups = rows.map((row) => ({ key: Object.fromEntries(dims.map((dim) => [dim, (row[dim] ?? null) as string | null])), hidden: row.suppressed }));
    expect(derivable(groups, dims, [])).toEqual([]);
    // Fewer rows are hidden than before the total was kept (42 of 61 then, at a minimum of 10
    // results). --by leaves out ämne, so the minimum counts results × 3 subjects: --min-group 4 is
    // 12 results, the nearest to that old threshold.
    const { rows: four } = await json(['--by', 'skola,nyanländ,Elevens stödnivå', '--min-group', '4']);
    expect(four.filter((row) => row.suppressed).length).toBeLessThan(42);
    expect(four[0]?.suppressed).toBe(false);
    const table = await runIn(['gap', FIXTURE, '-q', '--by', 'skola,nyanländ,Elevens stödnivå', '--columns', 'group,n']);
    expect(table.stdout).toMatch(/│ Totalt +│ +534 │/);
  });
});
