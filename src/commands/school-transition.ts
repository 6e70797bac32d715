/**
 * The år 5 → 6 transition attributed the other way, for the school sheets (`report --school`,
 * `--per-school`): the board report counts each linked pupil at one side's school (the år 5
 * school by default, `--attribute-to`); a school's sheet also shows it as the other side's
 * school (receiving school, by default). Both are made from the same links, so together they are
 * a two-way table of pupils by år 5 school × år 6 school whose margins are published: the
 * report's rows (schools, areas, the total) on one side and the sheets' rows on the other. This
 * module decides which of the other side's rows can be shown so that nothing the report hides,
 * and no small group of pupils, can be worked out from the two together.
 *
 * A row of the other attribution shows no figures when
 * 1. the usual rules hide it (fewer than --min-group linked pupils; complementary hiding among
 *    the schools of a cohort and subject: only the schools and the total, which is the report's,
 *    are ever shown, so they are grouped without areas);
 * 2. its pupils are the report's row's pupils (nobody changed school) and the report hides that
 *    row;
 * 3. 1 … min-group − 1 pupils left the school, or 1 … min-group − 1 joined it, between the two
 *    sides (`moved`): the difference between its two rows would show those few pupils' results;
 * 4. with it shown, a group would be determined by the published rows (a linear combination of
 *    them): a cell of the two-way table (pupils from one school to another) with 1 … min-group − 1
 *    pupils, or a row the report or this attribution hides. Such rows are hidden one at a time,
 *    where hiding one undoes the disclosure, until nothing more is determined than by the report
 *    alone. (E.g. an år 5 school sends all its pupils to one år 6 school and three more arrive
 *    there from another school: the år 6 school's row minus the report's row of the first school
 *    would be those three pupils.)
 *
 * With --small-groups-only only rule 1's small groups apply, as everywhere.
 */
import { analyseTransition, type TransitionRecord, type TransitionResult } from '../analysis/transition.js';
import type { SuppressionMode } from '../analysis/suppression.js';
import type { ViewGroup } from '../render/school-doc.js';
import type { Dimension } from '../types.js';

/** Only the other attribution's school rows and its total (the report's total) are ever shown: no areas. */
const OTHER_BY: readonly Dimension[] = ['school_year', 'school', 'subject'];

const EPS = 1e-9;

/**
 * The span of a set of vectors, kept in reduced row echelon form, so that whether a vector is a
 * linear combination of them is one reduction.
 * @internal (also used by tests)
 */
export class Span {
  private readonly rows: { pivot: number; v: Float64Array }[] = [];
  constructor(private readonly size: number) {}

  private reduce(vector: Float64Array): Float64Array {
    const r = Float64Array.from(vector);
    for (const { pivot, v } of this.rows) {
      const f = r[pivot] ?? 0;
      if (Math.abs(f) > EPS) for (let k = 0; k < this.size; k++) r[k] = (r[k] ?? 0) - f * (v[k] ?? 0);
    }
    return r;
  }

  add(vector: Float64Array): void {
    const r = this.reduce(vector);
    let pivot = -1;
    for (let k = 0; k < this.size; k++) if (Math.abs(r[k] ?? 0) > EPS && (pivot < 0 || Math.abs(r[k] ?? 0) > Math.abs(r[pivot] ?? 0))) pivot = k;
    if (pivot < 0) return;
    const scale = r[pivot] ?? 1;
    for (let k = 0; k < this.size; k++) r[k] = (r[k] ?? 0) / scale;
    // Fully reduced: every other row has 0 in this row's pivot column.
    for (const row of this.rows) {
      const f = row.v[pivot] ?? 0;
      if (Math.abs(f) > EPS) for (let k = 0; k < this.size; k++) row.v[k] = (row.v[k] ?? 0) - f * (r[k] ?? 0);
    }
    this.rows.push({ pivot, v: r });
  }

  contains(vector: Float64Array): boolean {
    return this.reduce(vector).every((x) => Math.abs(x) <= EPS);
  }
}

interface Cell {
  /** The report's side: area and school. */
  area: string;
  school: string;
  /** The other side's school. */
  other: string;
  n: number;
}

function stratumOf(key: { school_year?: unknown; subject?: unknown }): string {
  return `${String(key.school_year)}\u0001${String(key.subject)}`;
}

function vectorOf(cells: readonly Cell[], pick: (cell: Cell) => boolean): Float64Array {
  return Float64Array.from(cells, (cell) => (pick(cell) ? 1 : 0));
}

function spanOf(size: number, vectors: readonly Float64Array[]): Span {
  const span = new Span(size);
  for (const vector of vectors) span.add(vector);
  return span;
}

/**
 * The school rows of the transition attributed the other way (`other`: the same links as
 * `primary`, whose analysis is `primaryResult`, the board report's), protected as the module
 * says.
 */
