import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_FILES,
  DEMO_HEADERS,
  LONG_HEADER,
  SUBJECT_NAMES,
  buildDemoFiles,
  generateMunicipality,
  hasValidLuhn,
  luhnCheckDigit,
  main,
  mcnemar,
  writeLongExport,
  DEFAULT_SEED,
  EXTREME_DOWN_MUL,
  EXTREME_SCHOOL_INDEX,
  EXTREME_UP_SHIFT,
  FAIRNESS_PLANS,
  FAIRNESS_SCHOOLS,
  ORDINARY_SPREAD,
  ORDINARY_SUBJECT_CORRELATION,
  STRICT_AREA_INDEX,
  STRICT_AREA_YEAR5_SHIFT,
  emitPupilYear,
  generateFairnessMunicipality,
  pupilsIn,
  writeFairnessExport,
  type DemoBuild,
  type Municipality,
  type SubjectCode,
} from '../../scripts/demo/generate.js';
import { nationalSpread, shareHigherSpread, type Spread } from '../../scripts/national-spread.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));
const LETTERS = ['F', 'E', 'D', 'C', 'B', 'A'];

// ------------------------------------------------------------------------------------------
// Small independent readers for the four export formats
// ------------------------------------------------------------------------------------------

interface Parsed {
  header: string[];
  /** Data rows with their 1-based physical line numbers; blank lines kept as []. */
  rows: { line: number; fields: string[] }[];
}

