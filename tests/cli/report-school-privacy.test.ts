/**
 * An attacker against `report --per-school`: from everything published (the board report's rows
 * and every school's sheet), can any figure the board report hides, or any small group of pupils,
 * be worked out?
 *
 * Every published row is a sum over groups of pupils (the figures of a school, an area, the
 * municipality, the rest of the municipality, the pupils who went from one school to another).
 * The attacker writes each shown row as a 0/1 vector over the smallest groups it knows of (the
 * schools of one year, grade level and subject; for år 5 → 6, the flows of pupils from each år 5
 * school to each år 6 school, which the test knows because it made the exports) and asks whether a
 * protected group is a linear combination of the shown rows. The rows and which of them are shown
 * are read from the files the program writes (Markdown), not taken from the program's own check:
 * the rank is computed here independently, exactly (modulo a large prime, in BigInt).
 *
 * Protected: every group the board report hides; every flow of 1 … min-group − 1 pupils; the
 * pupils who left a school, and those who joined it, when they are 1 … min-group − 1. What the
 * board report alone already determines is the board report's business (its own tests); the
 * sheets must add no such disclosure.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIn } from './run.js';
import { testPersonnummer } from '../support/personnummer.js';
import { HOOK_TIMEOUT, runOnce } from './shared-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'ska-school-attack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIN_GROUP = 10;
const SUBJECT_CODE: Readonly<Record<string, string>> = { Svenska: 'SV', 'Svenska som andraspråk': 'SVA', Engelska: 'EN', Matematik: 'MA', Biologi: 'BI', Fysik: 'FY', Kemi: 'KE', Geografi: 'GE', Historia: 'HI', Religionskunskap: 'RE', Samhällskunskap: 'SH' };

// ---------------------------------------------------------------------------------------------
// Exact linear algebra: is a vector a linear combination of others? (rank modulo a large prime)

const P = 2_147_483_647n;

function power(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = ((base % P) + P) % P;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function rank(vectors: readonly number[][]): number {
  const rows = vectors.map((v) => v.map((x) => ((BigInt(x) % P) + P) % P));
  const width = rows[0]?.length ?? 0;
  let r = 0;
  for (let col = 0; col < width && r < rows.length; col++) {
    const pivot = rows.findIndex((row, i) => i >= r && row[col] !== 0n);
    if (pivot < 0) continue;
    [rows[r], rows[pivot]] = [rows[pivot]!, rows[r]!];
    const inv = power(rows[r]![col]!, P - 2n);
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i]![col] === 0n) continue;
      const f = (rows[i]![col]! * inv) % P;
      rows[i] = rows[i]!.map((x, k) => (((x - f * rows[r]![k]!) % P) + P) % P);
    }
    r++;
  }
  return r;
}

function inSpan(vectors: readonly number[][], target: readonly number[]): boolean {
  if (vectors.length === 0) return target.every((x) => x === 0);
  return rank([...vectors, [...target]]) === rank(vectors);
}

describe('the attacker\'s linear algebra', () => {
  it('finds a flow from the rows that determine it, and not from rows that do not', () => {
    // Flows Ask→Ceder, Björk→Ceder, Björk→Dal; rows Ask (sending), Ceder (receiving).
    expect(inSpan([[1, 0, 0], [1, 1, 0]], [0, 1, 0])).toBe(true);
    expect(inSpan([[1, 0, 0], [0, 1, 1]], [0, 1, 0])).toBe(false);
    // A cycle of four flows: every single flow stays unknown.
    const rows = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]];
    for (let k = 0; k < 4; k++) expect(inSpan(rows, [0, 1, 2, 3].map((i) => (i === k ? 1 : 0)))).toBe(false);
    expect(inSpan(rows, [1, 1, 1, 1])).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Reading what the files show

/** A Markdown table row's cells (without indentation and bold). */
function cells(line: string): string[] {
  return line
    .slice(2, -2)
    .split(' | ')
    .map((cell) => cell.replace(/^(?:&nbsp;)+/, '').replace(/^\*\*(.*)\*\*$/, '$1'));
}

function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}`);
  if (start < 0) return '';
  const end = md.indexOf('\n## ', start + 4);
  return md.slice(start, end < 0 ? undefined : end);
}

/** `### Heading` parts of a section: heading → its table rows. */
function parts(text: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const piece of text.split('\n### ').slice(1)) {
    const [heading = '', ...lines] = piece.split('\n');
    out.set(heading, lines.filter((line) => line.startsWith('| ') && !line.startsWith('| ---')).map(cells));
  }
  return out;
}

