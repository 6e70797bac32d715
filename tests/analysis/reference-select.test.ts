/**
 * Which published units --reference-unit names (src/analysis/reference-select.ts), on Skolverket's
 * real files: school names that several municipalities have, "Name, Municipality", codes, lists,
 * and Riket when the file has no nation row.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { poolReference } from '../../src/analysis/reference-pool.js';
import { MUNICIPALITIES_IN_SWEDEN, selectReference } from '../../src/analysis/reference-select.js';
import { InputError, UsageError } from '../../src/errors.js';
import { parseReference, type ReferenceSelection, type ReferenceTable } from '../../src/normalise/reference-table.js';
import { bytesOf, readTextTable } from '../../src/read/records.js';

const DIR = 'fixtures/skolverket';
const FULL = `${DIR}/relation-ak9-2024-skolniva-full.csv`;
const EXCERPT = `${DIR}/relation-ak9-2024-skolniva.csv`;
const NP_2024 = `${DIR}/np-ak9-2024-kommun.csv`;

async function read(path: string): Promise<ReferenceTable> {
  return parseReference(path, await readTextTable(bytesOf(readFileSync(path)), { keepBlank: true }));
}

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

/** The schools a selection picks: "name|municipality|code". */
function schools(table: ReferenceTable, selection: ReferenceSelection): string[] {
  return [...new Set(selectReference(table, selection).rows.map((value) => `${value.unit}|${value.municipality}|${value.unit_code}`))].sort();
}

const pick = (rows: ReturnType<typeof poolReference>, subject: string, metric: string) => rows.find((row) => row.subject === subject && row.metric === metric);