function splitLines(text: string, eol: string): string[] {
  const lines = text.split(eol);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** RFC 4180 line parser (no embedded line breaks needed here). */
function parseQuoted(line: string, sep: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated quote: ${line}`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i];
        i++;
      }
      out.push(value);
      if (i < line.length && line[i] !== sep) throw new Error(`garbage after quote: ${line}`);
      i++;
    } else {
      const end = line.indexOf(sep, i);
      const stop = end === -1 ? line.length : end;
      out.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}

function parse(text: string, eol: string, split: (line: string) => string[]): Parsed {
  const lines = splitLines(text, eol);
  const [head, ...rest] = lines;
  return {
    header: split(head ?? ''),
    rows: rest.map((l, i) => ({ line: i + 2, fields: l === '' ? [] : split(l) })),
  };
}

function file(build: DemoBuild, rel: string): Buffer {
  const buf = build.files.get(rel);
  if (!buf) throw new Error(`missing ${rel}`);
  return buf;
}

function readAll(build: DemoBuild): { grades: Parsed; tests6: Parsed; tests9: Parsed; assess5: Parsed; areas: Parsed } {
  return {
    grades: parse(file(build, DEMO_FILES.grades).toString('latin1'), '\r\n', (l) => l.split(';')),
    tests6: parse(file(build, DEMO_FILES.tests6).subarray(3).toString('utf8'), '\n', (l) => l.split(',')),
    tests9: parse(file(build, DEMO_FILES.tests9).toString('utf8'), '\n', (l) => parseQuoted(l, ';')),
    assess5: parse(file(build, DEMO_FILES.assess5).toString('utf8'), '\n', (l) => l.split('\t')),
    areas: parse(file(build, DEMO_FILES.areas).toString('utf8'), '\n', (l) => l.split(';')),
  };
}

const id10From12 = (id: string): string => {
  const d = id.replace('-', '');
  return `${d.slice(2, 8)}-${d.slice(8)}`;
};
const NAME_TO_CODE = new Map<string, SubjectCode>(Object.entries(SUBJECT_NAMES).map(([c, n]) => [n, c as SubjectCode]));
const NP9_TO_CODE = (s: string): string => (s === 'ENG' ? 'EN' : s.toUpperCase());
const f = (row: { fields: string[] }, i: number): string => row.fields[i] ?? '';

// ------------------------------------------------------------------------------------------

let build: DemoBuild;
let data: ReturnType<typeof readAll>;

beforeAll(() => {
  build = buildDemoFiles();
  data = readAll(build);
});

describe('PRNG-based determinism', () => {
  it('same seed gives byte-identical files, another seed differs', () => {
    const again = buildDemoFiles();
    expect([...again.files.keys()]).toEqual([...build.files.keys()]);
    for (const [rel, bytes] of build.files) expect(again.files.get(rel)?.equals(bytes), rel).toBe(true);
    const other = buildDemoFiles({ seed: 7 });
    expect(other.files.get(DEMO_FILES.grades)?.equals(file(build, DEMO_FILES.grades))).toBe(false);
  });

  it('fixtures/demo is the default generation (regenerate with npm run demo:generate)', () => {
    for (const [rel, bytes] of build.files) {
      const path = join(FIXTURES, rel);
      expect(existsSync(path), path).toBe(true);
      expect(readFileSync(path).equals(bytes), rel).toBe(true);
    }
  });

  it('keeps the demo set under 3 MB with 10–20k grade rows', () => {
    const total = [...build.files.values()].reduce((s, b) => s + b.length, 0);
    expect(total).toBeLessThan(3_000_000);
    expect(data.grades.rows.length).toBeGreaterThan(10_000);
    expect(data.grades.rows.length).toBeLessThan(20_000);
  });
});

describe('file formats', () => {
  it('betyg_ak6_ak9.csv: Windows-1252, CRLF, no BOM, 12 fields', () => {
    const buf = file(build, DEMO_FILES.grades);
    expect(buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const text = buf.toString('latin1');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(data.grades.header).toEqual(DEMO_HEADERS.grades);
    expect(data.grades.header.join(';')).toBe('Personnummer;Förnamn;Efternamn;Skola;Skolområde;Klass;Årskurs;Läsår;Ämne;Betyg;Betygssättande lärare;Kön');
    for (const r of data.grades.rows) expect(r.fields.length, `line ${r.line}`).toBe(12);
    // 'å' is the single byte 0xE5, never the UTF-8 sequence C3 A5.
    expect(buf.includes(0xe5)).toBe(true);
    expect(buf.includes(Buffer.from('å', 'utf8'))).toBe(false);
    expect(buf.includes(Buffer.from([0xc3, 0xa5]))).toBe(false);
    const ids = new Set(data.grades.rows.map((r) => f(r, 0)).filter((x) => x !== ''));
    for (const id of ids) expect(id).toMatch(/^\d{6}-\d{4}$/);
    expect(new Set(data.grades.rows.map((r) => f(r, 11)))).toEqual(new Set(['Flicka', 'Pojke']));
    expect(new Set(data.grades.rows.map((r) => f(r, 6)))).toEqual(new Set(['6', '9']));
    for (const r of data.grades.rows) expect(f(r, 5)).toMatch(new RegExp(`^${f(r, 6)}[A-C]$`));
  });

  it('nationella_prov_ak6.csv: UTF-8 with BOM, LF, 7 fields, two trailing blank lines', () => {
    const buf = file(build, DEMO_FILES.tests6);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.includes(0x0d)).toBe(false);
    expect(buf.subarray(buf.length - 3).toString()).toBe('\n\n\n');
    expect(buf.subarray(buf.length - 4, buf.length - 3).toString()).not.toBe('\n');
    expect(data.tests6.header.join(',')).toBe('Elev-ID,Skolenhet,Klass,Åk,Provår,Ämne,Provbetyg');
    const rows = data.tests6.rows;
    const blank = rows.filter((r) => r.fields.length === 0);
    expect(blank.map((r) => r.line)).toEqual([rows.length, rows.length + 1]);
    for (const r of rows.filter((x) => x.fields.length > 0)) {
      expect(r.fields.length).toBe(7);
      expect(f(r, 0)).toMatch(/^\d{12}$/);
      expect(['SV', 'SVA', 'EN', 'MA']).toContain(f(r, 5));
    }
  });

  it('np_ak9.csv: UTF-8 no BOM, LF, every field quoted, 7 fields', () => {
    const buf = file(build, DEMO_FILES.tests9);
    expect(buf[0]).toBe(0x22);
    expect(buf.includes(0x0d)).toBe(false);
    const lines = splitLines(buf.toString('utf8'), '\n');
    expect(lines[0]).toBe('"Personnummer";"Skola";"Årskurs";"Termin";"Ämne";"Typ";"Resultat"');
    for (const l of lines) expect(l).toMatch(/^"[^"]*"(;"[^"]*")*$/);
    const short = data.tests9.rows.filter((r) => r.fields.length !== 7);
    expect(short.length).toBe(1);
    const codes = new Set(data.tests9.rows.map((r) => f(r, 4)));
    for (const c of ['Ma', 'ENG', 'Sv', 'SVA']) expect(codes).toContain(c);
    for (const r of data.tests9.rows.filter((x) => x.fields.length === 7)) {
      expect(f(r, 5)).toBe('Provbetyg');
      expect(f(r, 3)).toMatch(/^VT\d{2}$/);
      if (f(r, 0) !== '') expect(f(r, 0)).toMatch(/^\d{8}-\d{4}$/);
    }
  });

  it('bedomningar_ak5.csv: TAB, UTF-8 no BOM, LF, 9 fields, platform scale', () => {
    const buf = file(build, DEMO_FILES.assess5);
    expect(buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(buf.includes(0x0d)).toBe(false);
    expect(buf.includes(Buffer.from('bedömning', 'utf8'))).toBe(true);
    expect(data.assess5.header.join('\t')).toBe('student_id\tschool\tarea\tclass\tgrade_level\tschool_year\tsubject\tkind\tresult');
    const results = new Map<string, number>();
    for (const r of data.assess5.rows) {
      expect(r.fields.length).toBe(9);
      expect(f(r, 0)).toMatch(/^\d{12}$/);
      expect(f(r, 4)).toBe('5');
      results.set(f(r, 8), (results.get(f(r, 8)) ?? 0) + 1);
    }
    expect([...results.keys()].sort()).toEqual(['-1', '0', '1', '2', 'Bra']);
    const missing = (results.get('-1') ?? 0) / data.assess5.rows.length;
    expect(missing).toBeGreaterThan(0.005);
    expect(missing).toBeLessThan(0.04);
  });

  it('skolomraden.csv maps all nine schools to three areas', () => {
    expect(data.areas.header).toEqual(['Skola', 'Skolområde']);
    expect(data.areas.rows.length).toBe(9);
    expect(new Set(data.areas.rows.map((r) => f(r, 1)))).toEqual(new Set(['Norra', 'Södra', 'Östra']));
  });

  it('README says the data is synthetic and documents every dirty row', () => {
    const readme = file(build, DEMO_FILES.readme).toString('utf8');
    expect(readme).toMatch(/synthetic/i);
    for (const d of build.dirtyRows) expect(readme).toContain(`${d.file}:${d.line}`);
  });
});

describe('synthetic personnummer', () => {
  it('luhnCheckDigit matches the published example 811218-9876', () => {
    expect(luhnCheckDigit('811218987')).toBe(6);
    expect(hasValidLuhn('811218-9876')).toBe(true);
    expect(hasValidLuhn('19811218-9876')).toBe(true);
  });

  it('no generated id has a valid Luhn digit; birth years and gender digits are plausible', () => {
    let checked = 0;
    const ids: { id10: string; startYear: number; level: number }[] = [];
    for (const r of data.grades.rows) if (f(r, 0)) ids.push({ id10: f(r, 0), startYear: Number(f(r, 7).slice(0, 4)), level: Number(f(r, 6)) });
    for (const r of data.tests6.rows) if (f(r, 0)) ids.push({ id10: id10From12(f(r, 0)), startYear: Number(f(r, 4)) - 1, level: 6 });
    for (const r of data.tests9.rows) if (f(r, 0)) ids.push({ id10: id10From12(f(r, 0)), startYear: 2000 + Number(f(r, 3).slice(2)) - 1, level: 9 });
    for (const r of data.assess5.rows) if (f(r, 0) && /^\d{4}\//.test(f(r, 5))) ids.push({ id10: id10From12(f(r, 0)), startYear: Number(f(r, 5).slice(0, 4)), level: 5 });
    // The same checks on every id, gathered (one expect per id made this test slow, not stricter).
    const problems: string[] = [];
    for (const { id10, startYear, level } of ids) {
      if (hasValidLuhn(id10)) problems.push(`${id10}: valid Luhn digit`);
      if (2000 + Number(id10.slice(0, 2)) !== startYear - level - 6) problems.push(`${id10}: birth year`);
      const month = Number(id10.slice(2, 4));
      const day = Number(id10.slice(4, 6));
      if (month < 1 || month > 12) problems.push(`${id10}: month`);
      if (day < 1 || day > new Date(Date.UTC(2000 + Number(id10.slice(0, 2)), month, 0)).getUTCDate()) problems.push(`${id10}: day`);
      checked++;
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(30_000);
    const genders: string[] = [];
    for (const r of data.grades.rows) {
      if (!f(r, 0)) continue;
      const genderDigit = Number(f(r, 0)[9]);
      if ((genderDigit % 2 === 1 ? 'Pojke' : 'Flicka') !== f(r, 11)) genders.push(f(r, 0));
    }
    expect(genders).toEqual([]);
    const model = generateMunicipality();
    for (const cohort of model.cohorts.values()) for (const p of cohort) expect(hasValidLuhn(p.birthDate + p.last4)).toBe(false);
  });

  it('ids are unique per pupil and pupils keep their id from år 5 to år 6', () => {
    const seen = new Map<string, string>();
    for (const r of data.grades.rows) {
      if (!f(r, 0)) continue;
      const who = `${f(r, 1)} ${f(r, 2)} ${f(r, 11)}`;
      const prev = seen.get(f(r, 0));
      if (prev !== undefined) expect(prev).toBe(who);
      seen.set(f(r, 0), who);
    }
    const year5 = new Set(data.assess5.rows.filter((r) => f(r, 5) === '2023/2024').map((r) => f(r, 0)));
    const year6 = new Set(data.tests6.rows.filter((r) => f(r, 4) === '2025').map((r) => f(r, 0)));
    const both = [...year5].filter((id) => year6.has(id)).length;
    expect(both / year5.size).toBeGreaterThan(0.93);
    expect(both / year5.size).toBeLessThan(0.995);
    expect(both / year6.size).toBeGreaterThan(0.93);
    expect(both / year6.size).toBeLessThan(0.995);
  });
});

describe('planted dirty rows', () => {
  const at = (p: Parsed, line: number): string[] => p.rows.find((r) => r.line === line)?.fields ?? [];
  const one = <T>(items: T[]): T => {
    expect(items.length).toBe(1);
    return items[0] as T;
  };

  it('are where the manifest says, and nowhere else', () => {
    const byKind = (k: string): number[] => build.dirtyRows.filter((d) => d.kind === k).map((d) => d.line);
    const g = data.grades;
    expect(g.rows.filter((r) => f(r, 9) === 'VG').map((r) => r.line)).toEqual(byKind('old-scale-grade'));
    expect(g.rows.filter((r) => f(r, 9) === 'Ä').map((r) => r.line)).toEqual(byKind('typo-grade'));
    expect(file(build, DEMO_FILES.grades).includes(Buffer.from(';\xc4;', 'latin1'))).toBe(true);
    const dashes = g.rows.filter((r) => f(r, 9) === '-').map((r) => r.line);
    expect(dashes).toEqual(byKind('dash-grade'));
    expect(dashes.length).toBeGreaterThanOrEqual(2);
    expect(dashes.length).toBeLessThanOrEqual(3);
    expect(g.rows.filter((r) => !LETTERS.includes(f(r, 9))).length).toBe(1 + 1 + dashes.length);
    expect(g.rows.filter((r) => !NAME_TO_CODE.has(f(r, 8))).map((r) => r.line)).toEqual(byKind('unknown-subject'));
    expect(f({ fields: at(g, one(byKind('unknown-subject'))) }, 8)).toBe('Matte 2');

    // Conflicting duplicate: same pupil, subject and school year twice with different grades.
    const keyCount = new Map<string, { line: number; grade: string }[]>();
    for (const r of g.rows) {
      const k = `${f(r, 0)}|${f(r, 7)}|${f(r, 8)}`;
      keyCount.set(k, [...(keyCount.get(k) ?? []), { line: r.line, grade: f(r, 9) }]);
    }
    const dups = [...keyCount.values()].filter((v) => v.length > 1);
    const pair = one(dups);
    expect(pair.length).toBe(2);
    expect(pair[0]?.grade).not.toBe(pair[1]?.grade);
    expect(pair[1]?.line).toBe(one(byKind('conflicting-duplicate')));

    const t6 = data.tests6;
    expect(t6.rows.filter((r) => r.fields.length === 7 && f(r, 6) === '').map((r) => r.line)).toEqual(byKind('blank-test-grade'));
    expect(byKind('blank-test-grade').length).toBe(2);
    const lines6 = splitLines(file(build, DEMO_FILES.tests6).toString('utf8'), '\n');
    const dupLine = one(byKind('exact-duplicate'));
    expect(lines6[dupLine - 1]).toBe(lines6[dupLine - 2]);
    const distinct = new Set(lines6.filter((l) => l !== ''));
    expect(distinct.size).toBe(lines6.filter((l) => l !== '').length - 1);
    expect(byKind('trailing-blank-line')).toEqual([lines6.length - 1, lines6.length]);

    const t9 = data.tests9;
    expect(t9.rows.filter((r) => r.fields.length === 7 && f(r, 0) === '').map((r) => r.line)).toEqual(byKind('empty-id'));
    expect(t9.rows.filter((r) => r.fields.length < 7).map((r) => r.line)).toEqual(byKind('too-few-fields'));

    const a5 = data.assess5;
    expect(a5.rows.filter((r) => f(r, 5) === 'läsår?').map((r) => r.line)).toEqual(byKind('bad-school-year'));
    expect(a5.rows.filter((r) => !/^\d{4}\/\d{4}$/.test(f(r, 5))).length).toBe(1);
    expect(a5.rows.filter((r) => f(r, 8) === 'Bra').map((r) => r.line)).toEqual(byKind('unknown-result-label'));

    expect(build.dirtyRows.length).toBeGreaterThanOrEqual(15);
    expect(build.dirtyRows.length).toBeLessThanOrEqual(25);
  });
});

describe('planted patterns (computed from the written files)', () => {
  interface Gap {
    pairs: number;
    higher: number;
    lower: number;
    testA: number;
    nonA: number;
    nonAHigher: number;
  }
  let gapBySchool: Map<string, Gap>;
  let gapBySubject: Map<string, Gap>;
  let girls: Gap;
  let boys: Gap;
  let fTests = 0;
  let fPassGrade = 0;

  beforeAll(() => {
    const tests = new Map<string, string>();
    const put = (k: string, v: string): void => {
      if (LETTERS.includes(v) && !tests.has(k)) tests.set(k, v);
    };
    for (const r of data.tests6.rows) if (r.fields.length === 7 && f(r, 0)) put(`${id10From12(f(r, 0))}|${Number(f(r, 4)) - 1}|${f(r, 5)}`, f(r, 6));
    for (const r of data.tests9.rows) if (r.fields.length === 7 && f(r, 0)) put(`${id10From12(f(r, 0))}|${1999 + Number(f(r, 3).slice(2))}|${NP9_TO_CODE(f(r, 4))}`, f(r, 6));
    const empty = (): Gap => ({ pairs: 0, higher: 0, lower: 0, testA: 0, nonA: 0, nonAHigher: 0 });
    gapBySchool = new Map();
    gapBySubject = new Map();
    girls = empty();
    boys = empty();
    const add = (g: Gap, grade: number, test: number): void => {
      g.pairs++;
      if (grade > test) g.higher++;
      if (grade < test) g.lower++;
      if (test === 5) g.testA++;
      else {
        g.nonA++;
        if (grade > test) g.nonAHigher++;
      }
    };
    const seen = new Set<string>();
    for (const r of data.grades.rows) {
      const code = NAME_TO_CODE.get(f(r, 8));
      if (!code || !LETTERS.includes(f(r, 9))) continue;
      const k = `${f(r, 0)}|${f(r, 7).slice(0, 4)}|${code}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const t = tests.get(k);
      if (t === undefined) continue;
      const grade = LETTERS.indexOf(f(r, 9));
      const test = LETTERS.indexOf(t);
      if (code === 'MA') {
        const school = f(r, 3);
        if (!gapBySchool.has(school)) gapBySchool.set(school, empty());
        add(gapBySchool.get(school) as Gap, grade, test);
      }
      if (!gapBySubject.has(code)) gapBySubject.set(code, empty());
      add(gapBySubject.get(code) as Gap, grade, test);
      add(f(r, 11) === 'Flicka' ? girls : boys, grade, test);
      if (test === 0) {
        fTests++;
        if (grade > 0) fPassGrade++;
      }
    }
  });

  const higher = (g: Gap | undefined): number => (g ? g.higher / g.pairs : NaN);
  const lower = (g: Gap | undefined): number => (g ? g.lower / g.pairs : NaN);

  it('gap: one generous, one strict and one ceiling school', () => {
    const generous = gapBySchool.get('Solåsens skola');
    expect(higher(generous)).toBeGreaterThanOrEqual(0.43);
    const strict = gapBySchool.get('Hagalunds skola');
    expect(lower(strict)).toBeGreaterThan(higher(strict));
    const ceiling = gapBySchool.get('Ekbackens skola') as Gap;
    const all = gapBySubject.get('MA') as Gap;
    expect(ceiling.testA / ceiling.pairs).toBeGreaterThan(0.25);
    expect(ceiling.testA / ceiling.pairs).toBeGreaterThan((2 * all.testA) / all.pairs);
    // Looks stricter than average overall, but not among pupils who could get a higher grade.
    expect(higher(ceiling)).toBeLessThan(higher(all) - 0.04);
    expect(Math.abs(ceiling.nonAHigher / ceiling.nonA - all.nonAHigher / all.nonA)).toBeLessThan(0.08);
  });

  it('gap: realistic municipality-wide shares, girls more often higher, F on test → E', () => {
    expect(higher(gapBySubject.get('MA'))).toBeGreaterThan(0.24);
    expect(higher(gapBySubject.get('MA'))).toBeLessThan(0.36);
    expect(higher(gapBySubject.get('SV'))).toBeGreaterThan(0.19);
    expect(higher(gapBySubject.get('SV'))).toBeLessThan(0.31);
    expect(higher(gapBySubject.get('EN'))).toBeGreaterThan(0.09);
    expect(higher(gapBySubject.get('EN'))).toBeLessThan(0.17);
    for (const s of ['MA', 'SV', 'EN']) {
      expect(lower(gapBySubject.get(s))).toBeGreaterThan(0.04);
      expect(lower(gapBySubject.get(s))).toBeLessThan(0.12);
    }
    expect(higher(girls)).toBeGreaterThan(higher(boys) + 0.03);
    expect(fPassGrade / fTests).toBeGreaterThan(0.4);
  });

  it('transition år 5 → år 6: Norra strict, Södra lenient, Östra in line (McNemar)', () => {
    const year5 = new Map<string, { pass: boolean; area: string }>();
    for (const r of data.assess5.rows) {
      if (!/^\d{4}\/\d{4}$/.test(f(r, 5)) || !['0', '1', '2'].includes(f(r, 8))) continue;
      const code = NAME_TO_CODE.get(f(r, 6));
      if (code !== 'SV' && code !== 'EN' && code !== 'MA') continue;
      // år 5 in Y/Y+1 → år 6 test in spring Y+2
      year5.set(`${f(r, 0)}|${Number(f(r, 5).slice(0, 4)) + 2}|${code}`, { pass: f(r, 8) !== '0', area: f(r, 2) });
    }
    const areaOf = new Map(data.areas.rows.map((r) => [f(r, 0), f(r, 1)]));
    type Cell = { n: number; p5: number; p6: number; b: number; c: number };
    const cells = new Map<string, Cell>();
    const bump = (k: string, p5: boolean, p6: boolean): void => {
      const e = cells.get(k) ?? { n: 0, p5: 0, p6: 0, b: 0, c: 0 };
      e.n++;
      e.p5 += p5 ? 1 : 0;
      e.p6 += p6 ? 1 : 0;
      e.b += p5 && !p6 ? 1 : 0;
      e.c += !p5 && p6 ? 1 : 0;
      cells.set(k, e);
    };
    const seen = new Set<string>();
    for (const r of data.tests6.rows) {
      if (r.fields.length !== 7 || !LETTERS.includes(f(r, 6))) continue;
      const k = `${f(r, 0)}|${f(r, 4)}|${f(r, 5)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const a = year5.get(k);
      if (!a) continue;
      const p6 = f(r, 6) !== 'F';
      bump(a.area, a.pass, p6);
      bump(`${a.area} ${f(r, 5)}`, a.pass, p6);
      bump(`y6:${areaOf.get(f(r, 1)) ?? '?'}`, a.pass, p6);
    }
    const diff = (k: string): number => {
      const e = cells.get(k) as Cell;
      return (e.p5 - e.p6) / e.n;
    };
    const p = (k: string): number => {
      const e = cells.get(k) as Cell;
      return mcnemar(e.b, e.c).p;
    };
    expect((cells.get('Norra') as Cell).n).toBeGreaterThan(500);
    expect(diff('Norra')).toBeLessThan(-0.09);
    expect(p('Norra')).toBeLessThan(0.001);
    expect(diff('Södra')).toBeGreaterThan(0.04);
    expect(p('Södra')).toBeLessThan(0.001);
    expect(Math.abs(diff('Östra'))).toBeLessThan(0.03);
    expect(p('Östra')).toBeGreaterThan(0.05);
    expect(diff('Norra MA')).toBeLessThan(-0.08);
    expect(p('Norra MA')).toBeLessThan(0.01);
    expect(diff('Södra MA')).toBeGreaterThan(0.03);
    expect(p('Södra MA')).toBeLessThan(0.01);
    // Grouping by the år 6 school's area gives the same picture.
    expect(diff('y6:Norra')).toBeLessThan(-0.08);
    expect(diff('y6:Södra')).toBeGreaterThan(0.03);
  });

  it('the tiny school has fewer than 10 pupils in every group; the others have more', () => {
    const groups = new Map<string, number>();
    const count = (school: string, k: string): void => {
      const key = `${school}|${k}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    };
    for (const r of data.grades.rows) count(f(r, 3), `g|${f(r, 7)}|${f(r, 6)}|${f(r, 8)}`);
    for (const r of data.tests6.rows) if (r.fields.length) count(f(r, 1), `t6|${f(r, 4)}|${f(r, 5)}`);
    for (const r of data.assess5.rows) count(f(r, 1), `a5|${f(r, 5)}|${f(r, 6)}`);
    let tinyGroups = 0;
    for (const [key, n] of groups) {
      const [school, kind, , , subject] = key.split('|');
      if (school === 'Tallmyrens skola') {
        tinyGroups++;
        expect(n, key).toBeLessThan(10);
      } else if (kind === 'g' && subject === 'Matematik') {
        expect(n, key).toBeGreaterThanOrEqual(20);
      }
    }
    expect(tinyGroups).toBeGreaterThan(20);
  });
});

