/**
 * Which published units a `--reference-unit` names (the rows poolReference pools), and what the
 * pooled reference is called.
 *
 * - Nothing given, or `Riket` (`Hela riket`, `Sverige`): the nation's rows when the file has
 *   them. Skolverket's municipality and school files have none: then every unit of the file is
 *   pooled. That is the nation only when the file covers the whole country, which the reader
 *   takes to be when its units lie in all of Sweden's 290 municipalities (Skolverket's full
 *   kommun and skolnivå files do; the excerpts in fixtures/skolverket cover 9–12). Such a pool is
 *   labelled "Riket (alla 1502 skolor i filen)" and a note says how it was computed. Otherwise
 *   it is labelled "alla enheter i filen (70)", never Riket, and when Riket was asked for a note
 *   says why (the file looks like an excerpt).
 * - A name or code: the rows whose unit name, unit code, municipality name or municipality code
 *   it is (case-, space- and diacritic-insensitive; codes also without their leading zeros, as
 *   Excel writes them). A municipality pools its units. A school name that several schools carry
 *   (25 names in the 2024/25 school file, "Stureskolan" in Arboga and Boden) is refused with the
 *   candidates, their municipality, code and line: a silent pool of two unrelated schools would
 *   be a wrong reference.
 * - "Name, Municipality" (or a municipality code) picks the school of that name in that
 *   municipality ("Stureskolan, Arboga"). Any other comma-separated list pools the units named
 *   ("Ale, Alingsås, 0180"); a pair is read as a qualifier only when the first part is a unit
 *   name (not a municipality) that the second part's municipality has.
 */
import { InputError, UsageError } from '../errors.js';
import { countText, MESSAGES, unitWord, type Message, type UnitKind } from '../messages.js';
import { isNationName, type ReferenceSelection, type ReferenceTable, type ReferenceValue } from '../normalise/reference-table.js';
import { fold } from '../normalise/text.js';

/**
 * Sweden's municipalities (290 since 2003): a file whose units lie in all of them covers the country.
 * @internal (also used by tests)
 */
export const MUNICIPALITIES_IN_SWEDEN = 290;

/**
 * What the selection is: named units; the file's nation rows; every unit of a file that covers
 * the whole country (Riket by pooling); every unit of a file that does not (an excerpt).
 */
export type ReferenceScope = 'units' | 'nation_rows' | 'whole_country' | 'whole_file';

export interface SelectedReference {
  rows: ReferenceValue[];
  /** "Stockholm", "Ale (5 skolor)", "Stureskolan (Arboga)", "Riket (alla 290 kommuner i filen)", "alla enheter i filen (70)". */
  label: string;
  scope: ReferenceScope;
  /** What the user should know about the selection (how Riket was computed, why it is not Riket), for stderr. */
  notes: Message[];
}

function unitKey(value: ReferenceValue): string {
  return `${value.unit}\u0001${value.unit_code ?? ''}`;
}

/** fold() remembered: the same few thousand names and codes are compared again for every value. */
const folded = new Map<string, string>();
function foldOnce(text: string): string {
  let key = folded.get(text);
  if (key === undefined) {
    key = fold(text);
    if (folded.size > 100_000) folded.clear();
    folded.set(text, key);
  }
  return key;
}

/** Equal when folded, or, for codes, equal without leading zeros (`180` is `0180`). */
function same(field: string | null, wanted: string): boolean {
  if (field === null) return false;
  const a = foldOnce(field);
  const b = foldOnce(wanted);
  if (a === b) return true;
  return /^\d+$/.test(a) && /^\d+$/.test(b) && a.replace(/^0+/, '') === b.replace(/^0+/, '');
}

/**
 * One value per unit (its name, code, municipality and municipality code; the first in the file):
 * names are matched against these, not against every value (a school file has 12 per school).
 */
const representatives = new WeakMap<ReferenceTable, ReferenceValue[]>();
function unitsOf(table: ReferenceTable): ReferenceValue[] {
  let units = representatives.get(table);
  if (units === undefined) {
    const first = new Map<string, ReferenceValue>();
    for (const value of table.values) {
      const key = [value.unit, value.unit_code, value.municipality, value.municipality_code].join('\u0001');
      if (!first.has(key)) first.set(key, value);
    }
    units = [...first.values()];
    representatives.set(table, units);
  }
  return units;
}

const byUnit = (wanted: string) => (value: ReferenceValue): boolean => same(value.unit, wanted) || same(value.unit_code, wanted);
const byMunicipality = (wanted: string) => (value: ReferenceValue): boolean => same(value.municipality, wanted) || same(value.municipality_code, wanted);
const byAny = (wanted: string) => (value: ReferenceValue): boolean => byUnit(wanted)(value) || byMunicipality(wanted)(value);

