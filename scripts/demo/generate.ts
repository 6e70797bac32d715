/**
 * Synthetic data generator for ska-analyze.
 *
 * Builds a fictional municipality ("Exempelstad") with schools, pupils and results, and writes
 * it as deliberately different school-system exports (the demo set) or as one big long-format
 * file for benchmarks. Everything is deterministic for a given seed: no Date.now, no Math.random.
 *
 * Privacy: every personnummer has a deliberately WRONG Luhn check digit, so no generated id can
 * be a real person's number. Names come from short lists of common Swedish names.
 *
 * CLI:
 *   node build/scripts/demo/generate.js --out DIR [--seed N] [--years 2022/23,2023/24,2024/25] [--pupils N]
 *   node build/scripts/demo/generate.js --scale long --out FILE.csv [--pupils 20000] [--years 5] [--seed N]
 *   node build/scripts/demo/generate.js --scale fairness --variant null|ordinary --out FILE.csv [--schools 40] [--years 3] [--seed N]
 *
 * Grading variants (issue 14, "fair flags"; `--scale fairness`, writeFairnessExport): two
 * municipalities of ~40 schools to measure how often the flags fire.
 * - `null`: no school, area or gender differs in truth. Every school grades alike (upShift 0,
 *   downMul 1, downAdd 0, gradeBias 0.1), girls and boys alike (no gender factor on "up"), every
 *   area's år 5 omdömen as strict as the år 6 test (year5Shift 0). Schools still differ in their
 *   pupils' ability (abilityMean), which standardisation by test grade must absorb.
 * - `ordinary`: schools differ by the ordinary amount Swedish schools differ (national spread,
 *   scripts/national-spread.ts): each school × subject draws upShift and downAdd from normal
 *   distributions (ORDINARY_SPREAD), calibrated so that the between-school SD beyond binomial noise
 *   of the share higher and the share lower at år 9 matches the national estimates. Girls are
 *   graded up more often than boys (the real gender factor). Planted: one extreme school
 *   (EXTREME_UP_SHIFT in every subject and no grade below the test, index EXTREME_SCHOOL_INDEX;
 *   `extremeSchool: false` leaves it out) and one strict år 5 area (Norra, year5Shift +0.65);
 *   every other area 0. A school's shifts are the same in år 6 and år 9 and in every year.
 */
import { createWriteStream, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SUBJECT_NAMES as SWEDISH_SUBJECT_NAMES } from '../../src/normalise/subject.js';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

export const DEFAULT_SEED = 20250601;
export const DEFAULT_YEARS: readonly string[] = ['2022/23', '2023/24', '2024/25'];
/** Last school year (start year) when --years is given as a count. */
export const LAST_START_YEAR = 2024;
export const DEFAULT_LONG_PUPILS = 20000;
export const DEFAULT_LONG_YEARS = 5;

export const LETTERS = ['F', 'E', 'D', 'C', 'B', 'A'] as const;
export type Letter = (typeof LETTERS)[number];

export const SUBJECTS = [
  'SV', 'SVA', 'EN', 'MA', 'BI', 'FY', 'KE', 'TK', 'GE', 'HI', 'RE', 'SH', 'BL', 'IDH', 'MU', 'SL', 'HKK',
] as const;
export type SubjectCode = (typeof SUBJECTS)[number];

/** The Swedish names the exports write, from the tool's own subject table. */
export const SUBJECT_NAMES: Readonly<Record<SubjectCode, string>> = Object.fromEntries(
  SUBJECTS.map((code) => [code, SWEDISH_SUBJECT_NAMES[code] ?? code]),
) as Record<SubjectCode, string>;

/** Subject codes as system C (np_ak9.csv) writes them: mixed case and long codes. */
export const NP9_SUBJECT_CODES: Readonly<Record<SubjectCode, string>> = {
  SV: 'Sv', SVA: 'SVA', EN: 'ENG', MA: 'Ma', BI: 'BI', FY: 'FY', KE: 'KE', TK: 'TK', GE: 'GE',
  HI: 'HI', RE: 'RE', SH: 'SH', BL: 'BL', IDH: 'IDH', MU: 'MU', SL: 'SL', HKK: 'HKK',
};

const NO_TEST_SUBJECTS: readonly SubjectCode[] = ['BI', 'FY', 'KE'];
const SO_TEST_SUBJECTS: readonly SubjectCode[] = ['GE', 'HI', 'RE', 'SH'];

/** Index into a pupil's subject-ability vector (SV and SVA share the Swedish ability). */
const ABILITY_INDEX: Readonly<Record<SubjectCode, number>> = {
  SV: 0, SVA: 0, EN: 1, MA: 2, BI: 3, FY: 4, KE: 5, TK: 6, GE: 7, HI: 8, RE: 9, SH: 10, BL: 11,
  IDH: 12, MU: 13, SL: 14, HKK: 15,
};
const ABILITY_COUNT = 16;

/** Score cut points F|E|D|C|B|A on the latent scale (score sd ≈ 1.1): ≈ 9/21/20/25/15/10 %. */
const CUTS = [-1.47, -0.57, 0, 0.74, 1.41] as const;
/** Measurement noise of one test / one assessment / one grade without a test. */
const NOISE_SD = 0.45;

/** Base probability that the teacher grade is one step above / below the test grade. */
const SHIFT_BASE: Readonly<Partial<Record<SubjectCode, readonly [number, number]>>> = {
  MA: [0.27, 0.06],
  SV: [0.22, 0.06],
  SVA: [0.24, 0.06],
  EN: [0.11, 0.07],
};
const SHIFT_BASE_OTHER: readonly [number, number] = [0.18, 0.07];

const AREA_NAMES = ['Norra', 'Södra', 'Östra', 'Västra', 'Centrum', 'Älvstranden'] as const;
/** Year-5 assessment threshold shift per area (positive = strict). Norra strict, Södra lenient. */
const AREA_YEAR5_SHIFT: readonly number[] = [0.65, -1.0, 0, 0, 0, 0];

const GIRL_NAMES = [
  'Alice', 'Maja', 'Elsa', 'Astrid', 'Wilma', 'Freja', 'Olivia', 'Selma', 'Alma', 'Ebba', 'Ella',
  'Saga', 'Agnes', 'Signe', 'Vera', 'Stella', 'Ines', 'Märta', 'Lova', 'Tyra', 'Juni', 'Elvira',
] as const;
const BOY_NAMES = [
  'William', 'Liam', 'Noah', 'Hugo', 'Lucas', 'Oliver', 'Elias', 'Adam', 'Nils', 'Leo', 'Alexander',
  'Oscar', 'Matteo', 'Theo', 'Gustav', 'Axel', 'Måns', 'Björn', 'Vidar', 'Sixten', 'Loke', 'Melvin',
] as const;
const LAST_NAMES = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson',
  'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson',
  'Lindberg', 'Lindström', 'Lindqvist', 'Lindgren', 'Berg', 'Axelsson', 'Bergström', 'Lundberg',
  'Lundgren', 'Löfgren', 'Sjöberg', 'Åberg', 'Ström', 'Hedén', 'Holmström', 'Söderberg',
] as const;
const TEACHER_FIRST_NAMES = [
  'Anna', 'Eva', 'Karin', 'Lena', 'Maria', 'Sara', 'Ulrika', 'Helena', 'Johan', 'Anders', 'Peter',
  'Mikael', 'Jonas', 'Erik', 'Per', 'Håkan', 'Åsa', 'Görel', 'Stefan', 'Malin', 'Jörgen', 'Sofie',
] as const;

/** The demo municipality's schools: name, area index, base pupils per grade level, role. */
export type SchoolRole = 'normal' | 'ceiling' | 'generous' | 'strict' | 'tiny' | 'extreme';
const DEMO_SCHOOLS: readonly { name: string; area: number; size: number; role: SchoolRole }[] = [
  { name: 'Ekbackens skola', area: 0, size: 52, role: 'ceiling' },
  { name: 'Björkängsskolan', area: 0, size: 60, role: 'normal' },
  { name: 'Norrgårdsskolan', area: 0, size: 33, role: 'normal' },
  { name: 'Solåsens skola', area: 1, size: 55, role: 'generous' },
  { name: 'Strandvägens skola', area: 1, size: 38, role: 'normal' },
  { name: 'Lindåkersskolan', area: 1, size: 64, role: 'normal' },
  { name: 'Östervångsskolan', area: 2, size: 36, role: 'normal' },
  { name: 'Hagalunds skola', area: 2, size: 50, role: 'strict' },
  { name: 'Tallmyrens skola', area: 2, size: 5, role: 'tiny' },
];

const LONG_NAME_PREFIXES = [
  'Ek', 'Björk', 'Tall', 'Gran', 'Lind', 'Al', 'Ask', 'Lönn', 'Rönn', 'Hassel', 'Sol', 'Sjö', 'Å',
  'Äng', 'Berg', 'Dal', 'Hag', 'Mal', 'Myr', 'Ros', 'Sälg', 'Ljung', 'Mos', 'Öster', 'Väster',
  'Norr', 'Söder', 'Hök', 'Tran', 'Svan', 'Bäck', 'Kvarn', 'Ängs', 'Lugn', 'Ström', 'Hav',
] as const;
const LONG_NAME_SUFFIXES = [
  'backens skola', 'ängsskolan', 'åsens skola', 'dalsskolan', 'hagens skola', 'lundsskolan',
  'vikens skola', 'gårdens skola', 'bergsskolan', 'strandsskolan', 'torpsskolan', 'höjdens skola',
  'sätersskolan', 'vallens skola', 'mossens skola',
] as const;