describe('long export', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ska-long-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams a deterministic long file with the stated header and fields', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const opts = { pupilsPerLevel: 600, years: 2, seed: 11 };
    const ra = await writeLongExport(a, opts);
    const rb = await writeLongExport(b, opts);
    const bytes = readFileSync(a);
    expect(bytes.equals(readFileSync(b))).toBe(true);
    expect(ra).toEqual(rb);
    expect(ra.bytes).toBe(bytes.length);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bytes.includes(0x0d)).toBe(false);
    const lines = splitLines(bytes.toString('utf8'), '\n');
    expect(lines[0]).toBe(LONG_HEADER);
    expect(lines[0]).toBe('Personnummer;Skola;Skolområde;Klass;Årskurs;Läsår;Ämne;Kön;Typ;Resultat');
    expect(lines.length - 1).toBe(ra.rows);
    const typ = new Map<string, number>();
    const yearsSeen = new Set<string>();
    type Cell = { n: number; p5: number; p6: number };
    const year5 = new Map<string, { pass: boolean; area: string }>();
    const cells = new Map<string, Cell>();
    const bad: string[] = [];
    for (const line of lines.slice(1)) {
      const x = line.split(';');
      const [id = '', , area = '', klass = '', level = '', lasar = '', subject = '', , kind = '', value = ''] = x;
      const ok =
        x.length === 10 &&
        /^\d{8}-\d{4}$/.test(id) &&
        !hasValidLuhn(id) &&
        Number(id.slice(0, 4)) === Number(lasar.slice(0, 4)) - Number(level) - 6 &&
        klass.startsWith(level) &&
        (kind === 'Bedömning' ? ['-1', '0', '1', '2'].includes(value) : LETTERS.includes(value));
      if (!ok) bad.push(line);
      yearsSeen.add(lasar);
      typ.set(kind, (typ.get(kind) ?? 0) + 1);
      if (kind === 'Bedömning' && value !== '-1') {
        year5.set(`${id}|${Number(lasar.slice(0, 4)) + 1}|${subject}`, { pass: value !== '0', area });
      }
      if (kind === 'Provbetyg' && level === '6') {
        const a5 = year5.get(`${id}|${lasar.slice(0, 4)}|${subject}`);
        if (a5) {
          const e = cells.get(a5.area) ?? { n: 0, p5: 0, p6: 0 };
          e.n++;
          e.p5 += a5.pass ? 1 : 0;
          e.p6 += value !== 'F' ? 1 : 0;
          cells.set(a5.area, e);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect([...yearsSeen].sort()).toEqual(['2023/24', '2024/25']);
    expect([...typ.keys()].sort()).toEqual(['Bedömning', 'Provbetyg', 'Terminsbetyg']);
    const d = (k: string): number => {
      const e = cells.get(k) as Cell;
      return (e.p5 - e.p6) / e.n;
    };
    expect(d('Norra')).toBeLessThan(-0.05);
    expect(d('Södra')).toBeGreaterThan(0.02);
  });

  it('CLI writes the long file with --scale long', async () => {
    const out = join(dir, 'cli.csv');
    await main(['--scale', 'long', '--out', out, '--pupils', '200', '--years', '1', '--seed', '3']);
    const lines = splitLines(readFileSync(out, 'utf8'), '\n');
    expect(lines[0]).toBe(LONG_HEADER);
    expect(lines.length).toBeGreaterThan(1000);
  });
});

