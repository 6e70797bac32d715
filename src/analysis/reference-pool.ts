/**
 * Pooling published reference figures (read by normalise/reference-table.ts): one value per
 * school year, årskurs, subject, gender and measure from the units selected, weighted by their
 * number of pupils. The rules are described in normalise/reference-table.ts's module comment.
 */
import { InputError } from '../errors.js';
import { GENDER_ORDER, PASS_SHARES, REFERENCE_METRICS, type PooledReference, type ReferenceMetric, type ReferenceStatus, type ReferenceSelection, type ReferenceTable, type ReferenceValue } from '../normalise/reference-table.js';
import { fold } from '../normalise/text.js';

function unitKey(value: ReferenceValue): string {
  return `${value.unit}\u0001${value.unit_code ?? ''}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function suggestions(values: readonly ReferenceValue[], wanted: string): string {
  const names = new Set<string>();
  for (const value of values) {
    names.add(value.unit);
    if (value.municipality !== null) names.add(value.municipality);
  }
  const sorted = [...names].sort((a, b) => a.localeCompare(b, 'sv'));
  const key = fold(wanted);
  const near = key === '' ? [] : sorted.filter((name) => fold(name).includes(key) || key.includes(fold(name)) || fold(name).startsWith(key.slice(0, 3)));
  const chosen = (near.length > 0 ? near : sorted).slice(0, 5);
  return chosen.map((name) => `"${name}"`).join(', ') + (names.size > chosen.length ? ', …' : '');
}

/** Pool selected rows into one reference value per (school_year, grade_level, subject, gender, metric). */
export function poolReference(table: ReferenceTable, selection: ReferenceSelection = {}): PooledReference[] {
  const all = table.values;
  let rows = all;

  const providerWanted = selection.provider?.trim() ?? '';
  let providerLabel: string | null = null;
  if (providerWanted !== '') {
    const key = fold(providerWanted);
    rows = rows.filter((value) => value.provider !== null && fold(value.provider) === key);
    if (rows.length === 0) {
      const known = [...new Set(all.flatMap((value) => (value.provider === null ? [] : [value.provider])))].sort();
      throw new InputError(
        `${table.file}: no rows with Typ av huvudman "${providerWanted}"${known.length > 0 ? ` (the file has ${known.map((name) => `"${name}"`).join(', ')})` : ' (the file has no Typ av huvudman column)'}`,
      );
    }
    if (key !== 'samtliga') providerLabel = rows[0]?.provider ?? providerWanted;
  } else if (all.some((value) => value.provider !== null && fold(value.provider) === 'samtliga')) {
    rows = rows.filter((value) => value.provider === null || fold(value.provider) === 'samtliga');
  }

  const unitWanted = selection.unit?.trim() ?? '';
  let label: string;
  const fields = (value: ReferenceValue): (string | null)[] => [value.unit, value.unit_code, value.municipality, value.municipality_code];
  const matcher = (wanted: string) => {
    const key = fold(wanted);
    return (value: ReferenceValue): boolean => fields(value).some((field) => field !== null && fold(field) === key);
  };
  // Several units ("similar municipalities"): a comma-separated list, unless the whole text is one unit's name.
  const list = unitWanted.includes(',') && !all.some(matcher(unitWanted)) ? unitWanted.split(',').map((part) => part.trim()).filter((part) => part !== '') : [];
  if (list.length > 1) {
    const tests = list.map((wanted) => ({ wanted, matches: matcher(wanted) }));
    for (const { wanted, matches } of tests) {
      if (!all.some(matches)) throw new InputError(`${table.file}: no unit "${wanted}" (a unit name or code, or a municipality name or code); the file has e.g. ${suggestions(all, wanted)}`);
    }
    rows = rows.filter((value) => tests.some(({ matches }) => matches(value)));
    if (rows.length === 0) throw new InputError(`${table.file}: units "${unitWanted}" have no rows with Typ av huvudman "${providerWanted}"`);
    const names = tests.map(({ wanted, matches }) => {
      const hit = rows.find(matches);
      if (!hit) return wanted;
      const key = fold(wanted);
      return hit.municipality !== null && (fold(hit.municipality) === key || (hit.municipality_code !== null && fold(hit.municipality_code) === key)) ? hit.municipality : hit.unit;
    });
    label = names.length <= 4 ? `${names.slice(0, -1).join(', ')} och ${names[names.length - 1]}` : `${names.length} enheter (${names.slice(0, 3).join(', ')} …)`;
  } else if (unitWanted !== '') {
    const key = fold(unitWanted);
    const matches = matcher(unitWanted);
    if (!all.some(matches)) {
      throw new InputError(`${table.file}: no unit "${unitWanted}" (a unit name or code, or a municipality name or code); the file has e.g. ${suggestions(all, unitWanted)}`);
    }
    rows = rows.filter(matches);
    if (rows.length === 0) throw new InputError(`${table.file}: unit "${unitWanted}" has no rows with Typ av huvudman "${providerWanted}"`);
    const units = new Set(rows.map(unitKey));
    const first = rows[0];
    const byUnit = rows.some((value) => fold(value.unit) === key || (value.unit_code !== null && fold(value.unit_code) === key));
    if (first === undefined || (units.size === 1 && (byUnit || first.unit_kind !== 'school'))) label = first?.unit ?? unitWanted;
    else {
      const byName = rows.find((value) => value.municipality !== null && fold(value.municipality) === key);
      const byCode = rows.find((value) => value.municipality_code !== null && fold(value.municipality_code) === key);
      const name = byName?.municipality ?? byCode?.municipality ?? byCode?.municipality_code ?? unitWanted;
      const schools = rows.every((value) => value.unit_kind === 'school');
      const word = schools ? (units.size === 1 ? 'skola' : 'skolor') : units.size === 1 ? 'enhet' : 'enheter';
      label = `${name} (${units.size} ${word})`;
    }
  } else {
    const nation = rows.filter((value) => value.unit_kind === 'nation');
    if (nation.length > 0) rows = nation;
    const units = new Set(rows.map(unitKey));
    label = units.size === 1 ? (rows[0]?.unit ?? '') : nation.length > 0 ? `${rows[0]?.unit ?? 'Riket'} (${units.size} enheter)` : `alla enheter i filen (${units.size})`;
  }
  if (providerLabel !== null) label = `${label}, ${providerLabel}`;

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