// ---------------------------------------------------------------------------------------------
// PRNG and small helpers
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small, fast, deterministic 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed (murmur3 finaliser style). */
export function hashInts(...xs: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    let k = Math.imul(x | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private readonly source: () => number;
  constructor(seed: number) {
    this.source = mulberry32(seed);
  }
  next(): number {
    return this.source();
  }
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.source() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.source() < p;
  }
  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.source() * items.length));
  }
  /** Standard normal (Box–Muller, two draws). */
  normal(): number {
    const u = 1 - this.source();
    const v = this.source();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`index ${index} out of range (length ${items.length})`);
  return item;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function clampStep(step: number): number {
  return step < 0 ? 0 : step > 5 ? 5 : step;
}

function scoreToStep(score: number): number {
  let step = 0;
  while (step < 5 && score >= at(CUTS, step)) step++;
  return step;
}

/** School year label `2024/25` from the start year. */
export function schoolYearLabel(startYear: number): string {
  return `${startYear}/${pad((startYear + 1) % 100, 2)}`;
}

/** School year label `2024/2025` from the start year. */
export function schoolYearLabelLong(startYear: number): string {
  return `${startYear}/${startYear + 1}`;
}

/** Parses `2024/25` or `2024/2025` to the start year 2024. */
export function parseSchoolYear(label: string): number {
  const m = /^(\d{4})\/(\d{2}|\d{4})$/.exec(label.trim());
  if (!m || m[1] === undefined) throw new Error(`bad school year: ${label}`);
  return Number(m[1]);
}

/** `--years` as a list of labels or a count N (the last N years ending 2024/25). */
export function resolveYears(years: readonly string[] | number | undefined, fallback: readonly string[] | number): number[] {
  const value = years ?? fallback;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw new Error(`bad number of years: ${value}`);
    return Array.from({ length: value }, (_, i) => LAST_START_YEAR - value + 1 + i);
  }
  const starts = value.map(parseSchoolYear).sort((a, b) => a - b);
  if (starts.length === 0) throw new Error('no school years');
  return starts;
}

// ---------------------------------------------------------------------------------------------
// Personnummer (synthetic, wrong Luhn digit)
// ---------------------------------------------------------------------------------------------

