/**
 * National spread: how much Swedish schools differ in how their teachers' final grades relate to
 * the national test grades, beyond what binomial noise alone gives (issue 14, "fair flags").
 *
 * Reads Skolverket's school-level table "Relationen mellan nationella prov och slutbetyg årskurs 9"
 * (fixtures/skolverket/relation-ak9-2024-skolniva-full.csv, läsår 2023/24, 1,502 schools; see
 * fixtures/skolverket/ORIGIN.md) and estimates, per subject, the between-school SD τ of
 *
 * - the share higher (andel elever med högre slutbetyg jämfört med provbetyget), and
 * - the net gap (share higher − share lower),
 *
 * by the DerSimonian–Laird moment estimator with binomial (multinomial) within-school variances
 * from the pooled rates: w_i = n_i / v̄, v̄ = p̄(1 − p̄) for the share higher and
 * v̄ = (h̄ + l̄) − (h̄ − l̄)² for the net gap (a pupil's difference is +1, 0 or −1),
 * Q = Σ w_i (x_i − x̄_w)², τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)); and, as a check, by the
 * plain method of moments: τ² = var(x_i) − mean(v̄ / n_i).
 * "Within municipality" does the same around each municipality's own mean (families of schools
 * in one municipality, as the tool compares them), pooled: τ² = (ΣQ_m − Σ(k_m − 1)) / Σ c_m.
 *
 * Units whose count or share is `..` (too few) or `.` (missing) are left out, except that a `.`
 * share next to a pupil count whose two sibling shares add up to 100 is 0 (see ORIGIN.md).
 * Shares are rounded to 0.1 % in the file: negligible here.
 *
 * Result (2024 file, `node build/scripts/national-spread.js`), τ in percentage points:
 *
 *   subject                  schools  pupils  share higher  τ DL  τ MoM  τ within  net gap  τ DL  τ MoM  τ within
 *   Svenska                    1423   93619       31.4    12.3   13.1     12.2      25.6   14.3   15.3     14.2
 *   Matematik                  1489  106681       24.0    12.9   13.7     12.4      21.1   14.2   15.0     13.7
 *   Engelska                   1494  107752       10.5     7.1    7.7      7.1      -3.2   13.3   13.9     13.2
 *   Svenska som andraspråk      314    8982       33.1    15.7   15.4     15.8      27.6   19.1   19.0     18.9
 *
 * That is the review's ~13–14 pp for the share higher (8 pp in Engelska) and ~15 pp for the net
 * gap (the method of moments gives those figures; DerSimonian–Laird, which weights big schools
 * more, about 0.5–1 pp less). Around each municipality's own mean the spread is hardly smaller
 * (≤ 0.5 pp): schools differ within municipalities about as much as across the country.
 * Every school with a pupil count is used (a `.` share beside a count is 0 %); 79 / 13 / 8 / 1,188
 * schools have no count (`.`) in SV / MA / EN / SVA.
 *
 * Usage: node build/scripts/national-spread.js [FILE]   (npm run build:scripts first)
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The full 2024 file; the script runs from scripts/ (vitest) or build/scripts/ (built). */
export const DEFAULT_RELATION_FILE = fileURLToPath(
  new URL(`${import.meta.url.includes('/build/scripts/') ? '../../' : '../'}fixtures/skolverket/relation-ak9-2024-skolniva-full.csv`, import.meta.url),
);

export const RELATION_SUBJECTS = ['Svenska', 'Matematik', 'Engelska', 'Svenska som andraspråk'] as const;
export type RelationSubject = (typeof RELATION_SUBJECTS)[number];

/** One school's figures in one subject: pupils with both grades, shares (fractions) lower / higher. */
export interface RelationUnit {
  school: string;
  municipality: string;
  n: number;
  lower: number;
  higher: number;
}

/** A unit's value x with its pupil count n; `group` is its family (municipality) for the within estimate. */
export interface SpreadUnit {
  n: number;
  x: number;
  group?: string;
}