/** A shown count ("1 234" → 1234), or null for "..", "–" and empty. */
function count(cell: string | undefined): number | null {
  if (cell === undefined || !/^\d[\d\s\u00a0]*$/.test(cell)) return null;
  return Number(cell.replace(/[\s\u00a0]/g, ''));
}

interface Sheets {
  /** School → its sheet (Markdown). */
  bySchool: Map<string, string>;
}

async function writeSheets(args: readonly string[], name: string, extra: readonly string[] = []): Promise<Sheets> {
  const out = join(dir, name);
  const run = await runIn(['report', ...args, '--per-school', out, '--format', 'md', '-q', ...extra]);
  expect(run.status, run.stderr).toBe(0);
  const bySchool = new Map<string, string>();
  for (const file of readdirSync(out)) {
    const text = readFileSync(join(out, file), 'utf8');
    const school = /^# Analysunderlag: (.*)\n/.exec(text)?.[1];
    expect(school, file).toBeDefined();
    bySchool.set(school!, text);
  }
  return { bySchool };
}

// ---------------------------------------------------------------------------------------------
// Betyg och prov: schools of one year, grade level and subject

interface GapRow {
  school_year: string;
  grade_level: number;
  subject: string;
  level: string;
  area: string | null;
  school: string | null;
  n: number | null;
  suppressed: boolean;
}

interface GapFinding {
  strata: number;
  restShown: number;
  disclosures: string[];
}

/**
 * The latest year's gap: the board report's rows (gap --format json, the same analysis) and, from
 * each sheet, the school's row, the rest of the municipality and the total.
 */
function attackGap(rows: readonly GapRow[], sheets: Sheets, year: string): GapFinding {
  const finding: GapFinding = { strata: 0, restShown: 0, disclosures: [] };
  const strata = new Map<string, GapRow[]>();
  for (const row of rows.filter((r) => r.school_year === year)) {
    const id = `${row.grade_level}|${row.subject}`;
    strata.set(id, [...(strata.get(id) ?? []), row]);
  }
  for (const [id, group] of strata) {
    const [level, code] = id.split('|');
    const schools = group.filter((r) => r.level === 'school');
    const index = (r: GapRow) => schools.indexOf(r);
    const all = schools.map(() => 1);
    const board: number[][] = [];
    for (const r of group) {
      if (r.suppressed) continue;
      if (r.level === 'total') board.push(all);
      else if (r.level === 'area') board.push(schools.map((s) => (s.area === r.area ? 1 : 0)));
      else board.push(schools.map((_, i) => (i === index(r) ? 1 : 0)));
    }
    const published = [...board];
    for (const [school, md] of sheets.bySchool) {
      const own = schools.filter((s) => s.school === school);
      if (own.length !== 1) continue;
      const table = parts(section(md, 'Betyg jämfört med nationella prov')).get(`Åk ${level}`) ?? [];
      const subjectName = Object.entries(SUBJECT_CODE).find(([, c]) => c === code)?.[0];
      const at = table.findIndex((c) => c[0] === `${subjectName}: ${school}`);
      if (at < 0) continue;
      const shownSchool = count(table[at]![1]);
      // The sheet's own row is the board's: shown exactly when the board shows it, with its n.
      expect(shownSchool, `${school} ${id}`).toBe(own[0]!.suppressed ? null : own[0]!.n);
      if (shownSchool !== null) published.push(schools.map((s) => (s === own[0] ? 1 : 0)));
      const rest = table[at + 1];
      expect(rest?.[0]).toBe('Resten av kommunen');
      const restN = count(rest?.[1]);
      if (restN !== null) {
        const total = group.find((r) => r.level === 'total')!;
        expect(restN).toBe((total.n ?? NaN) - (own[0]!.n ?? NaN));
        published.push(schools.map((s) => (s === own[0] ? 0 : 1)));
        finding.restShown++;
      }
      const total = table[at + 2];
      if (total?.[0] === 'Kommunen totalt' && count(total[1]) !== null) published.push(all);
    }
    finding.strata++;
    // Every hidden school: not determined by what is published, unless the board alone determines it.
    schools.forEach((s, i) => {
      if (!s.suppressed) return;
      const target = schools.map((_, k) => (k === i ? 1 : 0));
      if (inSpan(published, target) && !inSpan(board, target)) finding.disclosures.push(`${year} åk ${level} ${code}: ${s.school}`);
    });
    // And nothing new at all: every row a sheet shows is a combination of the board's rows.
    for (const vector of published.slice(board.length)) {
      if (!inSpan(board, vector)) finding.disclosures.push(`${year} åk ${level} ${code}: a sheet's row [${vector.join('')}] beyond the board report`);
    }
  }
  return finding;
}