/** Luhn check digit for the first nine digits YYMMDDNNN of a 10-digit personnummer. */
export function luhnCheckDigit(nineDigits: string): number {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error(`expected 9 digits: ${nineDigits}`);
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = nineDigits.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True if a personnummer (10 or 12 digits, separator allowed) has a valid Luhn check digit. */
export function hasValidLuhn(id: string): boolean {
  const digits = id.replace(/[-+]/g, '');
  const ten = digits.length === 12 ? digits.slice(2) : digits;
  if (!/^\d{10}$/.test(ten)) return false;
  return luhnCheckDigit(ten.slice(0, 9)) === ten.charCodeAt(9) - 48;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

export type Gender = 'girl' | 'boy';
export type ResultKind = 'grade' | 'test' | 'assessment';

export interface Area {
  index: number;
  name: string;
  /** Year-5 assessment threshold shift (positive = stricter than the year-6 test). */
  year5Shift: number;
}

export interface School {
  index: number;
  name: string;
  area: Area;
  role: SchoolRole;
  /** Base number of pupils per grade level. */
  size: number;
  abilityMean: number;
  /** Added to the probability of a teacher grade above the test grade. */
  upShift: number;
  /** Multiplies, then adds to, the probability of a teacher grade below the test grade. */
  downMul: number;
  downAdd: number;
  /** Shift of the latent score for teacher grades in subjects without a test. */
  gradeBias: number;
  /** Per subject, used instead of upShift / downAdd where given (the `ordinary` variant). */
  upShiftBySubject?: ReadonlyMap<SubjectCode, number>;
  downAddBySubject?: ReadonlyMap<SubjectCode, number>;
  /** Teachers per subject code. */
  teachers: ReadonlyMap<SubjectCode, readonly string[]>;
  /** Year-9 NO and SO test subjects per school year (start year). */
  npSubjects: ReadonlyMap<number, { no: SubjectCode; so: SubjectCode }>;
}

export interface Pupil {
  uid: number;
  /** Calendar birth year (the cohort). */
  birthYear: number;
  /** `YYYYMMDD`. */
  birthDate: string;
  /** `NNNC`: three serial digits and the (deliberately wrong) check digit. */
  last4: string;
  gender: Gender;
  firstName: string;
  lastName: string;
  /** Takes Svenska som andraspråk instead of Svenska. */
  sva: boolean;
  ability: number;
  /** First and last grade level the pupil is in the municipality (5 or 6; 5 or 9). */
  firstLevel: number;
  lastLevel: number;
  school5: School;
  class5: string;
  /** School and class letter from år 6 on. */
  school6: School;
  class6: string;
}

export interface Municipality {
  seed: number;
  name: string;
  /** School years as start years, ascending. */
  years: readonly number[];
  areas: readonly Area[];
  schools: readonly School[];
  /** Pupils per birth year, in school order. */
  cohorts: ReadonlyMap<number, readonly Pupil[]>;
  /** Number of classes per (school index, birth year). */
  classCounts: ReadonlyMap<string, number>;
  /** Grading variant (default `planted`, the demo's and the benchmark's patterns). */
  variant?: GradingVariant;
}

/**
 * `planted`: the demo / benchmark municipality with its planted schools and areas. `null` and
 * `ordinary`: see the file comment (issue 14); they use the long layout's generated schools.
 */
export type GradingVariant = 'planted' | 'null' | 'ordinary';

export interface MunicipalityOptions {
  seed?: number;
  /** School years (`2024/25`) or a count N meaning the last N years ending 2024/25. */
  years?: readonly string[] | number;
  /** Target pupils per grade level in the whole municipality. */
  pupilsPerLevel?: number;
  /** `demo`: the nine fixed schools; `long`: generated schools, ~40 pupils per level each. */
  layout?: 'demo' | 'long';
  /** Grade levels that must have pupils (default 5, 6, 9). */
  levels?: readonly number[];
  /** `null` or `ordinary` (long layout only): ~40 schools of 40–60 pupils per level; see GradingVariant. */
  variant?: GradingVariant;
  /** Number of schools in a `null` / `ordinary` municipality (default FAIRNESS_SCHOOLS). */
  schoolCount?: number;
  /** `ordinary`: plant the extreme school (default true; false: every school ordinary). */
  extremeSchool?: boolean;
}

export function pupilId10(p: Pupil): string {
  return `${p.birthDate.slice(2)}-${p.last4}`;
}
export function pupilId12(p: Pupil): string {
  return p.birthDate + p.last4;
}
export function pupilId12Dash(p: Pupil): string {
  return `${p.birthDate}-${p.last4}`;
}

function makeTeachers(rng: Rng, tiny: boolean): Map<SubjectCode, string[]> {
  const teachers = new Map<SubjectCode, string[]>();
  // Some teachers teach several subjects (SV+SVA, NO, SO), like in real schools.
  const name = (): string => `${rng.pick(TEACHER_FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  const group = (codes: readonly SubjectCode[], count: number): void => {
    const names = Array.from({ length: count }, name);
    for (const code of codes) teachers.set(code, names);
  };
  const n = (lo: number, hi: number): number => (tiny ? 1 : rng.int(lo, hi));
  group(['SV', 'SVA'], n(2, 3));
  group(['EN'], n(2, 3));
  group(['MA'], n(2, 3));
  group(['BI', 'FY', 'KE', 'TK'], n(1, 3));
  group(['GE', 'HI', 'RE', 'SH'], n(1, 3));
  group(['IDH'], n(1, 2));
  group(['BL'], 1);
  group(['MU'], 1);
  group(['SL'], n(1, 2));
  group(['HKK'], 1);
  return teachers;
}

function roleSettings(role: SchoolRole, rng: Rng): Pick<School, 'abilityMean' | 'upShift' | 'downMul' | 'downAdd' | 'gradeBias'> {
  switch (role) {
    case 'ceiling':
      return { abilityMean: 1.4, upShift: 0, downMul: 1, downAdd: 0, gradeBias: 0.1 };
    case 'generous':
      return { abilityMean: rng.normal() * 0.1, upShift: 0.25, downMul: 0.3, downAdd: 0, gradeBias: 0.4 };
    case 'strict':
      return { abilityMean: rng.normal() * 0.1, upShift: -0.2, downMul: 1, downAdd: 0.16, gradeBias: -0.3 };
    case 'extreme':
      return { abilityMean: rng.normal() * 0.15, upShift: EXTREME_UP_SHIFT, downMul: EXTREME_DOWN_MUL, downAdd: 0, gradeBias: 0.1 };
    case 'tiny':
    case 'normal':
      return {
        abilityMean: rng.normal() * 0.15,
        upShift: rng.normal() * 0.03,
        downMul: 1,
        downAdd: 0,
        gradeBias: 0.1 + rng.normal() * 0.05,
      };
  }
}

interface SchoolSpec {
  name: string;
  area: number;
  size: number;
  role: SchoolRole;
}

function longSchoolSpecs(pupilsPerLevel: number, rng: Rng): { specs: SchoolSpec[]; areaCount: number } {
  const count = Math.max(6, Math.round(pupilsPerLevel / 40)); // ≥ 6 so the tiny school is not a planted-role school
  const areaCount = Math.min(6, Math.max(3, Math.floor(count / 3)));
  const p = LONG_NAME_PREFIXES.length;
  const s = LONG_NAME_SUFFIXES.length;
  const specs: SchoolSpec[] = [];
  // The tiny school: the last school in area 2 (Östra).
  let tinyIndex = count - 1;
  while (tinyIndex % areaCount !== 2) tinyIndex--;
  const normalCount = count - 1;
  const mean = (pupilsPerLevel - 5) / normalCount;
  for (let i = 0; i < count; i++) {
    const base = `${at(LONG_NAME_PREFIXES, i % p)}${at(LONG_NAME_SUFFIXES, Math.floor(i / p) % s)}`;
    const name = i >= p * s ? `${base} ${Math.floor(i / (p * s)) + 1}` : base;
    const role: SchoolRole =
      i === tinyIndex ? 'tiny' : i === 0 ? 'ceiling' : i === 1 ? 'generous' : i === 2 ? 'strict' : 'normal';
    const size = role === 'tiny' ? 5 : Math.max(20, Math.round(mean * (0.6 + 0.8 * rng.next())));
    specs.push({ name, area: i % areaCount, size, role });
  }
  return { specs, areaCount };
}

// ---------------------------------------------------------------------------------------------
// Grading variants `null` and `ordinary` (issue 14)
// ---------------------------------------------------------------------------------------------

/**
 * Schools in a `null` / `ordinary` municipality, and their base pupils per grade level (each
 * cohort is 0.88–1.12 times the base, so 35–67 pupils per school, level and year).
 */
export const FAIRNESS_SCHOOLS = 40;
export const FAIRNESS_SCHOOL_SIZE: readonly [number, number] = [40, 60];
/** School years of a `null` / `ordinary` export: the last three, 2022/23–2024/25. */
export const FAIRNESS_YEARS = 3;
/**
 * The planted extreme school of the `ordinary` variant (index 1, in Södra): upShift 0.6 in every
 * subject and never a grade below the test (downMul 0). Far beyond ordinary on purpose: ordinary
 * upShifts have SD ≈ 0.155, so among 40 schools the most generous is ≈ +0.35 (2.2 SD); a school
 * at +0.35 is one of the ordinary ones, not an outlier. With the cap up + down ≤ 0.95 and no
 * "higher" after a test A, this school's std_gap is ≈ 2.5–3.5 × √(se² + τ²) (ordinary τ ≈ 0.55
 * grade points), so a 95 % random-effects funnel flags it in most rows (seeds 1–5 and
 * DEFAULT_SEED: 7–9 of its 9 år 9 MA/SV/EN rows).
 */
export const EXTREME_SCHOOL_INDEX = 1;
export const EXTREME_UP_SHIFT = 0.6;
export const EXTREME_DOWN_MUL = 0;
/** The planted strict år 5 area of the `ordinary` variant: Norra (index 0), as in the demo. */
export const STRICT_AREA_INDEX = 0;
export const STRICT_AREA_YEAR5_SHIFT = 0.65;

/**
 * The `ordinary` variant's spread: per subject, the SD of a school's upShift (added to the
 * probability of a grade above the test grade) and downAdd (added to the probability of one
 * below). Calibrated empirically (tests/demo/generate.test.ts measures it) so that at år 9 the
 * between-school SD beyond binomial noise (scripts/national-spread.ts, DerSimonian–Laird) of the
 * share higher is the national ≈ 13 pp in SV and MA and ≈ 7.5 pp in EN, and of the share lower
 * ≈ 5 / 3.3 / 9 pp (so the net gap's is ≈ 14–15 pp, as nationally). SVA and subjects without a
 * calibration use SV's and MA's. The probabilities are clipped at 0, which is why the SDs are
 * larger than the spreads they give (most in EN's share lower).
 * Measured on 2,000 ordinary schools (one year, seeds 1–3), τ DL in pp, SV / MA / EN: share higher
 * 12.9 / 13.2 / 7.4, share lower 4.9 / 3.4 / 9.0, net gap 15.1 / 14.6 / 13.1. Nationally (2024):
 * share higher 12.3–13.1 / 12.9–13.7 / 7.1–7.7 (DL–MoM), share lower 5.0 / 3.3 / 9.1 (MoM), net
 * gap 14.3–15.3 / 14.2–15.0 / 13.3–13.9.
 */
export const ORDINARY_SPREAD: Readonly<Partial<Record<SubjectCode, { up: number; down: number }>>> = {
  SV: { up: 0.155, down: 0.075 },
  SVA: { up: 0.155, down: 0.075 },
  MA: { up: 0.155, down: 0.045 },
  EN: { up: 0.09, down: 0.155 },
};
const ORDINARY_SPREAD_OTHER = { up: 0.155, down: 0.045 } as const;
/**
 * Correlation of one school's draws across subjects (the national file gives ≈ 0.3–0.4 between
 * the true shares higher in SV, MA and EN), and between a subject's upShift and downAdd (≈ −0.3).
 */
export const ORDINARY_SUBJECT_CORRELATION = 0.35;
export const ORDINARY_UP_DOWN_CORRELATION = -0.3;

function variantSchoolSpecs(variant: 'null' | 'ordinary', count: number, extreme: boolean, rng: Rng): { specs: SchoolSpec[]; areaCount: number } {
  if (!Number.isInteger(count) || count < 2) throw new Error(`a ${variant} municipality needs at least 2 schools, got ${count}`);
  const areaCount = AREA_NAMES.length;
  const p = LONG_NAME_PREFIXES.length;
  const s = LONG_NAME_SUFFIXES.length;
  const specs: SchoolSpec[] = [];
  for (let i = 0; i < count; i++) {
    const base = `${at(LONG_NAME_PREFIXES, i % p)}${at(LONG_NAME_SUFFIXES, Math.floor(i / p) % s)}`;
    const name = i >= p * s ? `${base} ${Math.floor(i / (p * s)) + 1}` : base;
    const role: SchoolRole = variant === 'ordinary' && extreme && i === EXTREME_SCHOOL_INDEX ? 'extreme' : 'normal';
    specs.push({ name, area: i % areaCount, size: rng.int(FAIRNESS_SCHOOL_SIZE[0], FAIRNESS_SCHOOL_SIZE[1]), role });
  }
  return { specs, areaCount };
}

function variantSettings(
  variant: 'null' | 'ordinary',
  role: SchoolRole,
  rng: Rng,
): Pick<School, 'abilityMean' | 'upShift' | 'downMul' | 'downAdd' | 'gradeBias' | 'upShiftBySubject' | 'downAddBySubject'> {
  const abilityMean = rng.normal() * 0.15;
  if (variant === 'null') return { abilityMean, upShift: 0, downMul: 1, downAdd: 0, gradeBias: 0.1 };
  if (role === 'extreme') return { abilityMean, upShift: EXTREME_UP_SHIFT, downMul: EXTREME_DOWN_MUL, downAdd: 0, gradeBias: 0.1 };
  const gradeBias = 0.1 + rng.normal() * 0.05;
  const common = rng.normal();
  const rho = ORDINARY_SUBJECT_CORRELATION;
  const r = ORDINARY_UP_DOWN_CORRELATION;
  const up = new Map<SubjectCode, number>();
  const down = new Map<SubjectCode, number>();
  for (const code of SUBJECTS) {
    const spread = ORDINARY_SPREAD[code] ?? ORDINARY_SPREAD_OTHER;
    const zUp = Math.sqrt(rho) * common + Math.sqrt(1 - rho) * rng.normal();
    const zDown = r * zUp + Math.sqrt(1 - r * r) * rng.normal();
    up.set(code, spread.up * zUp);
    down.set(code, spread.down * zDown);
  }
  return { abilityMean, upShift: 0, downMul: 1, downAdd: 0, gradeBias, upShiftBySubject: up, downAddBySubject: down };
}

/** Builds the municipality: areas, schools and pupils (cohorts). Deterministic for a seed. */
export function generateMunicipality(options: MunicipalityOptions = {}): Municipality {
  const seed = options.seed ?? DEFAULT_SEED;
  const variant = options.variant ?? 'planted';
  const layout = variant === 'planted' ? (options.layout ?? 'demo') : 'long';
  if (variant !== 'planted' && options.layout === 'demo') throw new Error(`the ${variant} variant has no demo layout`);
  const years = resolveYears(options.years, variant !== 'planted' ? FAIRNESS_YEARS : layout === 'demo' ? DEFAULT_YEARS : DEFAULT_LONG_YEARS);
  const levels = options.levels ?? [5, 6, 9];
  const rng = new Rng(hashInts(seed, 0x5ca1ab1e));

  let specs: SchoolSpec[];
  let areaCount: number;
  if (variant !== 'planted') {
    ({ specs, areaCount } = variantSchoolSpecs(variant, options.schoolCount ?? FAIRNESS_SCHOOLS, options.extremeSchool ?? true, rng));
  } else if (layout === 'demo') {
    const demoTotal = DEMO_SCHOOLS.filter((s) => s.role !== 'tiny').reduce((sum, s) => sum + s.size, 0);
    const scale = options.pupilsPerLevel === undefined ? 1 : options.pupilsPerLevel / demoTotal;
    specs = DEMO_SCHOOLS.map((s) => ({ ...s, size: s.role === 'tiny' ? s.size : Math.max(10, Math.round(s.size * scale)) }));
    areaCount = 3;
  } else {
    ({ specs, areaCount } = longSchoolSpecs(options.pupilsPerLevel ?? DEFAULT_LONG_PUPILS, rng));
  }

  const areas: Area[] = Array.from({ length: areaCount }, (_, i) => ({
    index: i,
    name: at(AREA_NAMES, i),
    year5Shift:
      variant === 'planted' ? at(AREA_YEAR5_SHIFT, i) : variant === 'ordinary' && i === STRICT_AREA_INDEX ? STRICT_AREA_YEAR5_SHIFT : 0,
  }));

  const schools: School[] = specs.map((spec, index) => {
    const npSubjects = new Map<number, { no: SubjectCode; so: SubjectCode }>();
    for (const y of years) npSubjects.set(y, { no: rng.pick(NO_TEST_SUBJECTS), so: rng.pick(SO_TEST_SUBJECTS) });
    return {
      index,
      name: spec.name,
      area: at(areas, spec.area),
      role: spec.role,
      size: spec.size,
      ...(variant === 'planted' ? roleSettings(spec.role, rng) : variantSettings(variant, spec.role, rng)),
      teachers: makeTeachers(rng, spec.role === 'tiny'),
      npSubjects,
    };
  });

  // Cohorts (birth years) needed: år N in school year starting Y → born Y − N − 6.
  const birthYears = new Set<number>();
  for (const y of years) for (const level of levels) birthYears.add(y - level - 6);
  const sortedBirthYears = [...birthYears].sort((a, b) => a - b);

  const classCounts = new Map<string, number>();
  const cohorts = new Map<number, Pupil[]>();
  let uid = 0;
  for (const birthYear of sortedBirthYears) {
    const used = new Set<string>();
    const sizes = schools.map((school) =>
      school.role === 'tiny' ? rng.int(4, 7) : Math.max(1, Math.round(school.size * (0.88 + 0.24 * rng.next()))),
    );
    schools.forEach((school, i) => {
      const n = at(sizes, i);
      classCounts.set(`${school.index}:${birthYear}`, school.role === 'tiny' ? 1 : n <= 40 ? 2 : 3);
    });
    const letter = (school: School): string => {
      const k = classCounts.get(`${school.index}:${birthYear}`) ?? 1;
      return String.fromCharCode(65 + rng.int(0, k - 1));
    };
    const newPupil = (school: School, firstLevel: number): Pupil => {
      const gender: Gender = rng.chance(0.49) ? 'girl' : 'boy';
      let birthDate = '';
      let last4 = '';
      for (;;) {
        const month = rng.int(1, 12);
        const day = rng.int(1, daysInMonth(birthYear, month));
        const serial12 = rng.int(0, 99);
        // Third serial digit: odd for boys, even for girls.
        const genderDigit = gender === 'boy' ? 2 * rng.int(0, 4) + 1 : 2 * rng.int(0, 4);
        birthDate = `${birthYear}${pad(month, 2)}${pad(day, 2)}`;
        const serial = `${pad(serial12, 2)}${genderDigit}`;
        if (used.has(birthDate + serial)) continue;
        used.add(birthDate + serial);
        const correct = luhnCheckDigit(birthDate.slice(2) + serial);
        const wrong = (correct + rng.int(1, 9)) % 10;
        last4 = `${serial}${wrong}`;
        break;
      }
      const cls = letter(school);
      return {
        uid: uid++,
        birthYear,
        birthDate,
        last4,
        gender,
        firstName: rng.pick(gender === 'girl' ? GIRL_NAMES : BOY_NAMES),
        lastName: rng.pick(LAST_NAMES),
        sva: rng.chance(0.08),
        ability: school.abilityMean + rng.normal(),
        firstLevel,
        lastLevel: 9,
        school5: school,
        class5: cls,
        school6: school,
        class6: cls,
      };
    };
    const pupils: Pupil[] = [];
    schools.forEach((school, i) => {
      const n = at(sizes, i);
      for (let j = 0; j < n; j++) {
        const p = newPupil(school, 5);
        const r = rng.next();
        if (r < 0.03) {
          p.lastLevel = 5; // moves away after år 5
        } else if (r < 0.08) {
          // changes school between år 5 and år 6; about half of them to another area
          const otherArea = rng.chance(0.5);
          const candidates = schools.filter(
            (s) => s !== school && s.role !== 'tiny' && (otherArea ? s.area !== school.area : s.area === school.area),
          );
          const target = candidates.length > 0 ? rng.pick(candidates) : school;
          p.school6 = target;
          p.class6 = letter(target);
        }
        pupils.push(p);
        if (rng.chance(0.03)) pupils.push(newPupil(school, 6)); // moves in before år 6
      }
    });
    cohorts.set(birthYear, pupils);
  }

  const model: Municipality = { seed, name: 'Exempelstad', years, areas, schools, cohorts, classCounts };
  if (variant !== 'planted') model.variant = variant;
  return model;
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/** A subject slot in a level plan: SWE = SV or SVA by pupil; NO / SO = the school's test subject. */
type Slot = SubjectCode | 'SWE' | 'NO' | 'SO';

export interface LevelPlan {
  grades: readonly Slot[];
  tests: readonly Slot[];
  assessments: readonly Slot[];
}

const EMPTY_PLAN: LevelPlan = { grades: [], tests: [], assessments: [] };
const ASSESS_PLAN: LevelPlan = { grades: [], tests: [], assessments: ['SWE', 'EN', 'MA'] };

export const DEMO_PLANS: ReadonlyMap<number, LevelPlan> = new Map([
  [5, ASSESS_PLAN],
  [6, { grades: ['SWE', 'EN', 'MA', 'IDH'], tests: ['SWE', 'EN', 'MA'], assessments: [] }],
  [9, { grades: ['SWE', 'EN', 'MA', 'BI', 'FY', 'KE', 'GE', 'HI', 'RE', 'SH', 'IDH'], tests: ['SWE', 'EN', 'MA', 'NO', 'SO'], assessments: [] }],
]);

const ALL_GRADE_SLOTS: readonly Slot[] = ['SWE', 'EN', 'MA', 'BI', 'FY', 'KE', 'TK', 'GE', 'HI', 'RE', 'SH', 'BL', 'IDH', 'MU', 'SL', 'HKK'];

export function longPlans(gradeLevels: readonly number[]): Map<number, LevelPlan> {
  const plans = new Map<number, LevelPlan>([[5, ASSESS_PLAN]]);
  for (const level of [6, 7, 8, 9]) {
    const tests: readonly Slot[] = level === 6 ? ['SWE', 'EN', 'MA'] : level === 9 ? ['SWE', 'EN', 'MA', 'NO', 'SO'] : [];
    const grades = gradeLevels.includes(level) ? ALL_GRADE_SLOTS : [];
    if (grades.length > 0 || tests.length > 0) plans.set(level, { grades, tests, assessments: [] });
  }
  return plans;
}

function resolveSlot(slot: Slot, pupil: Pupil, school: School, year: number): SubjectCode {
  switch (slot) {
    case 'SWE':
      return pupil.sva ? 'SVA' : 'SV';
    case 'NO':
      return school.npSubjects.get(year)?.no ?? 'BI';
    case 'SO':
      return school.npSubjects.get(year)?.so ?? 'SH';
    default:
      return slot;
  }
}

/** The pupil's latent ability per subject (fixed over the years). */
export function subjectAbilities(seed: number, pupil: Pupil, out: Float64Array = new Float64Array(ABILITY_COUNT)): Float64Array {
  const rng = new Rng(hashInts(seed, pupil.uid, 0x77));
  for (let k = 0; k < ABILITY_COUNT; k++) out[k] = 0.75 * pupil.ability + 0.66 * rng.normal();
  if (pupil.sva) out[0] = (out[0] ?? 0) - 0.5;
  out[ABILITY_INDEX.IDH] = (out[ABILITY_INDEX.IDH] ?? 0) + 0.6;
  return out;
}

/** Where a pupil is in a given grade level, or null if not in the municipality then. */
export function placement(model: Municipality, pupil: Pupil, level: number): { school: School; className: string } | null {
  if (level < pupil.firstLevel || level > pupil.lastLevel) return null;
  return level === 5
    ? { school: pupil.school5, className: `5${pupil.class5}` }
    : { school: pupil.school6, className: `${level}${pupil.class6}` };
}

export type ResultSink = (kind: ResultKind, subject: SubjectCode, value: string) => void;

const abilityScratch = new Float64Array(ABILITY_COUNT);
const testScratch = new Int8Array(SUBJECTS.length);
const SUBJECT_INDEX: Readonly<Record<SubjectCode, number>> = Object.fromEntries(SUBJECTS.map((s, i) => [s, i])) as Record<SubjectCode, number>;

/**
 * Draws one pupil's results for one school year and grade level and passes them to the sink:
 * tests first, then teacher grades, then assessments. Order-independent and deterministic:
 * the draws come from a PRNG seeded by (seed, pupil, year, level).
 */
export function emitPupilYear(model: Municipality, pupil: Pupil, year: number, level: number, school: School, plan: LevelPlan, sink: ResultSink): void {
  const rng = new Rng(hashInts(model.seed, pupil.uid, year, level));
  const abil = subjectAbilities(model.seed, pupil, abilityScratch);
  testScratch.fill(-1);
  for (const slot of plan.tests) {
    const code = resolveSlot(slot, pupil, school, year);
    const step = scoreToStep((abil[ABILITY_INDEX[code]] ?? 0) + NOISE_SD * rng.normal());
    testScratch[SUBJECT_INDEX[code]] = step;
    sink('test', code, at(LETTERS, step));
  }
  for (const slot of plan.grades) {
    const code = resolveSlot(slot, pupil, school, year);
    const test = testScratch[SUBJECT_INDEX[code]] ?? -1;
    const u = rng.next();
    const jump = rng.next();
    const noise = rng.normal();
    let step: number;
    if (test >= 0) {
      const [baseUp, baseDown] = SHIFT_BASE[code] ?? SHIFT_BASE_OTHER;
      // The null variant grades girls and boys alike.
      const genderFactor = model.variant === 'null' ? 1 : pupil.gender === 'girl' ? 1.2 : 0.85;
      let up = baseUp * genderFactor + (school.upShiftBySubject?.get(code) ?? school.upShift);
      let down = baseDown * school.downMul + (school.downAddBySubject?.get(code) ?? school.downAdd);
      if (test === 0) {
        up += 0.3; // F on the test, often E as grade
        down = 0;
      }
      if (test === 1) down *= 0.5;
      if (test === 5) up = 0;
      up = Math.max(0, up);
      down = Math.max(0, down);
      if (up + down > 0.95) {
        const f = 0.95 / (up + down);
        up *= f;
        down *= f;
      }
      const shift = u < up ? (jump < 0.08 ? 2 : 1) : u < up + down ? -1 : 0;
      step = clampStep(test + shift);
    } else {
      step = scoreToStep((abil[ABILITY_INDEX[code]] ?? 0) + school.gradeBias + NOISE_SD * noise);
    }
    sink('grade', code, at(LETTERS, step));
  }
  for (const slot of plan.assessments) {
    const code = resolveSlot(slot, pupil, school, year);
    const missing = rng.next();
    const score = (abil[ABILITY_INDEX[code]] ?? 0) + NOISE_SD * rng.normal();
    const threshold = CUTS[0] + school.area.year5Shift;
    const value = missing < 0.02 ? '-1' : score < threshold ? '0' : score > threshold + 1.8 ? '2' : '1';
    sink('assessment', code, value);
  }
}

export interface ResultRecord {
  pupil: Pupil;
  year: number;
  level: number;
  school: School;
  className: string;
  subject: SubjectCode;
  kind: ResultKind;
  value: string;
  /** Grade-setting teacher (grades only). */
  teacher: string | null;
}

function teacherFor(school: School, pupil: Pupil, subject: SubjectCode, level: number): string {
  const list = school.teachers.get(subject) ?? ['Okänd lärare'];
  const classIndex = pupil.class6.charCodeAt(0) - 65;
  return at(list, (classIndex + (level === 9 ? 1 : 0)) % list.length);
}

/** Iterates the pupils present in (year, level), in cohort order. */
export function* pupilsIn(model: Municipality, year: number, level: number): Generator<{ pupil: Pupil; school: School; className: string }> {
  const cohort = model.cohorts.get(year - level - 6) ?? [];
  for (const pupil of cohort) {
    const place = placement(model, pupil, level);
    if (place) yield { pupil, ...place };
  }
}

/** All result records of the demo data set (clean, before dirty rows are planted). */
export function collectRecords(model: Municipality, plans: ReadonlyMap<number, LevelPlan> = DEMO_PLANS): ResultRecord[] {
  const records: ResultRecord[] = [];
  for (const year of model.years) {
    for (const [level, plan] of [...plans].sort((a, b) => a[0] - b[0])) {
      if (plan === EMPTY_PLAN) continue;
      for (const { pupil, school, className } of pupilsIn(model, year, level)) {
        emitPupilYear(model, pupil, year, level, school, plan, (kind, subject, value) => {
          records.push({
            pupil, year, level, school, className, subject, kind, value,
            teacher: kind === 'grade' ? teacherFor(school, pupil, subject, level) : null,
          });
        });
      }
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// Pattern figures (computed from records)
// ---------------------------------------------------------------------------------------------

export interface GapFigures {
  pairs: number;
  higher: number;
  lower: number;
  testA: number;
}

export interface TransitionFigures {
  pairs: number;
  year5Pass: number;
  year6Pass: number;
  /** Passed år 5, failed år 6 test. */
  b: number;
  /** Failed år 5, passed år 6 test. */
  c: number;
  chi2: number;
  p: number;
}

/** Complementary error function (Numerical Recipes erfcc, |error| < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** McNemar's test with continuity correction: chi² (1 df) and p. */
export function mcnemar(b: number, c: number): { chi2: number; p: number } {
  if (b + c === 0) return { chi2: 0, p: 1 };
  const chi2 = (Math.max(0, Math.abs(b - c) - 1) ** 2) / (b + c);
  return { chi2, p: erfc(Math.sqrt(chi2 / 2)) };
}

export interface PatternFigures {
  /** Per school name, teacher grade vs test grade in MA (år 6 and 9). */
  gapMA: Map<string, GapFigures>;
  /** Municipality-wide per subject (MA, SV, EN). */
  gapBySubject: Map<string, GapFigures>;
  girlsHigher: number;
  boysHigher: number;
  /** Among test F (all tested subjects): share with a passing teacher grade. */
  fToPass: number;
  /** Per år-5 area name (SV+EN+MA summed) and per area name + ' MA'. */
  transition: Map<string, TransitionFigures>;
  /** Largest number of pupils in one (year, level, subject) group at the tiny school. */
  tinyMaxGroup: number;
  tinySchool: string;
}

function share(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

export function computeFigures(model: Municipality, records: readonly ResultRecord[]): PatternFigures {
  const key = (r: ResultRecord): string => `${r.pupil.uid}|${r.year}|${r.level}|${r.subject}`;
  const tests = new Map<string, number>();
  for (const r of records) if (r.kind === 'test') tests.set(key(r), LETTERS.indexOf(r.value as Letter));
  const gapMA = new Map<string, GapFigures>();
  const gapBySubject = new Map<string, GapFigures>();
  const add = (map: Map<string, GapFigures>, k: string, diff: number, testStep: number): void => {
    const g = map.get(k) ?? { pairs: 0, higher: 0, lower: 0, testA: 0 };
    g.pairs++;
    if (diff > 0) g.higher++;
    if (diff < 0) g.lower++;
    if (testStep === 5) g.testA++;
    map.set(k, g);
  };
  let girls = 0, girlsUp = 0, boys = 0, boysUp = 0, fTotal = 0, fPass = 0;
  for (const r of records) {
    if (r.kind !== 'grade') continue;
    const t = tests.get(key(r));
    if (t === undefined) continue;
    const g = LETTERS.indexOf(r.value as Letter);
    const diff = g - t;
    if (r.subject === 'MA') add(gapMA, r.school.name, diff, t);
    if (r.subject === 'MA' || r.subject === 'SV' || r.subject === 'EN') add(gapBySubject, r.subject, diff, t);
    if (r.pupil.gender === 'girl') {
      girls++;
      if (diff > 0) girlsUp++;
    } else {
      boys++;
      if (diff > 0) boysUp++;
    }
    if (t === 0) {
      fTotal++;
      if (g > 0) fPass++;
    }
  }

  // Transition: år 5 assessment (year Y) → år 6 test (year Y+1), same pupil and subject.
  const year5 = new Map<string, { pass: boolean; area: string }>();
  for (const r of records) {
    if (r.kind !== 'assessment' || r.value === '-1') continue;
    year5.set(`${r.pupil.uid}|${r.year + 1}|${r.subject}`, { pass: r.value === '1' || r.value === '2', area: r.school.area.name });
  }
  const counts = new Map<string, { pairs: number; p5: number; p6: number; b: number; c: number }>();
  const bump = (k: string, p5: boolean, p6: boolean): void => {
    const e = counts.get(k) ?? { pairs: 0, p5: 0, p6: 0, b: 0, c: 0 };
    e.pairs++;
    if (p5) e.p5++;
    if (p6) e.p6++;
    if (p5 && !p6) e.b++;
    if (!p5 && p6) e.c++;
    counts.set(k, e);
  };
  for (const r of records) {
    if (r.kind !== 'test' || r.level !== 6 || !(r.subject === 'SV' || r.subject === 'EN' || r.subject === 'MA')) continue;
    const a = year5.get(`${r.pupil.uid}|${r.year}|${r.subject}`);
    if (!a) continue;
    const p6 = r.value !== 'F';
    bump(a.area, a.pass, p6);
    bump(`${a.area} ${r.subject}`, a.pass, p6);
  }
  const transition = new Map<string, TransitionFigures>();
  for (const [k, e] of counts) {
    transition.set(k, { pairs: e.pairs, year5Pass: share(e.p5, e.pairs), year6Pass: share(e.p6, e.pairs), b: e.b, c: e.c, ...mcnemar(e.b, e.c) });
  }

  const tiny = model.schools.find((s) => s.role === 'tiny');
  const groups = new Map<string, number>();
  for (const r of records) {
    if (r.school !== tiny || r.kind === 'assessment') continue;
    const k = `${r.year}|${r.level}|${r.subject}|${r.kind}`;
    groups.set(k, (groups.get(k) ?? 0) + 1);
  }

  return {
    gapMA,
    gapBySubject,
    girlsHigher: share(girlsUp, girls),
    boysHigher: share(boysUp, boys),
    fToPass: share(fPass, fTotal),
    transition,
    tinyMaxGroup: Math.max(0, ...groups.values()),
    tinySchool: tiny?.name ?? '',
  };
}

// ---------------------------------------------------------------------------------------------
// Demo export files
// ---------------------------------------------------------------------------------------------

export const DEMO_FILES = {
  grades: 'exports/betyg_ak6_ak9.csv',
  tests6: 'exports/nationella_prov_ak6.csv',
  tests9: 'exports/np_ak9.csv',
  assess5: 'exports/bedomningar_ak5.csv',
  areas: 'skolomraden.csv',
  readme: 'README.md',
} as const;

export const DEMO_HEADERS = {
  grades: ['Personnummer', 'Förnamn', 'Efternamn', 'Skola', 'Skolområde', 'Klass', 'Årskurs', 'Läsår', 'Ämne', 'Betyg', 'Betygssättande lärare', 'Kön'],
  tests6: ['Elev-ID', 'Skolenhet', 'Klass', 'Åk', 'Provår', 'Ämne', 'Provbetyg'],
  tests9: ['Personnummer', 'Skola', 'Årskurs', 'Termin', 'Ämne', 'Typ', 'Resultat'],
  assess5: ['student_id', 'school', 'area', 'class', 'grade_level', 'school_year', 'subject', 'kind', 'result'],
  areas: ['Skola', 'Skolområde'],
} as const;

export interface DirtyRow {
  /** Path relative to the demo directory, e.g. `exports/betyg_ak6_ak9.csv`. */
  file: string;
  /** 1-based physical line number. */
  line: number;
  /** Machine-readable kind. */
  kind:
    | 'old-scale-grade' | 'typo-grade' | 'dash-grade' | 'blank-test-grade' | 'empty-id' | 'exact-duplicate'
    | 'conflicting-duplicate' | 'unknown-subject' | 'bad-school-year' | 'too-few-fields' | 'trailing-blank-line'
    | 'unknown-result-label';
  what: string;
}

interface Line {
  fields: string[];
  rec: ResultRecord | null;
  dirty: { kind: DirtyRow['kind']; what: string } | null;
}

function lineOf(fields: string[], rec: ResultRecord | null): Line {
  return { fields, rec, dirty: null };
}

function genderLabel(g: Gender): string {
  return g === 'girl' ? 'Flicka' : 'Pojke';
}

function quoteAll(field: string): string {
  return `"${field.replace(/"/g, '""')}"`;
}