// ------------------------------------------------------------------------------------------
// Grading variants for issue 14 (tests/slow/flag-rates.test.ts uses them)
// ------------------------------------------------------------------------------------------

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

/** Per subject at år 9: each school's (all years) share higher and lower, from the emitted results. */
function year9Spread(model: Municipality): Map<string, { higher: Spread; lower: Spread }> {
  const plan = FAIRNESS_PLANS.get(9);
  if (!plan) throw new Error('no år 9 plan');
  const units = new Map<string, { n: number; higher: number; lower: number }>();
  for (const year of model.years) {
    for (const { pupil, school } of pupilsIn(model, year, 9)) {
      if (school.role === 'extreme') continue;
      const tests = new Map<SubjectCode, number>();
      emitPupilYear(model, pupil, year, 9, school, plan, (kind, subject, value) => {
        if (kind === 'test') tests.set(subject, LETTERS.indexOf(value));
        const test = tests.get(subject);
        if (kind !== 'grade' || test === undefined) return;
        const diff = LETTERS.indexOf(value) - test;
        const key = `${subject}|${school.index}|${year}`;
        const u = units.get(key) ?? { n: 0, higher: 0, lower: 0 };
        u.n++;
        if (diff > 0) u.higher++;
        if (diff < 0) u.lower++;
        units.set(key, u);
      });
    }
  }
  const out = new Map<string, { higher: Spread; lower: Spread }>();
  for (const subject of ['SV', 'MA', 'EN']) {
    const list = [...units].filter(([k]) => k.startsWith(`${subject}|`)).map(([, u]) => u);
    out.set(subject, {
      higher: shareHigherSpread(list.map((u) => ({ n: u.n, higher: u.higher / u.n }))),
      lower: shareHigherSpread(list.map((u) => ({ n: u.n, higher: u.lower / u.n }))),
    });
  }
  return out;
}