export interface Spread {
  k: number;
  pupils: number;
  /** Pupil-weighted mean of x. */
  mean: number;
  /** Within-unit variance of one pupil's value, from the pooled rates. */
  withinVariance: number;
  /** DerSimonian–Laird between-unit SD. */
  tauDL: number;
  /** Method-of-moments between-unit SD: var(x) − mean(v/n). */
  tauMoM: number;
  /** DerSimonian–Laird around each group's own mean, pooled over groups (NaN without groups). */
  tauWithin: number;
  /** Cochran's Q (around the overall mean). */
  q: number;
}

/**
 * Between-unit spread of x beyond sampling noise, given the within-unit variance of one pupil's
 * value (the same for every unit: the pooled one, as a funnel plot assumes).
 */
export function betweenSpread(units: readonly SpreadUnit[], withinVariance: number): Spread {
  const k = units.length;
  let pupils = 0;
  let sum = 0;
  for (const u of units) {
    pupils += u.n;
    sum += u.n * u.x;
  }
  const mean = pupils > 0 ? sum / pupils : NaN;
  const dl = (members: readonly SpreadUnit[]): { q: number; df: number; c: number } => {
    let sw = 0;
    let sw2 = 0;
    let swx = 0;
    for (const u of members) {
      const w = u.n / withinVariance;
      sw += w;
      sw2 += w * w;
      swx += w * u.x;
    }
    const m = swx / sw;
    let q = 0;
    for (const u of members) q += (u.n / withinVariance) * (u.x - m) ** 2;
    return { q, df: members.length - 1, c: sw - sw2 / sw };
  };
  const all = k > 1 ? dl(units) : { q: NaN, df: 0, c: NaN };
  const tauDL = Math.sqrt(Math.max(0, (all.q - all.df) / all.c));
  let xm = 0;
  for (const u of units) xm += u.x;
  xm /= k;
  let varX = 0;
  let noise = 0;
  for (const u of units) {
    varX += (u.x - xm) ** 2;
    noise += withinVariance / u.n;
  }
  varX /= k - 1;
  noise /= k;
  const tauMoM = Math.sqrt(Math.max(0, varX - noise));
  const groups = new Map<string, SpreadUnit[]>();
  for (const u of units) {
    if (u.group === undefined) continue;
    let list = groups.get(u.group);
    if (!list) groups.set(u.group, (list = []));
    list.push(u);
  }
  let q = 0;
  let df = 0;
  let c = 0;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const g = dl(members);
    q += g.q;
    df += g.df;
    c += g.c;
  }
  const tauWithin = c > 0 ? Math.sqrt(Math.max(0, (q - df) / c)) : NaN;
  return { k, pupils, mean, withinVariance, tauDL, tauMoM, tauWithin, q: all.q };
}

/** Spread of the share higher: x = share higher, within variance p̄(1 − p̄). */
export function shareHigherSpread(units: readonly { n: number; higher: number; group?: string }[]): Spread {
  const pupils = units.reduce((s, u) => s + u.n, 0);
  const p = units.reduce((s, u) => s + u.n * u.higher, 0) / pupils;
  return betweenSpread(units.map((u) => ({ n: u.n, x: u.higher, group: u.group })), p * (1 - p));
}

/** Spread of the net gap: x = share higher − share lower, within variance (h̄ + l̄) − (h̄ − l̄)². */
export function netGapSpread(units: readonly { n: number; higher: number; lower: number; group?: string }[]): Spread {
  const pupils = units.reduce((s, u) => s + u.n, 0);
  const h = units.reduce((s, u) => s + u.n * u.higher, 0) / pupils;
  const l = units.reduce((s, u) => s + u.n * u.lower, 0) / pupils;
  return betweenSpread(units.map((u) => ({ n: u.n, x: u.higher - u.lower, group: u.group })), h + l - (h - l) ** 2);
}

const normaliseHeader = (s: string): string => s.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

