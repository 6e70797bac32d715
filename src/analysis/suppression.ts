/**
 * Privacy: which groups show no figures.
 *
 * - Primary: a group with fewer than `minGroup` pupils (`small_group`).
 * - Complementary (`complementary`): where a shown total and its shown parts would let a reader
 *   work out a hidden group by subtraction, one more part is hidden:
 *   (a) a shown group with exactly one hidden part (of one breakdown, e.g. its schools, or its
 *       girls/boys): the smallest shown part is hidden too;
 *   (b) a hidden group all of whose parts are shown (the parts would add up to it): the
 *       smallest part is hidden;
 *   (c) a shown group with a single part (only boys in a class, one school in an area) whose
 *       part is hidden: the group is the same pupils, so it is hidden too.
 *   Repeated until nothing changes. Skolverket does the same for girls/boys ("if one is
 *   suppressed, both are").
 * - A group with no pupils in the measure (n = 0, e.g. a 6–9 school in the år 5 → 6 transition:
 *   it has år 6 results but no år 5 pupils) is never hidden and is no part in (a), (b) or (c):
 *   it adds nothing to any total, so there is nothing to protect in it and nothing it could help
 *   work out. Counting it as a hidden part would both hide large groups for nothing (a shown
 *   area with one zero school hid its smallest real school) and let a real hidden group through
 *   (an area with a zero school and a small school counted two hidden parts, so the area minus its
 *   shown schools gave the small school). The analyses leave such groups out of their rows.
 * - With background dimensions (each crossed with gender and with each other, so a stratum is a
 *   table of three or more ways), the rules above are not enough: a hidden group can be the sum
 *   and difference of shown groups across several breakdowns at once (a school's newly arrived
 *   pupils from its total, its area's newly arrived and its girls and boys, together with the
 *   groups that have no pupils, whose absence from the report shows they are empty). So then
 *   every stratum is also checked exactly (`derivable`): a hidden group's pupils are a sum of the
 *   finest groups' (every dimension given); it can be worked out when its row of leaves is a
 *   linear combination of the shown groups' rows. While one can, the smallest shown group that
 *   shares pupils with it and whose hiding stops that is hidden too (`complementary`), and the
 *   rules run again. The A–F × A–F counts add up as the pupils do, so what holds for the number of
 *   pupils holds for every figure made of counts.
 * - `small_groups_only` (the `--small-groups-only` option, for staff who already hold the pupil
 *   data): only the primary rule; no complementary hiding. Never for publication.
 */
import type { Dimension } from '../types.js';
import { compareText, groupKeysOf, keyString, parentKeys, type GroupKey, type GroupPlan, type KeyValue } from './groups.js';

export type SuppressionReason = 'small_group' | 'complementary';

/** `full`: small groups and complementary hiding (the default); `small_groups_only`: internal use. */
export type SuppressionMode = 'full' | 'small_groups_only';

export interface SuppressionInput {
  id: string;
  key: GroupKey;
  n: number;
}