/** Pupil k's synthetic personnummer (tests/support/personnummer.ts). */
const personnummer = testPersonnummer;

describe('gap: the rest of the municipality and the school\'s rows', () => {
  it('the demo: no hidden school can be worked out from all the sheets and the board report, and the sheets add no row beyond the board\'s', async () => {
    const demo = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
    const sheets = await writeSheets(demo, 'demo');
    expect(sheets.bySchool.size).toBe(9);
    const rows = (JSON.parse((await runOnce(['gap', ...demo, '--format', 'json', '-q'])).stdout) as { rows: GapRow[] }).rows;
    const finding = attackGap(rows, sheets, '2024/25');
    expect(finding.strata).toBeGreaterThan(10);
    // The attack has something to work with: rest rows shown, hidden schools present.
    expect(finding.restShown).toBeGreaterThan(20);
    expect(rows.filter((r) => r.school_year === '2024/25' && r.level === 'school' && r.suppressed).length).toBeGreaterThan(5);
    expect(finding.disclosures).toEqual([]);
    // Over the years: a school's share for a year is shown exactly where the board report's gap
    // row of that year is shown, and ".." where it is hidden.
    let years = 0;
    for (const [school, md] of sheets.bySchool) {
      const table = section(md, 'Över läsåren').split('**Std-diff')[0]!;
      const lines = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---'));
      const head = cells(lines[0]!);
      for (const row of lines.slice(1).map(cells)) {
        const match = /^(.*), åk (\d)$/.exec(row[0]!);
        if (!match) continue;
        head.forEach((year, col) => {
          if (!/^\d{4}\/\d{2}$/.test(year)) return;
          const board = rows.find((r) => r.school_year === year && r.level === 'school' && r.school === school && r.grade_level === Number(match[2]) && r.subject === SUBJECT_CODE[match[1]!]);
          const cell = row[col]!;
          if (!board || board.n === 0) expect(cell, `${school} ${row[0]} ${year}`).toBe('–');
          else if (board.suppressed) expect(cell, `${school} ${row[0]} ${year}`).toBe('..');
          else expect(cell, `${school} ${row[0]} ${year}`).toMatch(/^\d+ %$/);
          years++;
        });
      }
    }
    expect(years).toBeGreaterThan(150);
  }, HOOK_TIMEOUT);

  it('the comparison with published figures (--reference) shows the school only where the board report does', async () => {
    const demo = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
    const sheets = await writeSheets([...demo, '--reference', 'fixtures/skolverket/relation-ak9-2024-skolniva.csv', '--reference-unit', 'Ale'], 'demo-reference');
    const rows = (JSON.parse((await runOnce(['gap', ...demo, '--format', 'json', '-q'])).stdout) as { rows: GapRow[] }).rows;
    let shown = 0;
    let hidden = 0;
    for (const [school, md] of sheets.bySchool) {
      const reference = section(md, 'Jämfört med referens');
      expect(reference, school).not.toBe('');
      for (const [heading, table] of parts(reference)) {
        const match = /^2024\/25 · åk (\d) · (.*)$/.exec(heading);
        expect(match, heading).not.toBeNull();
        const board = rows.find((r) => r.school_year === '2024/25' && r.level === 'school' && r.school === school && r.grade_level === Number(match![1]) && r.subject === SUBJECT_CODE[match![2]!]);
        const row = table.find((c) => c[0] === school);
        // Only the municipality and this school: no other school's name.
        expect(table.map((c) => c[0]).filter((name) => name !== '' && name !== 'Enhet' && name !== 'Kommunen' && name !== school), heading).toEqual([]);
        if (board && !board.suppressed) {
          expect(row?.[1], `${school} ${heading}`).toBe(String(board.n));
          shown++;
        } else {
          expect(row, `${school} ${heading}`).toBeUndefined();
          hidden++;
        }
      }
    }
    expect(shown).toBeGreaterThan(5);
    expect(hidden).toBeGreaterThan(5);
  }, HOOK_TIMEOUT);

  it('small schools beside big ones, full protection and --small-groups-only: nothing hidden can be worked out', async () => {
    // år 6 mathematics, two areas: Norra has Askolan 15, Bskolan 12, Cskolan 5; Södra has Dskolan 14, Eskolan 4, Fskolan 3.
    const lines = ['Personnummer;Skola;Skolområde;Årskurs;Läsår;Ämne;Betyg;Provbetyg'];
    let k = 0;
    for (const [school, area, n] of [['Askolan', 'Norra', 15], ['Bskolan', 'Norra', 12], ['Cskolan', 'Norra', 5], ['Dskolan', 'Södra', 14], ['Eskolan', 'Södra', 4], ['Fskolan', 'Södra', 3]] as const) {
      for (let i = 0; i < n; i++) lines.push([personnummer(++k, '12'), school, area, '6', '2024/25', 'MA', i % 3 === 0 ? 'B' : 'C', 'C'].join(';'));
    }
    const file = join(dir, 'small-schools.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    for (const extra of [[], ['--small-groups-only']]) {
      const sheets = await writeSheets([file], `small-schools${extra.length}`, extra);
      const rows = (JSON.parse((await runIn(['gap', file, '--format', 'json', '-q', ...extra])).stdout) as { rows: GapRow[] }).rows;
      expect(rows.filter((r) => r.level === 'school' && r.suppressed).length, extra.join(' ')).toBeGreaterThanOrEqual(3);
      const finding = attackGap(rows, sheets, '2024/25');
      expect(finding.strata).toBe(1);
      expect(finding.disclosures, extra.join(' ')).toEqual([]);
    }
  }, HOOK_TIMEOUT);

  it('has teeth: a rest of the municipality beside a hidden school would give it away', () => {
    // Askolan 15 shown, Bskolan 12 shown, Cskolan 5 hidden (with --small-groups-only, nothing else hidden).
    const rows: GapRow[] = [
      { school_year: '2024/25', grade_level: 6, subject: 'MA', level: 'total', area: null, school: null, n: 32, suppressed: false },
      { school_year: '2024/25', grade_level: 6, subject: 'MA', level: 'school', area: 'Norra', school: 'Askolan', n: 15, suppressed: false },
      { school_year: '2024/25', grade_level: 6, subject: 'MA', level: 'school', area: 'Norra', school: 'Bskolan', n: 12, suppressed: false },
      { school_year: '2024/25', grade_level: 6, subject: 'MA', level: 'school', area: 'Norra', school: 'Cskolan', n: 5, suppressed: true },
    ];
    // A sheet for Askolan that shows the rest (17 = Bskolan 12 + Cskolan 5) and no total.
    const md = ['# Analysunderlag: Askolan', '', '## Betyg jämfört med nationella prov, 2024/25', '', '### Åk 6', '', '| Ämne och enhet | Elever |', '| --- | ---: |', '| **Matematik: Askolan** | **15** |', '| &nbsp;&nbsp;Resten av kommunen | 17 |', ''].join('\n');
    const leaky: Sheets = { bySchool: new Map([['Askolan', md]]) };
    const withoutTotal = rows.map((r) => (r.level === 'total' ? { ...r, suppressed: true } : r));
    expect(attackGap(withoutTotal, leaky, '2024/25').disclosures).toContain('2024/25 åk 6 MA: Cskolan');
  });
});