describe('a school name that several municipalities have (the full 2023/24 school file)', () => {
  let full: ReferenceTable;
  beforeAll(async () => {
    full = await read(FULL);
  });

  it('refuses "Stureskolan" (Arboga and Boden) and lists both, with municipality, code and line', () => {
    const error = usageError(() => selectReference(full, { unit: 'Stureskolan' }));
    expect(error.exitCode).toBe(2);
    // Stureskolan;13854755;Arboga;1984;… (line 27) and Stureskolan;83862028;Boden;2582;… (line 46)
    expect(error.text.sv).toBe(
      [
        `${FULL}: "Stureskolan" är namnet på 2 skolor i olika kommuner:`,
        '  Stureskolan, Arboga (skolenhetskod 13854755, rad 27)',
        '  Stureskolan, Boden (skolenhetskod 83862028, rad 46)',
        'Ange vilken: --reference-unit "Stureskolan, Arboga" eller skolenhetskoden (--reference-unit 13854755). För att slå ihop dem, räkna upp koderna: --reference-unit "13854755, 83862028".',
      ].join('\n'),
    );
    expect(error.text.en).toContain('"Stureskolan" is the name of 2 schools in different municipalities:');
    expect(error.text.en).toContain('  Stureskolan, Boden (school unit code 83862028, line 46)');
  });

  it('every name that schools in several municipalities share is refused alone, and "Name, Municipality" picks one school', () => {
    // Found here from the rows themselves: names whose schools lie in more than one municipality.
    const municipalities = new Map<string, Set<string>>();
    for (const value of full.values) municipalities.set(value.unit, (municipalities.get(value.unit) ?? new Set()).add(value.municipality ?? ''));
    const shared = [...municipalities].filter(([, places]) => places.size > 1);
    expect(shared.length).toBe(22); // Hagaskolan and Centralskolan in 5 municipalities each, Stureskolan in 2, …
    for (const [name, places] of shared) {
      expect(() => selectReference(full, { unit: name }), name).toThrow(UsageError);
      for (const place of places) {
        const picked = schools(full, { unit: `${name}, ${place}` });
        expect(picked, `${name}, ${place}`).toHaveLength(1);
        expect(picked[0]?.startsWith(`${name}|${place}|`)).toBe(true);
        expect(selectReference(full, { unit: `${name}, ${place}` }).label).toBe(`${name} (${place})`);
      }
    }
  });

  it('"Stureskolan, Arboga": that school\'s own figures (Matematik 66 pupils: 1,5 / 83,3 / 15,2)', () => {
    const pooled = poolReference(full, { unit: 'Stureskolan, Arboga' });
    expect(pick(pooled, 'MA', 'share_higher')).toMatchObject({ value: 0.152, n: 66, units: 1, label: 'Stureskolan (Arboga)' });
    expect(pick(pooled, 'MA', 'share_lower')?.value).toBe(0.015);
    // The municipality by its code, with or without the zero Excel drops; the school by its code.
    expect(schools(full, { unit: 'Stureskolan, 2582' })).toEqual(['Stureskolan|Boden|83862028']);
    expect(schools(full, { unit: 'stureskolan ,  BODEN' })).toEqual(['Stureskolan|Boden|83862028']);
    expect(schools(full, { unit: 'Hagaskolan, 115' })).toEqual(['Hagaskolan|Vallentuna|84520303']);
    expect(schools(full, { unit: '83862028' })).toEqual(['Stureskolan|Boden|83862028']);
  });

  it('both Stureskolan, pooled when both are named: weighted by pupils', () => {
    // Matematik, antal / högre: Arboga 66 / 15,2; Boden 94 / 5,3.
    const both = poolReference(full, { unit: 'Stureskolan, Arboga, Stureskolan, Boden' });
    expect(pick(both, 'MA', 'share_higher')).toMatchObject({ n: 160, units: 2, label: 'Stureskolan (Arboga) och Stureskolan (Boden)' });
    expect(pick(both, 'MA', 'share_higher')?.value).toBeCloseTo((66 * 0.152 + 94 * 0.053) / 160, 12);
    expect(poolReference(full, { unit: '13854755, 83862028' })).toEqual(both.map((row) => ({ ...row, label: 'Stureskolan och Stureskolan' })));
  });

  it('a list of municipalities still pools them: "Ale, Alingsås, 0180"', () => {
    const selected = selectReference(full, { unit: 'Ale, Alingsås, 0180' });
    expect(selected.label).toBe('Ale, Alingsås och Stockholm');
    expect(new Set(selected.rows.map((value) => value.municipality))).toEqual(new Set(['Ale', 'Alingsås', 'Stockholm']));
    const inFile = new Set(full.values.filter((value) => ['Ale', 'Alingsås', 'Stockholm'].includes(value.municipality ?? '')).map((value) => value.unit_code));
    expect(new Set(selected.rows.map((value) => value.unit_code))).toEqual(inFile);
    expect(selectReference(full, { unit: 'Ale' }).label).toBe('Ale (5 skolor)');
  });

  it('"School, Municipality" where the municipality does not have the school is a list, not a qualifier', () => {
    // Aroseniusskolan is in Ale: with Alingsås it pools the school and Alingsås's schools.
    const selected = selectReference(full, { unit: 'Aroseniusskolan, Alingsås' });
    expect(selected.label).toBe('Aroseniusskolan och Alingsås');
    expect(new Set(selected.rows.map((value) => value.municipality))).toEqual(new Set(['Ale', 'Alingsås']));
    // Hagaskolan is in five municipalities, none of them Ale: refused, and said why.
    const error = usageError(() => selectReference(full, { unit: 'Hagaskolan, Ale' }));
    expect(error.text.sv).toContain('"Hagaskolan" är namnet på 5 skolor i olika kommuner (ingen av dem ligger i Ale):');
    expect(error.text.sv.split('\n').filter((line) => line.startsWith('  Hagaskolan, '))).toHaveLength(5);
  });

  it('a name or code the file does not have is an input error, as before', () => {
    expect(() => selectReference(full, { unit: 'Atlantisskolan' })).toThrow(InputError);
    expect(() => selectReference(full, { unit: 'Aroseniusskolan, Atlantis' })).toThrow(/no unit "Atlantis"/);
    // A shared name with an unknown municipality: the candidates say which municipalities there are.
    expect(usageError(() => selectReference(full, { unit: 'Stureskolan, Atlantis' })).text.sv).toContain('  Stureskolan, Arboga (');
  });

  it('a file where no unit has figures that could be read says so, instead of an empty "e.g."', () => {
    const empty: ReferenceTable = { ...full, values: [] };
    let text: { sv: string; en: string } | null = null;
    try {
      selectReference(empty, { unit: 'Ale' });
    } catch (error) {
      if (error instanceof InputError) text = error.text;
    }
    expect(text?.sv).toBe(`${full.file}: ingen enhet "Ale"; filen har inga enheter med siffror som kunde läsas (kontrollera filen med ett kalkylprogram: är andelarna tal som 17,1 och inte t.ex. 17,1 %?)`);
    expect(text?.en).toContain('the file has no units with figures that could be read');
  });
});