/** Schools, municipalities, or units of any kind ("skolor", "kommuner", "enheter"). */
function kindOf(values: readonly ReferenceValue[]): UnitKind {
  const kinds = new Set(values.map((value) => value.unit_kind));
  if (kinds.size === 1 && kinds.has('school')) return 'school';
  if (kinds.size === 1 && kinds.has('municipality')) return 'municipality';
  return 'unit';
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

function noUnit(file: string, wanted: string, all: readonly ReferenceValue[]): InputError {
  return new InputError(MESSAGES.noReferenceUnit(file, wanted, suggestions(all, wanted)));
}

/** The municipalities a file's units lie in (by code, else by name). */
function municipalitiesOf(values: readonly ReferenceValue[]): number {
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const value of values) {
    if (value.municipality_code !== null && /^\d+$/.test(value.municipality_code)) codes.add(value.municipality_code.padStart(4, '0'));
    if (value.municipality !== null) names.add(foldOnce(value.municipality));
  }
  return Math.max(codes.size, names.size);
}

/** Every unit of the file, or its nation rows: no --reference-unit, or Riket. */
function selectNation(table: ReferenceTable, rows: ReferenceValue[], asked: boolean): SelectedReference {
  const nation = rows.filter((value) => value.unit_kind === 'nation');
  if (nation.length > 0) {
    const units = new Set(nation.map(unitKey));
    return { rows: nation, label: units.size === 1 ? (nation[0]?.unit ?? 'Riket') : `${nation[0]?.unit ?? 'Riket'} (${units.size} enheter)`, scope: 'nation_rows', notes: [] };
  }
  const units = new Set(rows.map(unitKey)).size;
  const municipalities = municipalitiesOf(table.values);
  const kind = kindOf(rows);
  const file = table.file;
  if (municipalities >= MUNICIPALITIES_IN_SWEDEN && units > 1) {
    const schools = rows.every((value) => value.unit_kind === 'school');
    const kommuner = rows.every((value) => value.unit_kind === 'municipality');
    return {
      rows,
      label: `Riket (alla ${countText(units, 'sv')} ${unitWord(kind, units, 'sv')} i filen)`,
      scope: 'whole_country',
      notes: [MESSAGES.nationPooled(file, units, kind, kommuner ? null : municipalities, schools)],
    };
  }
  const label = units === 1 ? (rows[0]?.unit ?? '') : `alla enheter i filen (${countText(units, 'sv')})`;
  const notes: Message[] = !asked
    ? []
    : municipalities > 0
      ? [MESSAGES.notTheNation(file, units, kind, municipalities, MUNICIPALITIES_IN_SWEDEN)]
      : [MESSAGES.notTheNationNoMunicipalities(file, units, kind)];
  return { rows, label, scope: 'whole_file', notes };
}

interface Pick {
  /** As the user wrote it ("Stureskolan, Arboga"). */
  text: string;
  name: string;
  /** The municipality that qualifies a school name, or null. */
  municipality: string | null;
  /** A municipality named right after it that has no unit of that name ("Hagaskolan, Ale"): said if the name is ambiguous. */
  notIn: string | null;
}

/** "Name, Municipality" is a qualifier when Name is a unit (not a municipality) that Municipality has. */
function isQualifier(name: string, municipality: string, all: readonly ReferenceValue[]): boolean {
  if (isNationName(name) || all.some(byMunicipality(name))) return false;
  const unit = byUnit(name);
  const inside = byMunicipality(municipality);
  return all.some((value) => unit(value) && inside(value));
}

function picksOf(parts: readonly string[], all: readonly ReferenceValue[]): Pick[] {
  const picks: Pick[] = [];
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i] ?? '';
    const next = parts[i + 1];
    if (next !== undefined && isQualifier(name, next, all)) {
      picks.push({ text: `${name}, ${next}`, name, municipality: next, notIn: null });
      i++;
    } else picks.push({ text: name, name, municipality: null, notIn: next !== undefined && all.some(byMunicipality(next)) ? next : null });
  }
  return picks;
}

/** The error for a name that several units carry: the candidates, and how to say which. */
function ambiguous(file: string, pick: Pick, found: readonly ReferenceValue[]): UsageError {
  const first = new Map<string, ReferenceValue>();
  for (const value of found) if (!first.has(unitKey(value))) first.set(unitKey(value), value);
  const candidates = [...first.values()].sort((a, b) => (a.municipality ?? '').localeCompare(b.municipality ?? '', 'sv') || (a.unit_code ?? '').localeCompare(b.unit_code ?? ''));
  const shown = candidates.slice(0, 20);
  const municipalities = new Set(candidates.map((value) => value.municipality ?? ''));
  const example = shown[0];
  const codes = shown.flatMap((value) => (value.unit_code === null ? [] : [value.unit_code]));
  const byCode = codes.length === shown.length && codes[0] !== undefined;
  const qualified = example?.municipality !== null && example?.municipality !== undefined && municipalities.size === candidates.length ? `"${example.unit}, ${example.municipality}"` : null;
  return new UsageError(
    MESSAGES.ambiguousUnit({
      file,
      text: pick.text,
      kind: kindOf(candidates),
      candidates: shown,
      total: candidates.length,
      municipalities: municipalities.size,
      notIn: pick.notIn,
      qualified,
      codes: byCode ? codes : null,
    }),
  );
}