export function otherAttribution(
  primary: readonly TransitionRecord[],
  other: readonly TransitionRecord[],
  primaryResult: TransitionResult,
  settings: { minGroup: number; alpha: number; suppression: SuppressionMode },
): ViewGroup[] {
  if (primary.length !== other.length || primary.some((record, i) => record.pupil !== other[i]?.pupil || record.subject !== other[i]?.subject || record.school_year !== other[i]?.school_year)) {
    throw new Error('the two attributions of the transition do not hold the same links');
  }
  const { minGroup, alpha, suppression } = settings;
  const result = analyseTransition(other, { by: OTHER_BY, minGroup, alpha, suppression });
  const rows = result.groups.filter((g) => g.level === 'school');
  const hidden = new Map<ViewGroup, ViewGroup['suppressed']>();
  for (const row of rows) if (row.suppressed) hidden.set(row, row.suppressed);
  if (suppression !== 'small_groups_only') {
    // The two-way table of linked pupils, per cohort and subject.
    const cellsOf = new Map<string, Map<string, Cell>>();
    primary.forEach((record, i) => {
      const mate = other[i];
      if (record.status !== 'linked' || !mate) return;
      const stratum = stratumOf(record);
      let cells = cellsOf.get(stratum);
      if (!cells) cellsOf.set(stratum, (cells = new Map()));
      const id = `${record.area}\u0001${record.school}\u0001${mate.school}`;
      const cell = cells.get(id);
      if (cell) cell.n++;
      else cells.set(id, { area: record.area, school: record.school, other: mate.school, n: 1 });
    });
    for (const [stratum, byId] of cellsOf) {
      const cells = [...byId.values()];
      const own = rows.filter((row) => stratumOf(row.key) === stratum);
      protectStratum(
        cells,
        own,
        primaryResult.groups.filter((g) => stratumOf(g.key) === stratum),
        minGroup,
        hidden,
      );
    }
  }
  return rows.map((row) => {
    const reason = hidden.get(row) ?? null;
    return { key: row.key, n: row.n, suppressed: reason, figures: reason === null ? row.figures : null };
  });
}

/** Rules 2–4 for one cohort and subject; `hidden` gets the rows hidden, with their reasons. */
function protectStratum(cells: readonly Cell[], rows: readonly ViewGroup[], reported: TransitionResult['groups'], minGroup: number, hidden: Map<ViewGroup, ViewGroup['suppressed']>): void {
  const size = cells.length;
  if (size === 0) return;
  const rowVector = (row: ViewGroup) => vectorOf(cells, (cell) => cell.other === row.key.school);
  // The report's rows as vectors: shown ones are published equations, hidden ones must stay unknown.
  const published: Float64Array[] = [];
  const protectedRows: Float64Array[] = [];
  for (const group of reported) {
    if (group.n <= 0) continue;
    const vector =
      group.level === 'total'
        ? vectorOf(cells, () => true)
        : group.level === 'area'
          ? vectorOf(cells, (cell) => cell.area === group.key.area)
          : vectorOf(cells, (cell) => cell.area === group.key.area && cell.school === group.key.school);
    (group.figures ? published : protectedRows).push(vector);
  }
  // Rules 2 and 3: compared with the report's row of the same school.
  for (const row of rows) {
    if (hidden.has(row)) continue;
    const school = row.key.school;
    const left = cells.filter((cell) => cell.school === school && cell.other !== school).reduce((sum, cell) => sum + cell.n, 0);
    const joined = cells.filter((cell) => cell.other === school && cell.school !== school).reduce((sum, cell) => sum + cell.n, 0);
    const reportRows = reported.filter((g) => g.level === 'school' && g.key.school === school);
    if (left + joined === 0) {
      if (!(reportRows.length === 1 && reportRows[0]?.figures)) hidden.set(row, 'complementary');
    } else if ((left > 0 && left < minGroup) || (joined > 0 && joined < minGroup)) {
      hidden.set(row, 'moved');
    }
  }
  // Rule 4: what the report alone determines is the report's; what these rows add must not be a protected group.
  const smallCells = cells.filter((cell) => cell.n < minGroup).map((cell) => vectorOf(cells, (c) => c === cell));
  const targets = () => [...smallCells, ...protectedRows, ...rows.filter((row) => hidden.has(row) && row.n > 0).map(rowVector)];
  const alone = spanOf(size, published);
  const disclosed = (shown: readonly ViewGroup[]): Float64Array[] => {
    const span = spanOf(size, [...published, ...shown.map(rowVector)]);
    return targets().filter((target) => !alone.contains(target) && span.contains(target));
  };
  for (;;) {
    const shown = rows.filter((row) => !hidden.has(row));
    const found = disclosed(shown);
    const target = found[0];
    if (target === undefined || shown.length === 0) return;
    // Try first the rows that hold the most of the disclosed group, then the smallest.
    const overlap = (row: ViewGroup) => rowVector(row).reduce((sum, x, k) => sum + x * (target[k] ?? 0), 0);
    const candidates = [...shown].sort((a, b) => overlap(b) - overlap(a) || a.n - b.n || String(a.key.school).localeCompare(String(b.key.school), 'sv'));
    // (At most 20 tried: enough in any municipality's table, and bounded in a big city's.)
    const undoes = candidates.slice(0, 20).find((candidate) => {
      const rest = shown.filter((row) => row !== candidate);
      return !spanOf(size, [...published, ...rest.map(rowVector)]).contains(target);
    });
    const chosen = undoes ?? candidates[0];
    if (chosen === undefined) return;
    hidden.set(chosen, 'complementary');
  }
}