export function applySuppression(
  plan: GroupPlan,
  groups: readonly SuppressionInput[],
  minGroup: number,
  mode: SuppressionMode = 'full',
): Map<string, SuppressionReason> {
  // Zero-pupil groups take no part: never hidden, never a part or a total of a family (a total of
  // zero has only zero parts, since a total's pupils are its parts' pupils).
  const counted = groups.filter((group) => group.n > 0);
  const hidden = new Map<string, SuppressionReason>();
  for (const group of counted) if (group.n < minGroup) hidden.set(group.id, 'small_group');
  if (mode === 'small_groups_only') return hidden;

  // parent id + breakdown → its parts
  const parts = new Map<string, SuppressionInput[]>();
  const ids = new Set(counted.map((group) => group.id));
  for (const group of counted) {
    for (const { parent, via } of parentKeys(plan, group.key)) {
      const parentId = keyString(plan, parent);
      if (!ids.has(parentId)) continue;
      const slot = `${parentId}\u0002${via satisfies Dimension}`;
      let list = parts.get(slot);
      if (!list) parts.set(slot, (list = []));
      list.push(group);
    }
  }
  const families = [...parts.entries()]
    .map(([slot, members]) => ({
      parentId: slot.slice(0, slot.lastIndexOf('\u0002')),
      // Smallest first; ties by id so the choice is deterministic.
      members: [...members].sort((a, b) => a.n - b.n || compareText(a.id, b.id)),
    }))
    .sort((a, b) => compareText(a.parentId, b.parentId));

  const applyRules = (): void => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const { parentId, members } of families) {
        const parentHidden = hidden.has(parentId);
        const hiddenCount = members.filter((member) => hidden.has(member.id)).length;
        if (!parentHidden && members.length === 1 && hiddenCount === 1) {
          // (c) The only part of a total is the total: hiding the part means hiding the total.
          hidden.set(parentId, 'complementary');
          changed = true;
          continue;
        }
        const needsMore = parentHidden ? hiddenCount === 0 : hiddenCount === 1 && members.length > 1;
        if (!needsMore) continue;
        const next = members.find((member) => !hidden.has(member.id));
        if (next) {
          hidden.set(next.id, 'complementary');
          changed = true;
        }
      }
    }
  };
  applyRules();
  if (plan.background.length > 0) while (auditStrata(plan, counted, hidden)) applyRules();
  return hidden;
}

/** Below this, a coefficient left after elimination is taken for 0 (rows are 0/1, pivots 1). */
const EPSILON = 1e-9;

/** Row-echelon basis of 0/1 rows over the leaves, built one row at a time (Gaussian elimination). */
class Basis {
  private readonly pivots: (Float64Array | null)[];
  constructor(private readonly width: number) {
    this.pivots = new Array<Float64Array | null>(width).fill(null);
  }
  /** `row` reduced by the pivots: all zero when it is a combination of the rows added. */
  private reduce(leaves: readonly number[]): Float64Array {
    const v = new Float64Array(this.width);
    for (const leaf of leaves) v[leaf] = 1;
    for (let col = 0; col < this.width; col++) {
      const x = v[col] ?? 0;
      if (Math.abs(x) <= EPSILON) continue;
      const pivot = this.pivots[col];
      if (!pivot) continue;
      for (let j = col; j < this.width; j++) v[j]! -= x * (pivot[j] ?? 0);
    }
    return v;
  }
  /** True when the row was not a combination of those added before (the basis grew). */
  add(leaves: readonly number[]): boolean {
    const v = this.reduce(leaves);
    for (let col = 0; col < this.width; col++) {
      const x = v[col] ?? 0;
      if (Math.abs(x) <= EPSILON) continue;
      for (let j = col; j < this.width; j++) v[j]! /= x;
      this.pivots[col] = v;
      return true;
    }
    return false;
  }
  spans(leaves: readonly number[]): boolean {
    return this.reduce(leaves).every((x) => Math.abs(x) <= EPSILON);
  }
}

/**
 * The rows (by index) a combination of which gives `target`, in one way of writing it; null when
 * none gives it. Gaussian elimination over the leaves on the rows that are not combinations of
 * earlier ones (at most one per leaf, so the work stays that of the check itself), each carrying
 * which rows it is made of.
 */
function combinationOf(width: number, all: readonly (readonly number[])[], target: readonly number[]): number[] | null {
  const independent = new Basis(width);
  const kept = all.flatMap((row, index) => (independent.add(row) ? [index] : []));
  const rows = kept.map((index) => all[index] as readonly number[]);
  const size = width + rows.length;
  const pivots = new Array<Float64Array | null>(width).fill(null);
  const reduce = (v: Float64Array): void => {
    for (let col = 0; col < width; col++) {
      const x = v[col] ?? 0;
      const pivot = pivots[col];
      if (Math.abs(x) <= EPSILON || !pivot) continue;
      for (let j = col; j < size; j++) v[j]! -= x * (pivot[j] ?? 0);
    }
  };
  rows.forEach((row, index) => {
    const v = new Float64Array(size);
    for (const leaf of row) v[leaf] = 1;
    v[width + index] = 1;
    reduce(v);
    for (let col = 0; col < width; col++) {
      const x = v[col] ?? 0;
      if (Math.abs(x) <= EPSILON) continue;
      for (let j = col; j < size; j++) v[j]! /= x;
      pivots[col] = v;
      return;
    }
  });
  const t = new Float64Array(size);
  for (const leaf of target) t[leaf] = 1;
  reduce(t);
  for (let col = 0; col < width; col++) if (Math.abs(t[col] ?? 0) > EPSILON) return null;
  // t = target − Σ coefficient × row: the rows with a coefficient are those it is made of.
  return kept.filter((_, index) => Math.abs(t[width + index] ?? 0) > EPSILON);
}

