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
 * - `small_groups_only` (the `--small-groups-only` option, for staff who already hold the pupil
 *   data): only the primary rule; no complementary hiding. Never for publication.
 */
import type { Dimension } from '../types.js';
import { keyString, parentKeys, type GroupKey, type GroupPlan } from './groups.js';

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
      members: [...members].sort((a, b) => a.n - b.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    }))
    .sort((a, b) => (a.parentId < b.parentId ? -1 : a.parentId > b.parentId ? 1 : 0));

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
  return hidden;
}