function toLatin1(text: string): Buffer {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) throw new Error(`character not in Windows-1252/latin1: ${text[i] ?? ''}`);
  }
  return Buffer.from(text, 'latin1');
}

export interface DemoOptions {
  seed?: number;
  years?: readonly string[] | number;
  pupilsPerLevel?: number;
}

export interface DemoBuild {
  model: Municipality;
  records: ResultRecord[];
  /** Relative path → file bytes (exports, skolomraden.csv and README.md). */
  files: Map<string, Buffer>;
  dirtyRows: DirtyRow[];
  figures: PatternFigures;
}

/** Builds the demo data set in memory (pure; same options → identical bytes). */
export function buildDemoFiles(options: DemoOptions = {}): DemoBuild {
  const model = generateMunicipality({ seed: options.seed, years: options.years ?? DEFAULT_YEARS, pupilsPerLevel: options.pupilsPerLevel, layout: 'demo', levels: [5, 6, 9] });
  const records = collectRecords(model);
  const figures = computeFigures(model, records);

  const grades: Line[] = [];
  const tests6: Line[] = [];
  const tests9: Line[] = [];
  const assess5: Line[] = [];
  for (const r of records) {
    const p = r.pupil;
    if (r.kind === 'grade') {
      grades.push(lineOf([
        pupilId10(p), p.firstName, p.lastName, r.school.name, r.school.area.name, r.className, String(r.level),
        schoolYearLabel(r.year), SUBJECT_NAMES[r.subject], r.value, r.teacher ?? '', genderLabel(p.gender),
      ], r));
    } else if (r.kind === 'test' && r.level === 6) {
      tests6.push(lineOf([pupilId12(p), r.school.name, r.className, '6', String(r.year + 1), r.subject, r.value], r));
    } else if (r.kind === 'test' && r.level === 9) {
      tests9.push(lineOf([pupilId12Dash(p), r.school.name, '9', `VT${pad((r.year + 1) % 100, 2)}`, NP9_SUBJECT_CODES[r.subject], 'Provbetyg', r.value], r));
    } else if (r.kind === 'assessment') {
      assess5.push(lineOf([pupilId12(p), r.school.name, r.school.area.name, r.className, '5', schoolYearLabelLong(r.year), SUBJECT_NAMES[r.subject], 'bedömning', r.value], r));
    }
  }

  // --- plant dirty rows (on rows outside the planted patterns: Östra's ordinary school,
  //     subjects that the transition and gap figures do not use) ---
  const drng = new Rng(hashInts(model.seed, 0xd1e7));
  const taken = new Set<Line>();
  const quiet = (r: ResultRecord | null): r is ResultRecord => r !== null && r.school.role === 'normal' && r.school.area.index === 2;
  const pickLine = (lines: Line[], pred: (r: ResultRecord) => boolean): Line => {
    const candidates = lines.filter((l) => !taken.has(l) && quiet(l.rec) && pred(l.rec));
    if (candidates.length === 0) throw new Error('no candidate row for a dirty row');
    const l = drng.pick(candidates);
    taken.add(l);
    return l;
  };
  const mark = (l: Line, kind: DirtyRow['kind'], what: string): void => {
    l.dirty = { kind, what };
  };
  const BETYG = 9;

  // betyg_ak6_ak9.csv
  let l = pickLine(grades, (r) => r.level === 9 && r.subject === 'HI');
  l.fields[BETYG] = 'VG';
  mark(l, 'old-scale-grade', 'Betyg `VG` (old grading scale)');
  l = pickLine(grades, (r) => r.level === 9 && r.subject === 'GE');
  l.fields[BETYG] = 'Ä';
  mark(l, 'typo-grade', 'Betyg `Ä` (typo)');
  for (const subject of ['IDH', 'RE', 'BI'] as const) {
    l = pickLine(grades, (r) => r.level === 9 && r.subject === subject);
    l.fields[BETYG] = '-';
    mark(l, 'dash-grade', 'Betyg `-` (streck: pupil absent, no grade)');
  }
  const conflictOf = pickLine(grades, (r) => r.level === 9 && r.subject === 'EN');
  const conflict = lineOf([...conflictOf.fields], conflictOf.rec);
  const oldStep = LETTERS.indexOf(conflictOf.fields[BETYG] as Letter);
  conflict.fields[BETYG] = at(LETTERS, oldStep >= 5 ? 4 : oldStep + 1);
  grades.push(conflict);
  const mattePos = grades.indexOf(pickLine(grades, (r) => r.level === 9 && r.subject === 'IDH'));
  const matteBase = at(grades, mattePos);
  const matte = lineOf([...matteBase.fields], null);
  matte.fields[8] = 'Matte 2';
  mark(matte, 'unknown-subject', 'Ämne `Matte 2` (unknown subject; extra row)');
  grades.splice(mattePos + 1, 0, matte);

  // nationella_prov_ak6.csv
  for (let i = 0; i < 2; i++) {
    l = pickLine(tests6, (r) => r.subject === 'EN');
    l.fields[6] = '';
    mark(l, 'blank-test-grade', 'blank Provbetyg');
  }
  const dupPos = tests6.indexOf(pickLine(tests6, (r) => r.subject === 'EN'));
  const dup = lineOf([...at(tests6, dupPos).fields], null);
  mark(dup, 'exact-duplicate', 'exact duplicate of the line above');
  tests6.splice(dupPos + 1, 0, dup);

  // np_ak9.csv
  l = pickLine(tests9, (r) => r.subject === 'EN');
  l.fields[0] = '';
  mark(l, 'empty-id', 'empty Personnummer');
  l = pickLine(tests9, (r) => SO_TEST_SUBJECTS.includes(r.subject));
  l.fields = l.fields.slice(0, 4);
  mark(l, 'too-few-fields', 'truncated line: 4 of 7 fields');

  // bedomningar_ak5.csv
  l = pickLine(assess5, (r) => r.subject === 'EN');
  l.fields[5] = 'läsår?';
  mark(l, 'bad-school-year', 'school_year `läsår?` (unparseable)');
  l = pickLine(assess5, (r) => r.subject === 'EN');
  l.fields[8] = 'Bra';
  mark(l, 'unknown-result-label', 'result `Bra` (unknown label)');

  // --- render ---
  const dirtyRows: DirtyRow[] = [];
  const collect = (file: string, lines: Line[]): void => {
    lines.forEach((ln, i) => {
      if (ln.dirty) dirtyRows.push({ file, line: i + 2, ...ln.dirty });
    });
  };
  // The conflicting pair needs both line numbers.
  const conflictOfLine = grades.indexOf(conflictOf) + 2;
  conflict.dirty = {
    kind: 'conflicting-duplicate',
    what: `conflicting duplicate of line ${conflictOfLine} (same pupil, subject, school year; Betyg ${conflictOf.fields[BETYG] ?? ''} there, ${conflict.fields[BETYG] ?? ''} here)`,
  };
  collect(DEMO_FILES.grades, grades);
  collect(DEMO_FILES.tests6, tests6);
  collect(DEMO_FILES.tests9, tests9);
  collect(DEMO_FILES.assess5, assess5);
  const lastTests6 = tests6.length + 1;
  dirtyRows.push({ file: DEMO_FILES.tests6, line: lastTests6 + 1, kind: 'trailing-blank-line', what: 'trailing blank line' });
  dirtyRows.push({ file: DEMO_FILES.tests6, line: lastTests6 + 2, kind: 'trailing-blank-line', what: 'trailing blank line' });
  const fileOrder: readonly string[] = [DEMO_FILES.grades, DEMO_FILES.tests6, DEMO_FILES.tests9, DEMO_FILES.assess5];
  dirtyRows.sort((a, b) => fileOrder.indexOf(a.file) - fileOrder.indexOf(b.file) || a.line - b.line);

  const files = new Map<string, Buffer>();
  const render = (header: readonly string[], lines: Line[], sep: string, eol: string, quote: (f: string) => string = (f) => f): string => {
    const out: string[] = [header.map(quote).join(sep)];
    for (const ln of lines) out.push(ln.fields.map(quote).join(sep));
    return out.join(eol) + eol;
  };
  files.set(DEMO_FILES.grades, toLatin1(render(DEMO_HEADERS.grades, grades, ';', '\r\n')));
  files.set(DEMO_FILES.tests6, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(render(DEMO_HEADERS.tests6, tests6, ',', '\n') + '\n\n', 'utf8')]));
  files.set(DEMO_FILES.tests9, Buffer.from(render(DEMO_HEADERS.tests9, tests9, ';', '\n', quoteAll), 'utf8'));
  files.set(DEMO_FILES.assess5, Buffer.from(render(DEMO_HEADERS.assess5, assess5, '\t', '\n'), 'utf8'));
  files.set(DEMO_FILES.areas, Buffer.from(['Skola;Skolområde', ...model.schools.map((s) => `${s.name};${s.area.name}`)].join('\n') + '\n', 'utf8'));

  const lineCounts = new Map<string, number>([
    [DEMO_FILES.grades, grades.length + 1],
    [DEMO_FILES.tests6, tests6.length + 3],
    [DEMO_FILES.tests9, tests9.length + 1],
    [DEMO_FILES.assess5, assess5.length + 1],
  ]);
  files.set(DEMO_FILES.readme, Buffer.from(renderReadme(model, figures, dirtyRows, lineCounts, files), 'utf8'));
  return { model, records, files, dirtyRows, figures };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

