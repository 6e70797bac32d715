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
    expect(sv.stderr).toMatch(/ska-analyze: Elevens stödnivå: 150 rader med värden som konfigurationens "values" inte nämner \("Extra anpassningar" ×99, "Särskilt stöd" ×51; visas som egna värden\)\n/);
    const en = await runIn(['gap', FIXTURE, '--config', path, '--by', 'stod,nyanländ', '--format', 'json', '--lang', 'en']);
    expect(en.stderr).toContain('ska-analyze: Newly arrived: 2 pupils and school years with different values on different rows');
    expect(en.stderr).toMatch(/rows with values the config's "values" do not name/);
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