describe('Riket in files without a nation row', () => {
  it('the full school file covers every municipality: Riket is all its schools, pooled, and says so', async () => {
    const full = await read(FULL);
    const selected = selectReference(full, { unit: 'Riket' });
    expect(selected.scope).toBe('whole_country');
    expect(selected.label).toBe('Riket (alla 1\u00a0502 skolor i filen)');
    expect(selected.rows).toHaveLength(full.values.length);
    expect(selected.notes).toHaveLength(1);
    expect(selected.notes[0]?.sv).toContain('filen har ingen rad för riket, så Riket är ett vägt medelvärde av alla 1\u00a0502 skolor i filen (de ligger i landets alla 290 kommuner)');
    expect(selected.notes[0]?.en).toContain('Riket is the mean of all 1,502 schools in the file weighted by their pupils');
    // The pooled value is the pupil-weighted mean of every school with a figure, computed here from the values.
    const same = full.values.filter((value) => value.subject === 'SV' && value.metric === 'share_same' && value.status === 'ok' && value.n !== null);
    const n = same.reduce((sum, value) => sum + (value.n ?? 0), 0);
    const riket = pick(poolReference(full, { unit: 'Riket' }), 'SV', 'share_same');
    expect(riket).toMatchObject({ n, units: same.length });
    expect(riket?.value).toBeCloseTo(same.reduce((sum, value) => sum + (value.n ?? 0) * (value.value ?? 0), 0) / n, 12);
    // Without --reference-unit, and by other names of the nation: the same.
    for (const unit of [undefined, 'riket', 'Hela riket', 'Sverige']) {
      expect(selectReference(full, unit === undefined ? {} : { unit }).label, String(unit)).toBe(selected.label);
    }
  });

  it('an excerpt (70 schools in 25 municipalities) is "alla enheter i filen", never Riket; asked for Riket it says why', async () => {
    const excerpt = await read(EXCERPT);
    const asked = selectReference(excerpt, { unit: 'Riket' });
    expect(asked).toMatchObject({ scope: 'whole_file', label: 'alla enheter i filen (70)' });
    expect(asked.notes[0]?.sv).toContain(`dess 70 skolor ligger i 25 av landets ${MUNICIPALITIES_IN_SWEDEN} kommuner (ett utdrag?), så referensen är alla enheter i filen, inte riket`);
    const unasked = selectReference(excerpt);
    expect(unasked).toMatchObject({ scope: 'whole_file', label: 'alla enheter i filen (70)', notes: [] });
    expect(poolReference(excerpt, { unit: 'Riket' })).toEqual(poolReference(excerpt));
  });

  it('the municipality NP file (290 municipalities, Samtliga rows): Riket is every municipality', async () => {
    const np = await read(NP_2024);
    const selected = selectReference(np, { unit: 'Riket' });
    expect(selected).toMatchObject({ scope: 'whole_country', label: 'Riket (alla 290 kommuner i filen)' });
    expect(selected.rows.every((value) => value.provider === 'Samtliga')).toBe(true);
    expect(selected.notes[0]?.sv).toContain('alla 290 kommuner i filen (landets alla kommuner)');
    expect(selectReference(np, { unit: 'Riket', provider: 'Kommunal' }).label).toBe('Riket (alla 290 kommuner i filen), Kommunal');
    // A code without the zero Excel drops still finds Stockholm.
    expect(selectReference(np, { unit: '180' }).label).toBe('Stockholm');
  });

  it('Riket cannot be listed with other units when the file has no nation row', async () => {
    const np = await read(NP_2024);
    const error = usageError(() => selectReference(np, { unit: 'Riket, Ale' }));
    expect(error.text.sv).toContain('"Riket" kan inte räknas upp med andra enheter');
  });
});