function fmtP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

function renderReadme(model: Municipality, f: PatternFigures, dirty: readonly DirtyRow[], lineCounts: ReadonlyMap<string, number>, files: ReadonlyMap<string, Buffer>): string {
  const years = model.years.map(schoolYearLabel).join(', ');
  const role = (r: SchoolRole): School => {
    const s = model.schools.find((x) => x.role === r);
    if (!s) throw new Error(`no ${r} school`);
    return s;
  };
  const gap = (s: School): GapFigures => f.gapMA.get(s.name) ?? { pairs: 0, higher: 0, lower: 0, testA: 0 };
  const allMA = [...f.gapMA.values()].reduce((a, g) => ({ pairs: a.pairs + g.pairs, higher: a.higher + g.higher, lower: a.lower + g.lower, testA: a.testA + g.testA }), { pairs: 0, higher: 0, lower: 0, testA: 0 });
  const kb = (file: string): string => `${((files.get(file)?.length ?? 0) / 1024).toFixed(0)} kB`;
  const L: string[] = [];
  L.push('# Demo data: Exempelstad (synthetic)');
  L.push('');
  L.push('**All data in this folder is synthetic.** Exempelstad, its schools, teachers and pupils are made up by');
  L.push('`scripts/demo/generate.ts` (seeded PRNG, seed ' + String(model.seed) + '). Every personnummer has a deliberately');
  L.push('*wrong* Luhn check digit, so none of them can be a real person\'s number. Birth dates match the grade level');
  L.push('(år N in läsår Y/Y+1 → born Y−N−6); the third serial digit is odd for boys, even for girls. Pupil and');
  L.push('teacher names come from short lists of common Swedish names; pupil names must never appear in reports.');
  L.push('');
  L.push('Regenerate (byte-identical) with `npm run build && npm run demo:generate`');
  L.push('(`node build/scripts/demo/generate.js --out fixtures/demo`).');
  L.push('');
  L.push(`School years: ${years}. Three areas (Norra, Södra, Östra), nine schools:`);
  L.push('');
  L.push('| Skola | Skolområde | Role |');
  L.push('|---|---|---|');
  for (const s of model.schools) L.push(`| ${s.name} | ${s.area.name} | ${s.role} |`);
  L.push('');
  L.push('## Files');
  L.push('');
  L.push('| File | System | Delimiter | Encoding | Line ends | Lines | Size |');
  L.push('|---|---|---|---|---|---|---|');
  L.push(`| \`${DEMO_FILES.grades}\` | A: teacher grades år 6 and 9 | \`;\` | Windows-1252, no BOM | CRLF | ${lineCounts.get(DEMO_FILES.grades) ?? 0} | ${kb(DEMO_FILES.grades)} |`);
  L.push(`| \`${DEMO_FILES.tests6}\` | B: national tests år 6 | \`,\` | UTF-8 with BOM | LF | ${lineCounts.get(DEMO_FILES.tests6) ?? 0} | ${kb(DEMO_FILES.tests6)} |`);
  L.push(`| \`${DEMO_FILES.tests9}\` | C: national tests år 9, long format, all fields quoted | \`;\` | UTF-8, no BOM | LF | ${lineCounts.get(DEMO_FILES.tests9) ?? 0} | ${kb(DEMO_FILES.tests9)} |`);
  L.push(`| \`${DEMO_FILES.assess5}\` | D: år 5 assessments (omdömen) | TAB | UTF-8, no BOM | LF | ${lineCounts.get(DEMO_FILES.assess5) ?? 0} | ${kb(DEMO_FILES.assess5)} |`);
  L.push(`| \`${DEMO_FILES.areas}\` | school → area mapping | \`;\` | UTF-8, no BOM | LF | ${model.schools.length + 1} | ${kb(DEMO_FILES.areas)} |`);
  L.push('');
  L.push('Headers:');
  L.push('');
  L.push('- `betyg_ak6_ak9.csv`: `' + DEMO_HEADERS.grades.join(';') + '`. Personnummer `YYMMDD-NNNN`, Läsår `2024/25`, Ämne as full Swedish names, Betyg A–F, Kön `Flicka`/`Pojke`. År 6: Svenska/Svenska som andraspråk, Engelska, Matematik, Idrott och hälsa; år 9 also Biologi, Fysik, Kemi, Geografi, Historia, Religionskunskap, Samhällskunskap.');
  L.push('- `nationella_prov_ak6.csv`: `' + DEMO_HEADERS.tests6.join(',') + '`. Elev-ID `YYYYMMDDNNNN`, Provår = calendar year of the spring (2025 for 2024/25), Ämne `SV`/`SVA`/`EN`/`MA`. No area or gender column.');
  L.push('- `np_ak9.csv`: `' + DEMO_HEADERS.tests9.join(';') + '` (every field in double quotes). Personnummer `YYYYMMDD-NNNN`, Termin `VT25`, Ämne codes `Sv`, `SVA`, `ENG`, `Ma` and per school and year one NO test (`BI`/`FY`/`KE`) and one SO test (`GE`/`HI`/`RE`/`SH`); Typ `Provbetyg`.');
  L.push('- `bedomningar_ak5.csv`: `' + DEMO_HEADERS.assess5.join('\\t') + '`. student_id `YYYYMMDDNNNN`, school_year `2023/2024`, subject `Svenska`/`Svenska som andraspråk`/`Engelska`/`Matematik`, kind `bedömning`, result on the platform scale `-1` (omdöme saknas), `0` (når ännu inte godtagbar nivå), `1` (godtagbar), `2` (mer än godtagbar); pass = 1 or 2.');
  L.push('- `skolomraden.csv`: `Skola;Skolområde`, one row per school (the test files have no area column).');
  L.push('');
  L.push('Cohorts progress: a pupil in år 5 in 2022/23 is in år 6 in 2023/24 with the same personnummer. About 5 % change');
  L.push('school between år 5 and år 6 (half of them to another area), about 3 % of år 5 pupils move away (no år 6 rows)');
  L.push('and about 3 % of år 6 pupils moved in (no år 5 rows). About 8 % take Svenska som andraspråk.');
  L.push('');
  L.push('## Planted patterns');
  L.push('');
  L.push('Figures below are computed by the generator from the clean records, before the dirty rows were planted');
  L.push('(the dirty rows are in Östra\'s ordinary school and in subjects the figures do not use, so a correct reader');
  L.push('gets the same or nearly the same numbers). "Higher" = teacher grade above the test grade for the same pupil,');
  L.push('subject and school year (år 6 and år 9 together).');
  L.push('');
  L.push('### 1. Teacher grade vs test grade (gap)');
  L.push('');
  L.push('| Skola (Matematik) | Pairs | Higher | Lower | Provbetyg A |');
  L.push('|---|---|---|---|---|');
  for (const s of model.schools) {
    const g = gap(s);
    L.push(`| ${s.name}${s.role === 'normal' ? '' : ` (${s.role})`} | ${g.pairs} | ${pct(share(g.higher, g.pairs))} | ${pct(share(g.lower, g.pairs))} | ${pct(share(g.testA, g.pairs))} |`);
  }
  L.push(`| **All schools** | ${allMA.pairs} | ${pct(share(allMA.higher, allMA.pairs))} | ${pct(share(allMA.lower, allMA.pairs))} | ${pct(share(allMA.testA, allMA.pairs))} |`);
  L.push('');
  const gen = role('generous'), str = role('strict'), ceil = role('ceiling');
  L.push(`- **Generous:** ${gen.name} (${gen.area.name}) gives a higher grade than the test in ${pct(share(gap(gen).higher, gap(gen).pairs))} of MA pairs.`);
  L.push(`- **Strict:** ${str.name} (${str.area.name}) has more lower (${pct(share(gap(str).lower, gap(str).pairs))}) than higher (${pct(share(gap(str).higher, gap(str).pairs))}) grades in MA.`);
  L.push(`- **Ceiling:** ${ceil.name} (${ceil.area.name}) has provbetyg A in ${pct(share(gap(ceil).testA, gap(ceil).pairs))} of MA pairs; a pupil with A on the test cannot get a higher grade, so its share "higher" looks low because of the ceiling, not because the school is strict.`);
  L.push('');
  L.push('Municipality-wide (all schools):');
  L.push('');
  for (const subj of ['MA', 'SV', 'EN']) {
    const g = f.gapBySubject.get(subj) ?? { pairs: 0, higher: 0, lower: 0, testA: 0 };
    L.push(`- ${SUBJECT_NAMES[subj as SubjectCode]}: higher ${pct(share(g.higher, g.pairs))}, lower ${pct(share(g.lower, g.pairs))} (${g.pairs} pairs).`);
  }
  L.push(`- Girls get a higher grade than the test in ${pct(f.girlsHigher)} of pairs, boys in ${pct(f.boysHigher)} (all tested subjects).`);
  L.push(`- Deviations cluster around E/F: of pupils with F on a test, ${pct(f.fToPass)} got a passing teacher grade (mostly E).`);
  L.push('');
  L.push('### 2. Transition år 5 → år 6 (the headline finding)');
  L.push('');
  L.push('Same pupils: år 5 assessment in one school year linked to their år 6 provbetyg the next school year, SV + EN + MA');
  L.push('summed (omdöme `-1` excluded), grouped by the area of the år 5 school. Pass in år 5 = `1` or `2`; pass in år 6 =');
  L.push('provbetyg E or better. McNemar\'s test with continuity correction on the discordant pairs (b = passed år 5 but');
  L.push('failed the år 6 test, c = failed år 5 but passed the test).');
  L.push('');
  L.push('| Area | Linked pairs | Pass år 5 | Pass år 6 test | Difference | b | c | McNemar χ² | p |');
  L.push('|---|---|---|---|---|---|---|---|---|');
  for (const a of model.areas) {
    for (const k of [a.name, `${a.name} MA`]) {
      const t = f.transition.get(k);
      if (!t) continue;
      L.push(`| ${k === a.name ? `${a.name} (SV+EN+MA)` : `${a.name}, Matematik`} | ${t.pairs} | ${pct(t.year5Pass)} | ${pct(t.year6Pass)} | ${((t.year5Pass - t.year6Pass) * 100).toFixed(1)} pp | ${t.b} | ${t.c} | ${t.chi2.toFixed(1)} | ${fmtP(t.p)} |`);
    }
  }
  L.push('');
  L.push('- **Norra** assesses strictly in år 5: clearly fewer pupils pass by the år 5 omdöme than pass the år 6 test.');
  L.push('- **Södra** is the opposite: år 5 passes clearly more pupils than later pass the år 6 tests.');
  L.push('- **Östra** is in line (no significant difference).');
  L.push('');
  L.push('### 3. The tiny school');
  L.push('');
  L.push(`${f.tinySchool} (Östra) has 4–7 pupils per grade level; its largest subject group has ${f.tinyMaxGroup} pupils, below the`);
  L.push('minimum group size of 10, so its figures must be suppressed in reports.');
  L.push('');
  L.push('## Big long-format export (benchmarks, not stored here)');
  L.push('');
  L.push('`node build/scripts/demo/generate.js --scale long --out FILE.csv [--pupils 20000] [--years 5] [--grade-levels 6,9]` streams one');
  L.push('file (`;`, UTF-8 without BOM, LF) with the header `' + LONG_HEADER + '`: Terminsbetyg in all 16 subjects');
  L.push('(default in år 6 and 9; `--grade-levels 6,7,8,9` adds år 7 and 8), Provbetyg in år 6 and 9, Bedömning (`-1/0/1/2`) in år 5.');
  L.push('About 40 pupils per grade level per school, up to six areas, the same planted patterns. The defaults give about');
  L.push('4.2 million rows (≈ 320 MB).');
  L.push('');
  L.push('## Planted dirty rows');
  L.push('');
  L.push('Line numbers are physical lines, 1-based, header = line 1.');
  L.push('');
  L.push('| File:line | What |');
  L.push('|---|---|');
  for (const d of dirty) L.push(`| \`${d.file}:${d.line}\` | ${d.what} |`);
  L.push('');
  return L.join('\n');
}