// ---------------------------------------------------------------------------------------------
// År 5 → 6: flows of pupils from each år 5 school to each år 6 school

type Flow = readonly [from: string, to: string, n: number];

interface TransitionRow {
  school_year: string;
  subject: string;
  level: string;
  area: string | null;
  school: string | null;
  n: number | null;
  suppressed: boolean;
}

/** Exports where `flows` pupils go from år 5 (2023/24) to år 6 (2024/25), mathematics, one area. */
function flowExports(name: string, flows: readonly Flow[]): string {
  const five = ['student_id\tschool\tgrade_level\tschool_year\tsubject\tkind\tresult'];
  const six = ['Elev-ID,Skolenhet,Åk,Provår,Ämne,Provbetyg'];
  let k = 0;
  for (const [from, to, n] of flows) {
    for (let i = 0; i < n; i++) {
      const id = `20${personnummer(++k, '13')}`;
      five.push([id, from, '5', '2023/24', 'MA', 'bedömning', (i + k) % 4 === 0 ? '0' : '1'].join('\t'));
      six.push([id, to, '6', '2025', 'MA', (i + k) % 3 === 0 ? 'F' : 'C'].join(','));
    }
  }
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'ak5.tsv'), `${five.join('\n')}\n`);
  writeFileSync(join(folder, 'ak6.csv'), `${six.join('\n')}\n`);
  return folder;
}