describe('grading variants (issue 14)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ska-variants-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('null: every school, area and gender grades alike', () => {
    const model = generateFairnessMunicipality({ variant: 'null', seed: DEFAULT_SEED });
    expect(model.variant).toBe('null');
    expect(model.schools).toHaveLength(FAIRNESS_SCHOOLS);
    expect(model.years).toEqual([2022, 2023, 2024]);
    expect(model.areas).toHaveLength(6);
    for (const a of model.areas) expect(a.year5Shift, a.name).toBe(0);
    for (const s of model.schools) {
      expect(s.role, s.name).toBe('normal');
      expect([s.upShift, s.downMul, s.downAdd, s.gradeBias], s.name).toEqual([0, 1, 0, 0.1]);
      expect(s.upShiftBySubject).toBeUndefined();
      expect(s.downAddBySubject).toBeUndefined();
      expect(s.size).toBeGreaterThanOrEqual(40);
      expect(s.size).toBeLessThanOrEqual(60);
    }
    // No gender factor: a pupil's results are the same as a pupil of the other gender would get.
    const plan = FAIRNESS_PLANS.get(9);
    if (!plan) throw new Error('no år 9 plan');
    const first = pupilsIn(model, 2024, 9).next();
    if (first.done) throw new Error('no år 9 pupil');
    const { pupil, school } = first.value;
    const results = (gender: 'girl' | 'boy'): string[] => {
      const out: string[] = [];
      emitPupilYear(model, { ...pupil, gender }, 2024, 9, school, plan, (kind, subject, value) => out.push(`${kind} ${subject} ${value}`));
      return out;
    };
    expect(results('girl')).toEqual(results('boy'));
  });

  it('null: share higher at år 9 hardly differs between schools (only by their pupils\u2019 test grades)', () => {
    const spread = year9Spread(generateFairnessMunicipality({ variant: 'null', seed: 5, years: 1, schoolCount: 400 }));
    for (const [subject, s] of spread) expect(s.higher.tauDL, subject).toBeLessThan(0.03);
  });

  it('ordinary: upShift and downAdd per school and subject have the documented SDs and correlation', () => {
    const model = generateFairnessMunicipality({ variant: 'ordinary', seed: 3, years: 1, schoolCount: 1000 });
    const ordinary = model.schools.filter((s) => s.role === 'normal');
    expect(ordinary).toHaveLength(999);
    for (const subject of ['SV', 'MA', 'EN'] as const) {
      const up = ordinary.map((s) => s.upShiftBySubject?.get(subject) ?? NaN);
      const down = ordinary.map((s) => s.downAddBySubject?.get(subject) ?? NaN);
      const spread = ORDINARY_SPREAD[subject];
      if (!spread) throw new Error(`no spread for ${subject}`);
      // 999 draws: the sample SD is within ±7 % of the true one with ≈ 99.9 % probability.
      expect(sd(up) / spread.up, subject).toBeGreaterThan(0.93);
      expect(sd(up) / spread.up, subject).toBeLessThan(1.07);
      expect(sd(down) / spread.down, subject).toBeGreaterThan(0.93);
      expect(sd(down) / spread.down, subject).toBeLessThan(1.07);
      expect(Math.abs(mean(up))).toBeLessThan(0.02);
    }
    const ma = ordinary.map((s) => s.upShiftBySubject?.get('MA') ?? NaN);
    const sv = ordinary.map((s) => s.upShiftBySubject?.get('SV') ?? NaN);
    const corr = mean(ma.map((x, i) => (x - mean(ma)) * ((sv[i] ?? NaN) - mean(sv)))) / (sd(ma) * sd(sv));
    expect(corr).toBeGreaterThan(ORDINARY_SUBJECT_CORRELATION - 0.1);
    expect(corr).toBeLessThan(ORDINARY_SUBJECT_CORRELATION + 0.1);
    // The planted school and area.
    const extreme = model.schools[EXTREME_SCHOOL_INDEX];
    expect(extreme?.role).toBe('extreme');
    expect([extreme?.upShift, extreme?.downMul, extreme?.upShiftBySubject]).toEqual([EXTREME_UP_SHIFT, EXTREME_DOWN_MUL, undefined]);
    expect(model.areas.map((a) => a.year5Shift)).toEqual(model.areas.map((a) => (a.index === STRICT_AREA_INDEX ? STRICT_AREA_YEAR5_SHIFT : 0)));
    expect(model.areas[STRICT_AREA_INDEX]?.name).toBe('Norra');
    // Without the extreme school every school is ordinary.
    const plain = generateFairnessMunicipality({ variant: 'ordinary', seed: 3, years: 1, schoolCount: 4, extremeSchool: false });
    expect(plain.schools.map((s) => s.role)).toEqual(['normal', 'normal', 'normal', 'normal']);
  });

  it('ordinary: schools differ at år 9 as much as Swedish schools do (Skolverket 2024, scripts/national-spread.ts)', () => {
    const national = new Map(
      nationalSpread(readFileSync(fileURLToPath(new URL('../../fixtures/skolverket/relation-ak9-2024-skolniva-full.csv', import.meta.url)), 'utf8')).map((r) => [r.subject, r]),
    );
    // The national figures themselves (τ, DerSimonian–Laird and method of moments, pp).
    const sv = national.get('Svenska');
    const ma = national.get('Matematik');
    const en = national.get('Engelska');
    expect(sv?.higher.k).toBe(1423);
    expect(sv?.higher.tauDL).toBeCloseTo(0.123, 3);
    expect(ma?.higher.tauDL).toBeCloseTo(0.129, 3);
    expect(en?.higher.tauDL).toBeCloseTo(0.071, 3);
    expect(ma?.higher.tauMoM).toBeCloseTo(0.137, 3);
    expect(ma?.net.tauDL).toBeCloseTo(0.142, 3);
    // The generated municipality (400 schools, one year, without the extreme school).
    const generated = year9Spread(generateFairnessMunicipality({ variant: 'ordinary', seed: 1, years: 1, schoolCount: 400 }));
    const pairs: [string, Spread | undefined, Spread | undefined][] = [
      ['SV', generated.get('SV')?.higher, sv?.higher],
      ['MA', generated.get('MA')?.higher, ma?.higher],
      ['EN', generated.get('EN')?.higher, en?.higher],
    ];
    for (const [subject, mine, theirs] of pairs) {
      // Between the national DerSimonian–Laird and method-of-moments figures, ± 1.5 pp (400 schools).
      const lo = Math.min(theirs?.tauDL ?? NaN, theirs?.tauMoM ?? NaN) - 0.015;
      const hi = Math.max(theirs?.tauDL ?? NaN, theirs?.tauMoM ?? NaN) + 0.015;
      expect(mine?.tauDL, subject).toBeGreaterThan(lo);
      expect(mine?.tauDL, subject).toBeLessThan(hi);
    }
    // Share lower: ≈ 5 / 3.3 / 9 pp nationally.
    expect(generated.get('SV')?.lower.tauDL).toBeGreaterThan(0.035);
    expect(generated.get('MA')?.lower.tauDL).toBeGreaterThan(0.02);
    expect(generated.get('EN')?.lower.tauDL).toBeGreaterThan(0.07);
  });

  it('writeFairnessExport: deterministic for a seed, another seed differs; the CLI writes the same file', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const c = join(dir, 'c.csv');
    const cli = join(dir, 'cli.csv');
    const ra = await writeFairnessExport(a, { variant: 'ordinary', seed: 9, schoolCount: 8 });
    await writeFairnessExport(b, { variant: 'ordinary', seed: 9, schoolCount: 8 });
    await writeFairnessExport(c, { variant: 'ordinary', seed: 10, schoolCount: 8 });
    await main(['--scale', 'fairness', '--variant', 'ordinary', '--seed', '9', '--schools', '8', '--out', cli]);
    const bytes = readFileSync(a);
    expect(bytes.equals(readFileSync(b))).toBe(true);
    expect(bytes.equals(readFileSync(c))).toBe(false);
    expect(bytes.equals(readFileSync(cli))).toBe(true);
    expect(ra.bytes).toBe(bytes.length);
    expect(ra.schools).toBe(8);
    const lines = splitLines(bytes.toString('utf8'), '\n');
    expect(lines[0]).toBe(LONG_HEADER);
    expect(lines.length - 1).toBe(ra.rows);
    const seen = new Set(lines.slice(1).map((l) => l.split(';')).map((x) => `${x[4]} ${x[8]} ${x[6]}`));
    expect([...seen].sort()).toEqual(
      ['5 Bedömning', '6 Provbetyg', '6 Terminsbetyg', '9 Provbetyg', '9 Terminsbetyg']
        .flatMap((k) => ['EN', 'MA', 'SV', 'SVA'].map((s) => `${k} ${s}`))
        .sort(),
    );
    await expect(main(['--scale', 'fairness', '--variant', 'odd', '--out', join(dir, 'x.csv')])).rejects.toThrow(/--variant must be null or ordinary/);
  });
});