/** Writes the demo data set into dir (exports/, skolomraden.csv, README.md). */
export function writeDemoExports(dir: string, options: DemoOptions = {}): DemoBuild {
  const build = buildDemoFiles(options);
  for (const [rel, bytes] of build.files) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  return build;
}

// ---------------------------------------------------------------------------------------------
// Big long-format export (streamed)
// ---------------------------------------------------------------------------------------------

export const LONG_HEADER = 'Personnummer;Skola;Skolområde;Klass;Årskurs;Läsår;Ämne;Kön;Typ;Resultat';

export interface LongOptions {
  /** Pupils per grade level in the whole municipality (default 20000). */
  pupilsPerLevel?: number;
  /** School years (`2024/25`, …) or a count N meaning the last N years ending 2024/25 (default 5). */
  years?: readonly string[] | number;
  seed?: number;
  /** Grade levels with teacher grades (terminsbetyg) in all 16 subjects (default 6 and 9). */
  gradeLevels?: readonly number[];
}

export interface LongResult {
  rows: number;
  bytes: number;
  schools: number;
  areas: number;
}

const KIND_LABEL: Readonly<Record<ResultKind, string>> = { grade: 'Terminsbetyg', test: 'Provbetyg', assessment: 'Bedömning' };

/**
 * Streams the long-format export to path: rows are built with string concatenation,
 * written in ~1 MB chunks, awaiting 'drain' on backpressure. Memory stays bounded.
 */