interface Published {
  board: number[][];
  sheets: number[][];
  /** Receiving rows the sheets show (school → n). */
  receiving: Map<string, number>;
}

/** The board's rows (attributed to the år 5 school) and the sheets' rows, as vectors over the flows. */
function publishedRows(flows: readonly Flow[], board: readonly TransitionRow[], sheets: Sheets): Published {
  const vector = (pick: (flow: Flow) => boolean) => flows.map((flow) => (pick(flow) ? 1 : 0));
  const out: Published = { board: [], sheets: [], receiving: new Map() };
  for (const row of board) {
    if (row.suppressed) continue;
    out.board.push(row.level === 'school' ? vector(([from]) => from === row.school) : vector(() => true));
  }
  for (const [school, md] of sheets.bySchool) {
    const table = parts(section(md, 'Från åk 5 till åk 6')).get('Matematik') ?? [];
    const sending = table.find((c) => c[0] === 'Som avlämnande skola');
    const receiving = table.find((c) => c[0] === 'Som mottagande skola');
    const own = board.find((r) => r.level === 'school' && r.school === school);
    // The sending row is the board's row: shown exactly when the board shows it.
    expect(count(sending?.[1]), school).toBe(own && !own.suppressed ? own.n : null);
    const n = count(receiving?.[1]);
    if (n === null) continue;
    const v = vector(([, to]) => to === school);
    // The shown count is the true number of pupils received.
    expect(n, school).toBe(flows.reduce((sum, flow, i) => sum + flow[2] * (v[i] ?? 0), 0));
    out.sheets.push(v);
    out.receiving.set(school, n);
  }
  return out;
}

/** Protected groups as vectors over the flows, with what they are. */
function protectedGroups(flows: readonly Flow[], board: readonly TransitionRow[]): { what: string; v: number[] }[] {
  const out: { what: string; v: number[] }[] = [];
  const small = (n: number) => n > 0 && n < MIN_GROUP;
  flows.forEach(([from, to, n], i) => {
    if (small(n)) out.push({ what: `${n} pupils ${from} → ${to}`, v: flows.map((_, k) => (k === i ? 1 : 0)) });
  });
  for (const row of board) if (row.suppressed && row.level === 'school') out.push({ what: `the board's hidden row ${row.school}`, v: flows.map(([from]) => (from === row.school ? 1 : 0)) });
  const schools = new Set(flows.flatMap(([from, to]) => [from, to]));
  for (const school of schools) {
    const left = flows.map(([from, to]) => (from === school && to !== school ? 1 : 0));
    const joined = flows.map(([from, to]) => (to === school && from !== school ? 1 : 0));
    const sum = (v: number[]) => flows.reduce((s, flow, i) => s + flow[2] * (v[i] ?? 0), 0);
    if (small(sum(left))) out.push({ what: `the ${sum(left)} pupils who left ${school}`, v: left });
    if (small(sum(joined))) out.push({ what: `the ${sum(joined)} pupils who joined ${school}`, v: joined });
  }
  return out;
}

function disclosures(published: Published, targets: readonly { what: string; v: number[] }[]): string[] {
  const all = [...published.board, ...published.sheets];
  return targets.filter((t) => inSpan(all, t.v) && !inSpan(published.board, t.v)).map((t) => t.what);
}

async function attackTransition(name: string, flows: readonly Flow[]): Promise<{ published: Published; found: string[] }> {
  const folder = flowExports(name, flows);
  const sheets = await writeSheets([folder], `${name}-sheets`);
  const board = (JSON.parse((await runIn(['transition', folder, '--by', 'school_year,area,school,subject', '--format', 'json', '-q'])).stdout) as { rows: TransitionRow[] }).rows;
  const published = publishedRows(flows, board, sheets);
  return { published, found: disclosures(published, protectedGroups(flows, board)) };
}