/**
 * The exact check with background dimensions: per stratum, while a hidden group's pupils can be
 * worked out from the shown groups' (its row of leaves a combination of theirs), hide one more
 * shown group (see the module comment). True when it hid any.
 */
function auditStrata(plan: GroupPlan, counted: readonly SuppressionInput[], hidden: Map<string, SuppressionReason>): boolean {
  const crossed: Dimension[] = plan.by.filter((dim) => !plan.strata.includes(dim));
  const strata = new Map<string, SuppressionInput[]>();
  for (const group of counted) {
    const id = JSON.stringify(plan.strata.map((dim) => group.key[dim] ?? null));
    let list = strata.get(id);
    if (!list) strata.set(id, (list = []));
    list.push(group);
  }
  const byId = (a: SuppressionInput, b: SuppressionInput) => compareText(a.id, b.id);
  let changed = false;
  for (const id of [...strata.keys()].sort()) {
    const members = (strata.get(id) ?? []).sort(byId);
    if (!members.some((group) => hidden.has(group.id))) continue;
    // The finest groups are the unknowns; every group is the sum of those inside it.
    const leaves = members.filter((group) => crossed.every((dim) => group.key[dim] !== null && group.key[dim] !== undefined));
    const rows = new Map<string, number[]>();
    leaves.forEach((leaf, index) => {
      for (const key of groupKeysOf(plan, leaf.key as Readonly<Record<Dimension, KeyValue>>)) {
        const groupId = keyString(plan, key);
        const list = rows.get(groupId);
        if (list) list.push(index);
        else rows.set(groupId, [index]);
      }
    });
    const rowOf = (group: SuppressionInput) => rows.get(group.id) ?? [];
    const spanned = (shown: readonly SuppressionInput[], target: SuppressionInput) => {
      const basis = new Basis(leaves.length);
      for (const group of shown) basis.add(rowOf(group));
      return basis.spans(rowOf(target));
    };
    for (;;) {
      const shown = members.filter((group) => !hidden.has(group.id));
      const basis = new Basis(leaves.length);
      for (const group of shown) basis.add(rowOf(group));
      const exposed = members.find((group) => hidden.has(group.id) && basis.spans(rowOf(group)));
      if (!exposed) break;
      // The shown groups it is worked out from (in one way of doing so): hide the most detailed, then
      // the smallest, of them whose hiding stops that derivation, else the first of them (the next
      // round goes on). Most detailed first, so that totals stay shown wherever a finer group can be
      // hidden instead; the stratum's total (all levels and crossed dimensions totalled) last of all.
      const detail = (group: SuppressionInput) => crossed.filter((dim) => group.key[dim] !== null && group.key[dim] !== undefined).length;
      const depth = (group: SuppressionInput) => plan.levels.filter((dim) => group.key[dim] !== null && group.key[dim] !== undefined).length;
      const used = (combinationOf(leaves.length, shown.map(rowOf), rowOf(exposed)) ?? []).map((index) => shown[index] as SuppressionInput);
      const isTotal = (group: SuppressionInput) => detail(group) === 0 && depth(group) === 0;
      const candidates = used.filter((group) => !isTotal(group)).sort((a, b) => detail(b) - detail(a) || depth(b) - depth(a) || a.n - b.n || byId(a, b));
      const choice = candidates.slice(0, 32).find((candidate) => !spanned(shown.filter((group) => group !== candidate), exposed)) ?? candidates[0] ?? used[0];
      if (!choice) break;
      hidden.set(choice.id, 'complementary');
      changed = true;
    }
  }
  return changed;
}