export async function writeLongExport(path: string, options: LongOptions = {}): Promise<LongResult> {
  const gradeLevels = options.gradeLevels ?? [6, 9];
  const plans = longPlans(gradeLevels);
  const levels = [...plans.keys()].sort((a, b) => a - b);
  const model = generateMunicipality({
    seed: options.seed,
    years: options.years ?? DEFAULT_LONG_YEARS,
    pupilsPerLevel: options.pupilsPerLevel ?? DEFAULT_LONG_PUPILS,
    layout: 'long',
    levels,
  });
  return streamLongExport(path, model, plans);
}

/**
 * The `null` / `ordinary` municipalities' plans: år 5 omdömen, år 6 and år 9 teacher grades and
 * tests in SV/SVA, EN and MA only (the subjects the gap and transition flags use; small and fast).
 */
export const FAIRNESS_PLANS: ReadonlyMap<number, LevelPlan> = new Map([
  [5, ASSESS_PLAN],
  [6, { grades: ['SWE', 'EN', 'MA'], tests: ['SWE', 'EN', 'MA'], assessments: [] }],
  [9, { grades: ['SWE', 'EN', 'MA'], tests: ['SWE', 'EN', 'MA'], assessments: [] }],
]);

export interface FairnessOptions {
  variant: 'null' | 'ordinary';
  seed?: number;
  /** School years or a count N meaning the last N years ending 2024/25 (default FAIRNESS_YEARS). */
  years?: readonly string[] | number;
  /** Number of schools (default FAIRNESS_SCHOOLS). */
  schoolCount?: number;
  /** `ordinary`: plant the extreme school (default true). */
  extremeSchool?: boolean;
}

