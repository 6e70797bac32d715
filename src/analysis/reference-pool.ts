/**
 * Pooling published reference figures (read by normalise/reference-table.ts): one value per
 * school year, årskurs, subject, gender and measure from the units selected, weighted by their
 * number of pupils. The rules are described in normalise/reference-table.ts's module comment;
 * which rows (--reference-unit, --reference-provider) in reference-select.ts.
 */
import { GENDER_ORDER, PASS_SHARES, REFERENCE_METRICS, type PooledReference, type ReferenceMetric, type ReferenceStatus, type ReferenceSelection, type ReferenceTable, type ReferenceValue } from '../normalise/reference-table.js';
import { compareText } from './groups.js';
import { selectReference, type SelectedReference } from './reference-select.js';

/**
 * Select (selectReference) and pool in one step: one reference value per (school_year,
 * grade_level, subject, gender, metric).
 * @internal (also used by tests; readReferences selects and pools apart, to keep the selection's notes)
 */
export function poolReference(table: ReferenceTable, selection: ReferenceSelection = {}): PooledReference[] {
  return poolSelected(selectReference(table, selection));
}

/** Pool the rows selectReference picked, under its label. */
export function poolSelected(selected: SelectedReference): PooledReference[] {
  const { rows, label } = selected;
  const groups = new Map<string, ReferenceValue[]>();
  for (const value of rows) {
    const key = [value.school_year, value.grade_level, value.subject ?? '', value.gender, value.metric].join('\u0001');
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }

  const pooled: PooledReference[] = [];
  for (const group of groups.values()) {
    const head = group[0];
    if (head === undefined) continue;
    const base = { school_year: head.school_year, grade_level: head.grade_level, subject: head.subject, gender: head.gender, metric: head.metric, label };
    if (group.length === 1) {
      const ok = head.status === 'ok' && head.value !== null;
      pooled.push({
        ...base,
        value: ok ? head.value : null,
        status: ok ? 'ok' : head.status === 'ok' ? 'missing' : head.status,
        raw: ok ? null : head.raw,
        n: head.n,
        units: ok ? 1 : 0,
        excluded_units: ok ? 0 : 1,
        rounded_units: 0,
      });
      continue;
    }
    // `~100` says 1–4 of the unit's n pupils are below E: its share lies in [(n − 4)/n, (n − 1)/n].
    // Leaving such units out would pull a pooled share down (they are the best ones), so with n
    // known they are pooled at the middle, (n − 2,5)/n (an error of at most 1,5/n each), and counted.
    const roundedShare = (value: ReferenceValue): number | null =>
      value.status === 'rounded' &&
      PASS_SHARES.has(value.metric) && /^~\s*100$/.test(value.raw.trim()) && value.n !== null && value.n >= 5 ? (value.n - 2.5) / value.n : null;
    const usable = group.filter((value) => (value.status === 'ok' && value.value !== null && value.n !== null && value.n > 0) || roundedShare(value) !== null);
    if (usable.length > 0) {
      let weight = 0;
      let sum = 0;
      let rounded = 0;
      for (const value of usable) {
        const share = value.status === 'ok' ? (value.value ?? 0) : (roundedShare(value) ?? 0);
        if (value.status !== 'ok') rounded++;
        weight += value.n ?? 0;
        sum += (value.n ?? 0) * share;
      }
      pooled.push({ ...base, value: sum / weight, status: 'ok', raw: null, n: weight, units: usable.length, excluded_units: group.length - usable.length, rounded_units: rounded });
      continue;
    }
    const status: ReferenceStatus = group.every((value) => value.status === 'too_few')
      ? 'too_few'
      : group.every((value) => value.status === 'rounded')
        ? 'rounded'
        : 'missing';
    pooled.push({ ...base, value: null, status, raw: status === 'rounded' ? (head.raw ?? '~100') : null, n: null, units: 0, excluded_units: group.length, rounded_units: 0 });
  }

  const metricRank = (metric: ReferenceMetric): number => REFERENCE_METRICS.indexOf(metric);
  return pooled.sort(
    (a, b) =>
      compareText(a.school_year, b.school_year) ||
      a.grade_level - b.grade_level ||
      compareText(a.subject ?? '', b.subject ?? '') ||
      GENDER_ORDER.indexOf(a.gender) - GENDER_ORDER.indexOf(b.gender) ||
      metricRank(a.metric) - metricRank(b.metric),
  );
}