describe('år 5 → 6: the receiving-school rows of the sheets beside the board report\'s sending-school rows', () => {
  it('big flows only: the receiving rows are shown, and nothing small can be worked out', async () => {
    const { published, found } = await attackTransition('even', [
      ['Ask', 'Ceder', 10],
      ['Ask', 'Dal', 10],
      ['Björk', 'Ceder', 10],
      ['Björk', 'Dal', 10],
    ]);
    expect([...published.receiving]).toEqual([
      ['Ceder', 20],
      ['Dal', 20],
    ]);
    expect(found).toEqual([]);
  }, HOOK_TIMEOUT);

  it('small flows, F–9 schools that keep most pupils, a school the board hides: nothing small can be worked out', async () => {
    const scenarios: Record<string, Flow[]> = {
      // Ceder (15) minus Ask (12, all to Ceder) would be Björk's 3.
      'small-flow': [
        ['Ask', 'Ceder', 12],
        ['Björk', 'Ceder', 3],
        ['Björk', 'Dal', 12],
      ],
      // Ek keeps 20 and loses 3 to Dal: Ek as receiving school minus Ek as sending would be those 3.
      leavers: [
        ['Ek', 'Ek', 20],
        ['Ek', 'Dal', 3],
        ['Fur', 'Dal', 15],
        ['Gran', 'Dal', 11],
      ],
      // Many schools, some small flows, one år 5 school too small for the board (Ene, 6).
      mixed: [
        ['Al', 'Xskolan', 14],
        ['Al', 'Yskolan', 2],
        ['Bok', 'Xskolan', 11],
        ['Bok', 'Zskolan', 12],
        ['Hassel', 'Yskolan', 15],
        ['Hassel', 'Zskolan', 4],
        ['Lind', 'Zskolan', 10],
        ['Ene', 'Yskolan', 6],
        ['Fur', 'Fur', 20],
        ['Fur', 'Xskolan', 3],
        ['Lind', 'Fur', 2],
        ['Rönn', 'Xskolan', 12],
        ['Rönn', 'Yskolan', 12],
      ],
      // Flows that are all big but whose sums cross: Oxe 12 → Pil, 12 → Tall; Sälg 12 → Pil, 12 → Tall; Vide 12 → Tall.
      crossing: [
        ['Oxe', 'Pil', 12],
        ['Oxe', 'Tall', 12],
        ['Sälg', 'Pil', 12],
        ['Sälg', 'Tall', 12],
        ['Vide', 'Tall', 12],
      ],
    };
    const shown = new Map<string, string[]>();
    for (const [name, flows] of Object.entries(scenarios)) {
      const { published, found } = await attackTransition(name, flows);
      expect(found, name).toEqual([]);
      shown.set(name, [...published.receiving.keys()]);
    }
    // Not everything is hidden: receiving rows are shown where they are safe.
    expect(Object.fromEntries(shown)).toEqual({ 'small-flow': [], leavers: [], mixed: ['Xskolan', 'Yskolan'], crossing: ['Pil', 'Tall'] });
  }, HOOK_TIMEOUT * 2);

  it('has teeth: the receiving rows the sheets hide would give small groups away if shown', () => {
    const flows: Flow[] = [
      ['Ask', 'Ceder', 12],
      ['Björk', 'Ceder', 3],
      ['Björk', 'Dal', 12],
    ];
    const board: TransitionRow[] = [
      { school_year: '2024/25', subject: 'MA', level: 'total', area: null, school: null, n: 27, suppressed: false },
      { school_year: '2024/25', subject: 'MA', level: 'school', area: '(saknas)', school: 'Ask', n: 12, suppressed: false },
      { school_year: '2024/25', subject: 'MA', level: 'school', area: '(saknas)', school: 'Björk', n: 15, suppressed: false },
    ];
    const leaky: Published = {
      board: [flows.map(() => 1), [1, 0, 0], [0, 1, 1]],
      sheets: [[1, 1, 0]],
      receiving: new Map([['Ceder', 15]]),
    };
    // Ceder as receiving school (15) minus Ask (12, all to Ceder): Björk's 3.
    expect(disclosures(leaky, protectedGroups(flows, board))).toEqual(['3 pupils Björk → Ceder']);
    // And where an F–9 school keeps its pupils but for 3: its two rows differ by those 3.
    const keeps: Flow[] = [
      ['Ek', 'Ek', 20],
      ['Ek', 'Dal', 3],
      ['Fur', 'Dal', 15],
    ];
    const rows: TransitionRow[] = [{ school_year: '2024/25', subject: 'MA', level: 'school', area: '(saknas)', school: 'Ek', n: 23, suppressed: false }];
    const shownEk: Published = { board: [[1, 1, 0]], sheets: [[1, 0, 0]], receiving: new Map([['Ek', 20]]) };
    expect(disclosures(shownEk, protectedGroups(keeps, rows))).toEqual(['3 pupils Ek → Dal', 'the 3 pupils who left Ek']);
  });
});