/**
 * Writes a `null` or `ordinary` municipality (see the file comment) as one long-format file
 * (LONG_HEADER), with FAIRNESS_PLANS: about 90,000 rows for the defaults. Also returns the model.
 */
export async function writeFairnessExport(path: string, options: FairnessOptions): Promise<LongResult & { model: Municipality }> {
  const model = generateFairnessMunicipality(options);
  return { ...(await streamLongExport(path, model, FAIRNESS_PLANS)), model };
}

/** The `null` / `ordinary` municipality of writeFairnessExport, without writing it. */
export function generateFairnessMunicipality(options: FairnessOptions): Municipality {
  return generateMunicipality({
    seed: options.seed,
    years: options.years ?? FAIRNESS_YEARS,
    layout: 'long',
    levels: [...FAIRNESS_PLANS.keys()],
    variant: options.variant,
    schoolCount: options.schoolCount,
    extremeSchool: options.extremeSchool,
  });
}

async function streamLongExport(path: string, model: Municipality, plans: ReadonlyMap<number, LevelPlan>): Promise<LongResult> {
  const levels = [...plans.keys()].sort((a, b) => a - b);
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let rows = 0;
  let bytes = 0;
  let chunk = LONG_HEADER + '\n';
  const CHUNK = 1 << 20;
  const flush = async (): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    const ok = stream.write(chunk);
    chunk = '';
    if (!ok) await once(stream, 'drain');
  };
  let prefix = '';
  let gender = '';
  const sink: ResultSink = (kind, subject, value) => {
    chunk += prefix + subject + gender + KIND_LABEL[kind] + ';' + value + '\n';
    rows++;
  };
  for (const year of model.years) {
    const label = schoolYearLabel(year);
    for (const level of levels) {
      const plan = plans.get(level);
      if (!plan) continue;
      for (const { pupil, school, className } of pupilsIn(model, year, level)) {
        prefix = pupilId12Dash(pupil) + ';' + school.name + ';' + school.area.name + ';' + className + ';' + level + ';' + label + ';';
        gender = pupil.gender === 'girl' ? ';Flicka;' : ';Pojke;';
        emitPupilYear(model, pupil, year, level, school, plan, sink);
        if (chunk.length >= CHUNK) await flush();
      }
    }
  }
  await flush();
  stream.end();
  await done;
  return { rows, bytes, schools: model.schools.length, areas: model.areas.length };
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

function parseYearsArg(value: string | undefined): readonly string[] | number | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value) : value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function parseIntArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      seed: { type: 'string' },
      scale: { type: 'string', default: 'demo' },
      pupils: { type: 'string' },
      years: { type: 'string' },
      'grade-levels': { type: 'string' },
      variant: { type: 'string' },
      schools: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || values.out === undefined) {
    process.stderr.write(
      'usage: generate --out DIR [--seed N] [--scale demo] [--pupils N] [--years 2022/23,2023/24,2024/25]\n' +
        '       generate --scale long --out FILE.csv [--pupils 20000] [--years 5] [--grade-levels 6,9] [--seed N]\n' +
        '       generate --scale fairness --variant null|ordinary --out FILE.csv [--schools 40] [--years 3] [--seed N]\n',
    );
    if (values.out === undefined && !values.help) process.exitCode = 2;
    return;
  }
  const seed = parseIntArg('seed', values.seed) ?? DEFAULT_SEED;
  const pupils = parseIntArg('pupils', values.pupils);
  const years = parseYearsArg(values.years);
  if (values.scale === 'long') {
    const gradeLevels = values['grade-levels']?.split(',').map((s) => Number(s.trim()));
    const started = performance.now();
    const result = await writeLongExport(values.out, { seed, pupilsPerLevel: pupils, years, gradeLevels });
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `wrote ${values.out}: ${result.rows} rows, ${result.bytes} bytes (${(result.bytes / 1e6).toFixed(1)} MB), ` +
        `${result.schools} schools in ${result.areas} areas, ${seconds.toFixed(1)} s\n`,
    );
  } else if (values.scale === 'fairness') {
    const variant = values.variant;
    if (variant !== 'null' && variant !== 'ordinary') throw new Error(`--variant must be null or ordinary, got ${variant ?? '(none)'}`);
    const result = await writeFairnessExport(values.out, { variant, seed, years, schoolCount: parseIntArg('schools', values.schools) });
    process.stderr.write(`wrote ${values.out}: ${variant} municipality, ${result.rows} rows, ${result.bytes} bytes, ${result.schools} schools in ${result.areas} areas\n`);
  } else if (values.scale === 'demo') {
    const build = writeDemoExports(values.out, { seed, years, pupilsPerLevel: pupils });
    let total = 0;
    for (const [rel, bytes] of build.files) {
      total += bytes.length;
      process.stderr.write(`wrote ${join(values.out, rel)} (${bytes.length} bytes)\n`);
    }
    process.stderr.write(`demo data set: ${total} bytes, ${build.dirtyRows.length} planted dirty rows\n`);
  } else {
    throw new Error(`--scale must be demo, long or fairness, got ${values.scale ?? ''}`);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  if (import.meta.url === pathToFileURL(script).href) return true;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