interface Resolved {
  matches: (value: ReferenceValue) => boolean;
  /** The pick's name in a label: the municipality, the unit, "Stureskolan (Arboga)". */
  name: string;
  /** Picked by a unit's own name or code (not as a municipality's units). */
  byUnit: boolean;
}

function resolvePick(table: ReferenceTable, pick: Pick, inList: boolean): Resolved {
  const all = unitsOf(table);
  if (pick.municipality === null && isNationName(pick.name)) {
    const nation = all.find((value) => value.unit_kind === 'nation');
    if (nation) return { matches: (value) => value.unit_kind === 'nation', name: nation.unit, byUnit: true };
    if (inList) {
      throw new UsageError(MESSAGES.nationInList(table.file, pick.name));
    }
  }
  const unit = byUnit(pick.name);
  const inside = pick.municipality === null ? null : byMunicipality(pick.municipality);
  const matches = inside === null ? byAny(pick.name) : (value: ReferenceValue): boolean => unit(value) && inside(value);
  const found = all.filter(matches);
  if (found.length === 0) throw noUnit(table.file, pick.text, all);
  const asMunicipality = pick.municipality === null ? found.find(byMunicipality(pick.name)) : undefined;
  if (asMunicipality === undefined && new Set(found.map(unitKey)).size > 1) throw ambiguous(table.file, pick, found);
  const first = found[0];
  if (asMunicipality !== undefined) {
    const name = asMunicipality.municipality !== null && (same(asMunicipality.municipality, pick.name) || same(asMunicipality.municipality_code, pick.name)) ? asMunicipality.municipality : pick.name;
    return { matches, name, byUnit: found.some(byUnit(pick.name)) };
  }
  const name = pick.municipality !== null && first?.municipality ? `${first.unit} (${first.municipality})` : (first?.unit ?? pick.name);
  return { matches, name, byUnit: true };
}

/** The rows `selection` picks (Typ av huvudman, then the units), the label, and what to tell the user. */
export function selectReference(table: ReferenceTable, selection: ReferenceSelection = {}): SelectedReference {
  const all = table.values;
  let rows = all;

  const providerWanted = selection.provider?.trim() ?? '';
  let providerLabel: string | null = null;
  if (providerWanted !== '') {
    const key = fold(providerWanted);
    rows = rows.filter((value) => value.provider !== null && foldOnce(value.provider) === key);
    if (rows.length === 0) {
      const known = [...new Set(all.flatMap((value) => (value.provider === null ? [] : [value.provider])))].sort();
      throw new InputError(MESSAGES.noProviderRows(table.file, providerWanted, known));
    }
    if (key !== 'samtliga') providerLabel = rows[0]?.provider ?? providerWanted;
  } else if (all.some((value) => value.provider !== null && foldOnce(value.provider) === 'samtliga')) {
    rows = rows.filter((value) => value.provider === null || foldOnce(value.provider) === 'samtliga');
  }

  const wanted = selection.unit?.trim() ?? '';
  const units = unitsOf(table);
  let selected: SelectedReference;
  if (wanted === '' || (isNationName(wanted) && !units.some(byUnit(wanted)))) selected = selectNation(table, rows, wanted !== '');
  else {
    // A comma-separated list, unless the whole text is itself a unit's name.
    const parts = wanted.includes(',') && !units.some(byAny(wanted)) ? wanted.split(',').map((part) => part.trim()).filter((part) => part !== '') : [wanted];
    const picks = picksOf(parts, units);
    const resolved = picks.map((pick) => resolvePick(table, pick, picks.length > 1));
    const chosen = rows.filter((value) => resolved.some(({ matches }) => matches(value)));
    if (chosen.length === 0) {
      throw new InputError(MESSAGES.unitsWithoutProvider(table.file, wanted, picks.length > 1, providerWanted));
    }
    let label: string;
    const names = resolved.map((resolvedPick) => resolvedPick.name);
    if (resolved.length > 1) label = names.length <= 4 ? `${names.slice(0, -1).join(', ')} och ${names[names.length - 1]}` : `${names.length} enheter (${names.slice(0, 3).join(', ')} …)`;
    else {
      const n = new Set(chosen.map(unitKey)).size;
      const first = chosen[0];
      const pick = resolved[0];
      if (first === undefined || pick === undefined || (n === 1 && (pick.byUnit || first.unit_kind !== 'school'))) label = pick?.name ?? wanted;
      else label = `${pick.name} (${countText(n, 'sv')} ${unitWord(kindOf(chosen), n, 'sv')})`;
    }
    selected = { rows: chosen, label, scope: 'units', notes: [] };
  }
  return providerLabel === null ? selected : { ...selected, label: `${selected.label}, ${providerLabel}` };
}