function number(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const t = raw.trim().replace(/\s/g, '').replace(',', '.');
  if (t === '' || t === '.' || t === '..' || t.startsWith('~')) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * The per-subject units of a relation file. Columns are found by header text; rows are the lines
 * after the header with as many fields as the header and a number in the Skol-enhetskod column.
 */
export function parseRelation(text: string): Map<RelationSubject, RelationUnit[]> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.startsWith('Skola;'));
  if (headerAt < 0) throw new Error('no header line starting "Skola;"');
  const header = (lines[headerAt] ?? '').split(';').map(normaliseHeader);
  const col = (name: string): number => {
    const i = header.indexOf(normaliseHeader(name));
    if (i < 0) throw new Error(`no column "${name}"`);
    return i;
  };
  const schoolCol = col('Skola');
  const codeCol = col('Skol-enhetskod');
  const municipalityCol = col('Kommun-kod');
  const out = new Map<RelationSubject, RelationUnit[]>();
  for (const subject of RELATION_SUBJECTS) {
    const nCol = col(`${subject}, antal elever med provbetyg och slutbetyg`);
    const lowerCol = col(`${subject}, andel (%) elever med lägre slutbetyg jämfört med provbetyget`);
    const sameCol = col(`${subject}, andel (%) elever med lika slutbetyg jämfört med provbetyget`);
    const higherCol = col(`${subject}, andel (%) elever med högre slutbetyg jämfört med provbetyget`);
    const units: RelationUnit[] = [];
    for (const line of lines.slice(headerAt + 1)) {
      const f = line.split(';');
      if (f.length !== header.length || !/^\d+$/.test((f[codeCol] ?? '').trim())) continue;
      const n = number(f[nCol]);
      if (n === null || n <= 0) continue;
      const shares = [number(f[lowerCol]), number(f[sameCol]), number(f[higherCol])];
      const raw = [f[lowerCol], f[sameCol], f[higherCol]].map((s) => (s ?? '').trim());
      if (raw.some((s) => s === '..' || s.startsWith('~'))) continue;
      // A `.` share next to a pupil count is 0 when the other two add up to 100.
      const known = shares.reduce<number>((s, v) => s + (v ?? 0), 0);
      if (shares.some((v) => v === null) && Math.abs(known - 100) > 0.3) continue;
      const [lower, , higher] = shares.map((v) => (v ?? 0) / 100) as [number, number, number];
      units.push({ school: (f[schoolCol] ?? '').trim(), municipality: (f[municipalityCol] ?? '').trim(), n, lower, higher });
    }
    out.set(subject, units);
  }
  return out;
}

export interface SubjectSpread {
  subject: RelationSubject;
  higher: Spread;
  net: Spread;
}

export function nationalSpread(text: string): SubjectSpread[] {
  const bySubject = parseRelation(text);
  return RELATION_SUBJECTS.map((subject) => {
    const units = (bySubject.get(subject) ?? []).map((u) => ({ ...u, group: u.municipality }));
    return { subject, higher: shareHigherSpread(units), net: netGapSpread(units) };
  });
}

export function renderSpread(rows: readonly SubjectSpread[]): string {
  const pp = (x: number): string => (100 * x).toFixed(1).padStart(6);
  const out = [
    'τ = between-school SD beyond binomial noise, percentage points (DL = DerSimonian–Laird, MoM = method of moments,',
    'within = around each municipality\'s own mean)',
    '',
    'subject                  schools  pupils  share higher  τ DL  τ MoM  τ within  net gap  τ DL  τ MoM  τ within',
  ];
  for (const r of rows) {
    out.push(
      `${r.subject.padEnd(24)} ${String(r.higher.k).padStart(6)} ${String(r.higher.pupils).padStart(7)}     ${pp(r.higher.mean)}  ` +
        `${pp(r.higher.tauDL)} ${pp(r.higher.tauMoM)}   ${pp(r.higher.tauWithin)}    ${pp(r.net.mean)} ${pp(r.net.tauDL)} ${pp(r.net.tauMoM)}   ${pp(r.net.tauWithin)}`,
    );
  }
  return out.join('\n') + '\n';
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return import.meta.url === pathToFileURL(script).href;
  }
}

if (isEntryPoint()) {
  const file = process.argv[2] ?? DEFAULT_RELATION_FILE;
  process.stdout.write(renderSpread(nationalSpread(readFileSync(file, 'utf8'))));
}
