/**
 * Reference figures (src/normalise/reference-table.ts), read by the one read path
 * (readTextTable with blank lines kept) and pooled (src/analysis/reference-pool.ts).
 * Ported from tests/read/skolverket.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { poolReference } from '../../src/analysis/reference-pool.js';
import { readReferences } from '../../src/commands/references.js';
import { InputError } from '../../src/errors.js';
import { type ReferenceTable, type ReferenceValue, parseReference } from '../../src/normalise/reference-table.js';
import { bytesOf, readTextTable, type TextTable } from '../../src/read/records.js';

const DIR = 'fixtures/skolverket';
const RELATION_2023 = `${DIR}/relation-ak9-2023-skolniva.csv`;
const RELATION_2024 = `${DIR}/relation-ak9-2024-skolniva.csv`;
const NP_2024 = `${DIR}/np-ak9-2024-kommun.csv`;
const GRADES6_2025 = `${DIR}/betyg-ak6-2025-kommun.csv`;

/** A reference file's bytes as the commands read them: the one read path, blank lines kept. */
function tableOf(input: string | Uint8Array): Promise<TextTable> {
  return readTextTable(bytesOf(typeof input === 'string' ? Buffer.from(input, 'utf8') : input), { keepBlank: true });
}

async function parse(file: string, input: string | Uint8Array): Promise<ReferenceTable> {
  return parseReference(file, await tableOf(input));
}

async function readReferenceFile(path: string): Promise<ReferenceTable> {
  return parse(path, readFileSync(path));
}

/** A fixture's text (UTF-8, its byte-order mark dropped), to edit before parsing. */
function text(path: string): string {
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
}

type Where = Partial<Pick<ReferenceValue, 'unit' | 'provider' | 'subject' | 'gender' | 'metric'>>;

function find(table: ReferenceTable, where: Where): ReferenceValue {
  const found = table.values.filter((value) => Object.entries(where).every(([key, want]) => value[key as keyof ReferenceValue] === want));
  expect(found, JSON.stringify(where)).toHaveLength(1);
  return found[0]!;
}

async function inputError(run: () => unknown): Promise<InputError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** Values without their line numbers, for comparing two renderings of the same rows. */
function figures(values: readonly ReferenceValue[]): string[] {
  return values.map(({ line: _line, ...rest }) => JSON.stringify(rest)).sort();
}

describe('parseReference: Relationen mellan nationella prov och slutbetyg, skolnivå', () => {
  it('reads the 2024 excerpt: Ahlafors Fria skola, Svenska', async () => {
    const table = await readReferenceFile(RELATION_2024);
    expect(table.layout).toBe('skolverket_relation');
    expect(table.publisher).toBe('skolverket');
    expect(table.school_year).toBe('2023/24');
    expect(table.title).toMatch(/^Grundskola - Relationen mellan nationella prov och slutbetyg årskurs 9/);
    const at = { unit: 'Ahlafors Fria skola', subject: 'SV' } as const;
    const lower = find(table, { ...at, metric: 'share_lower' });
    const same = find(table, { ...at, metric: 'share_same' });
    const higher = find(table, { ...at, metric: 'share_higher' });
    expect([lower.value, same.value, higher.value]).toEqual([0.043, 0.609, 0.348]);
    expect(higher).toMatchObject({
      raw: '34,8',
      status: 'ok',
      n: 46,
      line: 11,
      unit_code: '71387206',
      unit_kind: 'school',
      municipality: 'Ale',
      municipality_code: '1440',
      provider: 'Enskild',
      grade_level: 9,
      gender: 'all',
    });
  });

  it('keeps "." as missing where it is unknown (Svenska som andraspråk 2024: no shares at all)', async () => {
    const t2024 = await readReferenceFile(RELATION_2024);
    for (const metric of ['share_lower', 'share_same', 'share_higher'] as const) {
      expect(find(t2024, { unit: 'Ahlafors Fria skola', subject: 'SVA', metric })).toMatchObject({ status: 'missing', value: null, raw: '.', n: null });
    }
    const t2023 = await readReferenceFile(RELATION_2023);
    expect(t2023.school_year).toBe('2022/23');
    expect(find(t2023, { unit: 'Ahlafors Fria skola', subject: 'SV', metric: 'share_same' }).value).toBe(0.739);
  });

  it('reads a "." share as 0 only when the other two shares add up to 100 % (Ahlafors 2022/23 Svenska: .;73,9;26,1)', async () => {
    const t2023 = await readReferenceFile(RELATION_2023);
    expect(find(t2023, { unit: 'Ahlafors Fria skola', subject: 'SV', metric: 'share_lower' })).toMatchObject({ status: 'ok', value: 0, raw: '.', n: 23, implied_zero: true });
    expect(find(t2023, { unit: 'Ahlafors Fria skola', subject: 'SV', metric: 'share_higher' }).implied_zero).toBeUndefined();
    // Shares that do not add up stay missing: a synthetic row with ".;73,9;20,0" (93,9 %).
    const lines = text(RELATION_2023).split('\n');
    const row = lines.findIndex((line) => line.startsWith('Ahlafors Fria skola;'));
    lines[row] = (lines[row] ?? '').replace('23;.;73,9;26,1', '23;.;73,9;20,0');
    const edited = await parse('edited.csv', lines.join('\n'));
    expect(find(edited, { unit: 'Ahlafors Fria skola', subject: 'SV', metric: 'share_lower' })).toMatchObject({ status: 'missing', value: null, raw: '.' });
    // No "." ever becomes a number in the other tables.
    const np = await readReferenceFile(NP_2024);
    expect(np.values.filter((value) => value.raw === '.' && value.value !== null)).toEqual([]);
  });

  it('reads every school line (70 in 2024, 55 in 2023), 12 figures each, and skips nothing', async () => {
    for (const [path, schools, first, last] of [
      [RELATION_2024, 70, 11, 80],
      [RELATION_2023, 55, 11, 65],
    ] as const) {
      const table = await readReferenceFile(path);
      expect(new Set(table.values.map((value) => value.unit_code)).size).toBe(schools);
      expect(new Set(table.values.map((value) => value.line)).size).toBe(schools);
      expect(table.values).toHaveLength(schools * 12);
      expect(table.values[0]?.line).toBe(first);
      expect(table.values.at(-1)?.line).toBe(last);
      expect(table.skipped).toEqual([]);
    }
  });

  it('finds the columns by header text: a reordered copy gives the same figures', async () => {
    const lines = text(RELATION_2024).split('\n');
    const header = lines.findIndex((line) => line.startsWith('Skola;'));
    const rows = lines.slice(header, header + 6).map((line) => line.split(';').slice(0, 23));
    // Unit name first (as Skolverket always writes it); every other column moved.
    const order = [0, 22, 21, 20, 19, 4, 2, 3, 1, 11, 10, 9, 8, 7, 18, 17, 16, 15, 14, 13, 12, 6, 5];
    const reordered = rows.map((cells) => `${order.map((i) => cells[i]).join(';')};`);
    const original = await parse('original.csv', lines.slice(0, header + 6).join('\n'));
    const moved = await parse('moved.csv', [...lines.slice(0, header), ...reordered, ''].join('\n'));
    expect(moved.layout).toBe('skolverket_relation');
    expect(original.values).toHaveLength(5 * 12);
    expect(figures(moved.values)).toEqual(figures(original.values));
  });

  it('reads CRLF line ends the same as LF', async () => {
    const lf = await parse('lf.csv', text(RELATION_2024));
    const crlf = await parse('crlf.csv', text(RELATION_2024).replace(/\n/g, '\r\n'));
    expect(crlf.values).toEqual(lf.values);
    expect(crlf.title).toBe(lf.title);
  });

  it('puts a data line with the wrong number of fields, or an unreadable value, in skipped', async () => {
    const lines = text(RELATION_2024).split('\n');
    lines[11] = lines[11]!.split(';').slice(0, 20).join(';'); // line 12: Aroseniusskolan, cut short
    lines[12] = lines[12]!.replace(';76;', ';7x6;'); // line 13: Bohusskolan, a bad count
    lines[13] = lines[13]!.replace(';47,5;', ';47.5.1;'); // line 14: Da Vinciskolan 1, a bad share
    const table = await parse('edited.csv', lines.join('\n'));
    expect(table.skipped.map((skip) => skip.line)).toEqual([12, 13, 14]);
    expect(table.skipped[0]?.reason).toEqual({ sv: 'har 20 fält, rubrikraden har 23', en: 'has 20 fields, the header has 23' });
    expect(table.skipped[1]?.reason.en).toContain('"Svenska, antal elever med provbetyg och slutbetyg": "7x6"');
    expect(table.skipped[1]?.reason.sv).toContain('"7x6" är inte ett antal elever');
    expect(table.skipped[2]?.reason.en).toContain('"47.5.1" is not a number');
    expect(table.skipped[2]?.reason.sv).toContain('"47.5.1" är inte ett tal');
    expect(table.values).toHaveLength(67 * 12);
  });
});

describe('parseReference: Resultat nationella prov årskurs 9, kommun', () => {
  it('reads Ale, Samtliga, Engelska: n 371, 98,1 % A–E, flickor ~100 stays rounded', async () => {
    const table = await readReferenceFile(NP_2024);
    expect(table).toMatchObject({ layout: 'skolverket_np', school_year: '2023/24', publisher: 'skolverket', skipped: [] });
    const at = { unit: 'Ale', provider: 'Samtliga', subject: 'EN' } as const;
    expect(find(table, { ...at, gender: 'all', metric: 'share_pass_test' })).toMatchObject({
      value: 0.981,
      status: 'ok',
      n: 371,
      unit_code: '1440',
      unit_kind: 'municipality',
      municipality: 'Ale',
      municipality_code: '1440',
      grade_level: 9,
      line: 8,
    });
    expect(find(table, { ...at, gender: 'F', metric: 'share_pass_test' })).toMatchObject({ value: null, status: 'rounded', raw: '~100', n: 186 });
    expect(find(table, { ...at, gender: 'M', metric: 'share_pass_test' })).toMatchObject({ value: null, status: 'rounded', raw: '~100', n: 185 });
    expect(find(table, { ...at, gender: 'all', metric: 'mean_points_test' })).toMatchObject({ value: 15.7, n: 371 });
    // The table gives no denominator for the participation share.
    expect(find(table, { ...at, gender: 'all', metric: 'share_participated' })).toMatchObject({ value: 0.892, n: null });
  });

  it('reads thousands written with a space and keeps leading zeros in codes (Stockholm 0180)', async () => {
    const table = await readReferenceFile(NP_2024);
    const at = { unit: 'Stockholm', provider: 'Samtliga', subject: 'MA', metric: 'share_pass_test' } as const;
    expect(find(table, { ...at, gender: 'all' })).toMatchObject({ n: 9593, value: 0.901, unit_code: '0180', line: 1915 });
    expect(find(table, { ...at, gender: 'F' })).toMatchObject({ n: 4674, value: 0.893 });
    expect(find(table, { ...at, gender: 'M' })).toMatchObject({ n: 4919, value: 0.909 });
  });

  it('reads ".." as too few, including in the pupil counts (Övertorneå, Enskild)', async () => {
    const table = await readReferenceFile(NP_2024);
    const row = table.values.filter((value) => value.unit_code === '2518' && value.provider === 'Enskild' && value.subject === 'SV');
    expect(row).toHaveLength(9); // 3 measures × 3 genders; the 3 count columns are the n
    for (const value of row) expect(value).toMatchObject({ status: 'too_few', value: null, raw: '..', n: null });
    expect(new Set(table.values.map((value) => value.unit_code)).size).toBe(290);
  });
});

describe('parseReference: Betyg årskurs 6, kommun', () => {
  it('reads Ale, Enskild, flickor: ~100 rounded, ".." too few, "." missing', async () => {
    const table = await readReferenceFile(GRADES6_2025);
    expect(table).toMatchObject({ layout: 'skolverket_grades6', school_year: '2024/25', skipped: [] });
    const at = { unit: 'Ale', provider: 'Enskild', gender: 'F' } as const;
    expect(find(table, { ...at, metric: 'share_pass_all_subjects' })).toMatchObject({ status: 'rounded', value: null, raw: '~100', n: 14, subject: null, grade_level: 6, line: 10 });
    expect(find(table, { ...at, metric: 'share_fail_one_subject' })).toMatchObject({ status: 'too_few', value: null, raw: '..' });
    expect(find(table, { ...at, metric: 'share_fail_several_subjects' })).toMatchObject({ status: 'missing', value: null, raw: '.' });
    expect(find(table, { unit: 'Ale', provider: 'Samtliga', gender: 'M', metric: 'share_pass_all_subjects' })).toMatchObject({ value: 0.697, n: 228 });
    expect(find(table, { unit: 'Stockholm', provider: 'Samtliga', gender: 'F', metric: 'share_pass_all_subjects' })).toMatchObject({ value: 0.784, n: 5168 });
    expect(table.values.some((value) => value.gender === 'all')).toBe(false);
  });

  it('takes a category written once over several columns for all of them', async () => {
    const file = [
      'Statistik från Skolverket, https://www.skolverket.se',
      '',
      'Grundskola - Betyg årskurs 6, andel som fått godkänt betyg (A-E), per kön',
      'Valt läsår: 2024/25',
      '',
      ';;Pojkar;;Flickor;',
      'Kommun;Kommun-kod;Andel (%) elever som fått godkänt betyg i alla ämnen;Antal elever;Andel (%) elever som fått godkänt betyg i alla ämnen;Antal elever;',
      'Ale;1440;69,7;228;82,0;217;',
      '',
    ].join('\n');
    const table = await parse('merged.csv', file);
    expect(table.values.map((value) => [value.gender, value.value, value.n])).toEqual([
      ['M', 0.697, 228],
      ['F', 0.82, 217],
    ]);
  });
});

describe('encodings, line ends and file-level errors', () => {
  const small = [
    'Statistik från Skolverket, https://www.skolverket.se',
    'Grundskola – Betyg årskurs 6, andel som fått godkänt betyg (A-E), per kön',
    'Valt läsår: 2024/25',
    ';;;;;Flickor;Flickor;Pojkar;Pojkar;',
    'Kommun;Kommun-kod;Län;Läns-kod;Typ av huvudman;Antal elever;Andel (%) elever som fått godkänt betyg i alla ämnen;Antal elever;Andel (%) elever som fått godkänt betyg i alla ämnen;',
    'Åre;2321;Jämtlands län;23;Samtliga;40;75,0;45;~100;',
    'Örebro;1880;Örebro län;18;Samtliga;1 020;80,5;1 050;77,1;',
    '',
  ].join('\r\n');

  it('decodes Windows-1252 bytes (å ä ö and the en dash 0x96)', async () => {
    const bytes = Buffer.from(small.replace('–', '-'), 'latin1');
    bytes[bytes.indexOf(Buffer.from('Grundskola - '), 0) + 11] = 0x96;
    const cp1252 = await tableOf(bytes);
    expect(cp1252.info.encoding).toBe('windows-1252');
    expect(cp1252.records).toEqual((await tableOf(small)).records);
    expect(cp1252.records[1]).toEqual({ fields: ['Grundskola – Betyg årskurs 6, andel som fått godkänt betyg (A-E), per kön'], line: 2 });
    const table = parseReference('cp1252.csv', cp1252);
    expect(table.values.map((value) => [value.unit, value.gender, value.value, value.status, value.n])).toEqual([
      ['Åre', 'F', 0.75, 'ok', 40],
      ['Åre', 'M', null, 'rounded', 45],
      ['Örebro', 'F', 0.805, 'ok', 1020],
      ['Örebro', 'M', 0.771, 'ok', 1050],
    ]);
    expect(table.values[0]?.line).toBe(6);
  });

  it('drops a UTF-8 byte-order mark and reads UTF-8 without one', async () => {
    const utf8 = Buffer.from(small, 'utf8');
    const withBom = await tableOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]));
    const without = await tableOf(utf8);
    expect(withBom.info).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(without.info).toMatchObject({ encoding: 'utf-8', bom: false });
    expect(withBom.records).toEqual(without.records);
    expect(without.records[0]).toEqual({ fields: ['Statistik från Skolverket, https://www.skolverket.se'], line: 1 });
    expect(without.records.map((record) => record.fields.join(';'))).toEqual(small.split('\r\n').slice(0, -1));
    expect(parseReference('bom.csv', withBom).values).toEqual(parseReference('utf8.csv', without).values);
  });

  it('reads a fixture with bare-CR line ends (Excel for Mac) the same as LF, and UTF-16 without a mark', async () => {
    const lf = await parse('lf.csv', text(RELATION_2024));
    const cr = await parse('cr.csv', text(RELATION_2024).replace(/\n/g, '\r'));
    expect(cr.values).toEqual(lf.values);
    expect(cr.title).toBe(lf.title);
    const utf16 = await parse('utf16.csv', Buffer.from(text(RELATION_2024), 'utf16le'));
    expect(utf16.values).toEqual(lf.values);
  });

  it('throws an InputError naming the file when no header is recognisable', async () => {
    const error = await inputError(() => parse('okand.csv', 'Rubrik;Värde\nnågot;12\n'));
    expect(error.message).toMatch(/^okand\.csv: no recognisable header/);
    expect(error.message).toContain('subject, grade_level, school_year');
    const banner = await inputError(() => parse('trasig.csv', 'Statistik från Skolverket, https://www.skolverket.se\n\nNågot;annat\n'));
    expect(banner.message).toMatch(/^trasig\.csv: no header row/);
    const figures = await inputError(() => parse('konstig.csv', 'Statistik från Skolverket\nTitel årskurs 9\nValt läsår: 2023/24\nKommun;Kommun-kod;Något helt annat;\nAle;1440;12;\n'));
    expect(figures.message).toMatch(/^konstig\.csv:4: the header row names no figures/);
    expect((await inputError(() => parse('tom.csv', '\n\n'))).message).toBe('tom.csv: empty file');
  });

  it('reports a missing file as an InputError', async () => {
    const error = await inputError(() => readReferences([`${DIR}/finns-inte.csv`]));
    expect(error.message).toMatch(/finns-inte\.csv: no such file/);
  });
});

describe('poolReference', () => {
  it("pools Ale's five schools weighted by n (2024, Svenska)", async () => {
    const table = await readReferenceFile(RELATION_2024);
    const pooled = poolReference(table, { unit: 'Ale' });
    const higher = pooled.find((row) => row.subject === 'SV' && row.metric === 'share_higher');
    // Ahlafors 46 × 34,8; Arosenius 101 × 51,5; Bohus 76 × 17,1; Da Vinci 1 59 × 50,8; Da Vinci 2 59 × 33,9.
    const expected = (46 * 0.348 + 101 * 0.515 + 76 * 0.171 + 59 * 0.508 + 59 * 0.339) / 341;
    expect(higher?.value).toBeCloseTo(expected, 9);
    expect(higher).toMatchObject({ status: 'ok', n: 341, units: 5, excluded_units: 0, label: 'Ale (5 skolor)', school_year: '2023/24', grade_level: 9, gender: 'all' });
    // Da Vinciskolan 2 has "." for the lower share and 66,1 + 33,9 = 100 for the others: 0 % by arithmetic, pooled as 0.
    const lower = pooled.find((row) => row.subject === 'SV' && row.metric === 'share_lower');
    expect(lower?.value).toBeCloseTo((46 * 0.043 + 101 * 0.129 + 76 * 0.132 + 59 * 0.017 + 59 * 0) / 341, 9);
    expect(lower).toMatchObject({ n: 341, units: 5, excluded_units: 0 });
    // Svenska som andraspråk: only Bohusskolan has figures, the other four are "." and left out.
    const sva = pooled.find((row) => row.subject === 'SVA' && row.metric === 'share_higher');
    expect(sva).toMatchObject({ value: 0.235, n: 17, units: 1, excluded_units: 4 });
  });

  it('selects by municipality code and by school code', async () => {
    const table = await readReferenceFile(RELATION_2024);
    const byCode = poolReference(table, { unit: '1440' });
    expect(byCode).toEqual(poolReference(table, { unit: 'ale' }));
    const school = poolReference(table, { unit: '71387206' }).find((row) => row.subject === 'SV' && row.metric === 'share_higher');
    expect(school).toMatchObject({ value: 0.348, n: 46, units: 1, label: 'Ahlafors Fria skola' });
  });

  it('without a unit and without a Riket row, pools every unit in the file', async () => {
    const table = await readReferenceFile(RELATION_2024);
    const pooled = poolReference(table);
    const same = pooled.find((row) => row.subject === 'SV' && row.metric === 'share_same');
    const rows = table.values.filter((value) => value.subject === 'SV' && value.metric === 'share_same' && value.status === 'ok');
    const n = rows.reduce((sum, value) => sum + (value.n ?? 0), 0);
    expect(same?.value).toBeCloseTo(rows.reduce((sum, value) => sum + (value.n ?? 0) * (value.value ?? 0), 0) / n, 12);
    expect(same).toMatchObject({ label: 'alla enheter i filen (70)', units: rows.length, n });
    // One row per school year × årskurs × subject × gender × measure, sorted.
    expect(pooled.map((row) => `${row.subject}:${row.metric}`)).toEqual(
      ['EN', 'MA', 'SV', 'SVA'].flatMap((subject) => ['share_higher', 'share_same', 'share_lower'].map((metric) => `${subject}:${metric}`)),
    );
  });

  it('takes the Samtliga rows of a municipality table by default, or the provider asked for', async () => {
    const table = await readReferenceFile(NP_2024);
    const pick = (rows: ReturnType<typeof poolReference>) => rows.find((row) => row.subject === 'EN' && row.gender === 'all' && row.metric === 'share_pass_test');
    expect(pick(poolReference(table, { unit: 'Ale' }))).toMatchObject({ value: 0.981, n: 371, units: 1, label: 'Ale' });
    expect(pick(poolReference(table, { unit: 'Ale', provider: 'kommunal' }))).toMatchObject({ value: 0.982, n: 325, label: 'Ale, Kommunal' });
    // A single unit's "~100" is passed on as it is.
    const girls = poolReference(table, { unit: 'Ale' }).find((row) => row.subject === 'EN' && row.gender === 'F' && row.metric === 'share_pass_test');
    expect(girls).toMatchObject({ value: null, status: 'rounded', raw: '~100', units: 0, excluded_units: 1 });
    const stockholm = poolReference(table, { unit: '0180' }).find((row) => row.subject === 'MA' && row.gender === 'all' && row.metric === 'share_pass_test');
    expect(stockholm).toMatchObject({ value: 0.901, n: 9593, label: 'Stockholm' });
  });

  it('passes a single unit\'s ".." on as too few', async () => {
    const table = await readReferenceFile(NP_2024);
    const row = poolReference(table, { unit: 'Övertorneå', provider: 'Enskild' }).find((r) => r.subject === 'SV' && r.gender === 'all' && r.metric === 'mean_points_test');
    expect(row).toMatchObject({ value: null, status: 'too_few', raw: '..', n: null, units: 0, excluded_units: 1 });
  });

  it('prefers the Riket row, and leaves out "..", "." and "~100" units when pooling several', async () => {
    const header = [
      'Statistik från Skolverket',
      'Grundskola - Relationen mellan nationella prov och slutbetyg årskurs 9',
      'Valt läsår: 2023/24',
      'Skola;Skolkommun;Kommun-kod;Matematik, antal elever med provbetyg och slutbetyg;Matematik, andel (%) elever med högre slutbetyg jämfört med provbetyget;',
    ];
    const rows = ['Riket;;;90 000;20,0;', 'A-skolan;Ale;1440;40;10,0;', 'B-skolan;Ale;1440;60;30,0;', 'C-skolan;Ale;1440;..;..;', 'D-skolan;Ale;1440;8;.;', 'E-skolan;Ale;1440;12;~100;'];
    const table = await parse('syntetisk.csv', [...header, ...rows, ''].join('\n'));
    expect(find(table, { unit: 'Riket' })).toMatchObject({ unit_kind: 'nation', n: 90000, value: 0.2 });
    expect(poolReference(table)).toEqual([
      expect.objectContaining({ label: 'Riket', value: 0.2, n: 90000, units: 1, excluded_units: 0 }),
    ]);
    const ale = poolReference(table, { unit: 'Ale' });
    expect(ale).toHaveLength(1);
    expect(ale[0]?.value).toBeCloseTo((40 * 0.1 + 60 * 0.3) / 100, 12);
    expect(ale[0]).toMatchObject({ n: 100, units: 2, excluded_units: 3, label: 'Ale (5 skolor)', status: 'ok' });
  });

  it('pools a "~100" share A–E at (n − 2,5)/n and counts it; a single "~100" unit stays rounded', async () => {
    const text = [
      'Statistik från Skolverket',
      'Grundskola - Resultat nationella prov årskurs 9, provbetyg per kön - Engelska',
      'Valt läsår: 2023/24',
      ';;;;;;Antal elever med provbetyg A-F;Andel (%) med provbetyg A-E;',
      'Kommun;Kommun-kod;Län;Läns-kod;Typ av huvudman;Ämne;Totalt;Totalt;',
      'A-stad;0001;X län;01;Samtliga;Engelska;40;90,0;',
      'B-stad;0002;X län;01;Samtliga;Engelska;20;~100;',
      'C-stad;0003;X län;01;Samtliga;Engelska;..;..;',
      '',
    ].join('\n');
    const table = await parse('np.csv', text);
    // (40 · 0,90 + 20 · 17,5/20) / 60 = 53,5 / 60.
    const all = poolReference(table).find((row) => row.metric === 'share_pass_test');
    expect(all?.value).toBeCloseTo(53.5 / 60, 12);
    expect(all).toMatchObject({ n: 60, units: 2, excluded_units: 1, rounded_units: 1, status: 'ok' });
    const alone = poolReference(table, { unit: 'B-stad' }).find((row) => row.metric === 'share_pass_test');
    expect(alone).toMatchObject({ value: null, status: 'rounded', raw: '~100', rounded_units: 0 });
  });

  it('pools a list of units ("similar municipalities"), each of which must exist', async () => {
    const table = await readReferenceFile(NP_2024);
    const pooled = poolReference(table, { unit: 'Ale, Alingsås, 0180' });
    const en = pooled.find((row) => row.subject === 'EN' && row.gender === 'all' && row.metric === 'share_pass_test');
    // Samtliga rows: Ale 371 × 98,1 %, Alingsås 511 × 97,5 %, Stockholm 9 826 × 98,7 %.
    expect(en?.value).toBeCloseTo((371 * 0.981 + 511 * 0.975 + 9826 * 0.987) / (371 + 511 + 9826), 12);
    expect(en).toMatchObject({ n: 10708, units: 3, excluded_units: 0, label: 'Ale, Alingsås och Stockholm' });
    const points = pooled.find((row) => row.subject === 'EN' && row.gender === 'all' && row.metric === 'mean_points_test');
    expect(points?.value).toBeCloseTo((371 * 15.7 + 511 * 15.5 + 9826 * 17.0) / 10708, 12);
    expect(() => poolReference(table, { unit: 'Ale, Atlantis' })).toThrow(/no unit "Atlantis"/);
  });

  it('says which hand-typed share columns were read as fractions', async () => {
    const table = await parse('typed.csv', 'subject;grade_level;school_year;share_lower;share_same\nMA;9;2023/24;0,8;70 %\n');
    expect(find(table, { metric: 'share_lower' }).value).toBe(0.8);
    expect(find(table, { metric: 'share_same' }).value).toBe(0.7);
    expect(table.notes).toEqual([
      {
        sv: 'typed.csv: share_lower lästes som andelar (0,27 = 27 %) eftersom inget värde har % eller är över 1; är de procent, skriv % efter dem (0,8 %)',
        en: 'typed.csv: share_lower read as fractions (0,27 = 27 %) since no value has % or is above 1; if they are percentages, write % after them (0,8 %)',
      },
    ]);
    expect((await parse('p.csv', 'subject;grade_level;school_year;share_lower\nMA;9;2023/24;5\n')).notes).toEqual([]);
  });

  it('with nothing poolable says too_few when every unit was "..", otherwise missing', async () => {
    const header =
      'Statistik från Skolverket\nGrundskola - Relationen mellan nationella prov och slutbetyg årskurs 9\nValt läsår: 2023/24\n' +
      'Skola;Skolkommun;Engelska, antal elever med provbetyg och slutbetyg;Engelska, andel (%) elever med lägre slutbetyg jämfört med provbetyget;\n';
    const tooFew = await parse('a.csv', `${header}A;Ale;..;..;\nB;Ale;..;..;\n`);
    expect(poolReference(tooFew, { unit: 'Ale' })[0]).toMatchObject({ status: 'too_few', value: null, n: null, units: 0, excluded_units: 2 });
    const mixed = await parse('b.csv', `${header}A;Ale;..;..;\nB;Ale;20;.;\n`);
    expect(poolReference(mixed, { unit: 'Ale' })[0]).toMatchObject({ status: 'missing', value: null, units: 0, excluded_units: 2 });
    // A value whose n is not given can only stand alone.
    const noCount = await parse('c.csv', `${header}A;Ale;.;12,5;\nB;Ale;20;10,0;\n`);
    expect(poolReference(noCount, { unit: 'Ale' })[0]).toMatchObject({ value: 0.1, n: 20, units: 1, excluded_units: 1 });
    expect(poolReference(noCount, { unit: 'A' })[0]).toMatchObject({ value: 0.125, n: null, units: 1, excluded_units: 0 });
  });

  it('throws for a unit that is not in the file, suggesting units that are', async () => {
    const table = await readReferenceFile(NP_2024);
    const error = await inputError(() => poolReference(table, { unit: 'Stokholm' }));
    expect(error.message).toMatch(/np-ak9-2024-kommun\.csv: no unit "Stokholm"/);
    expect(error.message).toContain('"Stockholm"');
    const none = await inputError(() => poolReference(table, { unit: 'Atlantis' }));
    expect(none.message).toContain('"Ale", "Alingsås"');
    expect((await inputError(() => poolReference(table, { provider: 'Statlig' }))).message).toContain('"Enskild", "Kommunal", "Samtliga"');
  });
});

describe('parseReference: the simple, hand-typed layout', () => {
  it('reads percent columns, fraction columns, decimal commas, tokens, and skips a bad line with the reason', async () => {
    const file = [
      'ämne;årskurs;läsår;enhet;kön;andel_högre;andel_lika;share_lower;mean_points_test;n',
      'Svenska;9;2023/24;Riket;Totalt;34,8 %;60,9;0,043;13,1;46',
      'MA;åk 9;VT24;Riket;Flickor;..;.;0.5;12;1 200',
      'EN;9;2024;Riket;pojkar;~100;2,5;0;15,75;',
      'Engelska;9;2023/24;Riket;all;12,x;50;0,1;14;10',
      'Fysik;9;2023/24;Riket;all;1;2;0,2;14;10',
      'Latin;9;2023/24;Riket;all;1;2;0,2;14;10',
      '',
    ].join('\n');
    const table = await parse('handskrivet.csv', file);
    expect(table).toMatchObject({ layout: 'simple', publisher: null, title: null, school_year: null });
    const sv = table.values.filter((value) => value.line === 2);
    expect(sv.map((value) => [value.metric, value.value, value.raw])).toEqual([
      ['share_higher', 0.348, '34,8 %'],
      ['share_same', 0.609, '60,9'],
      ['share_lower', 0.043, '0,043'],
      ['mean_points_test', 13.1, '13,1'],
    ]);
    expect(sv[0]).toMatchObject({ unit: 'Riket', unit_kind: 'nation', subject: 'SV', grade_level: 9, school_year: '2023/24', gender: 'all', n: 46, status: 'ok' });
    const ma = table.values.filter((value) => value.line === 3);
    expect(ma.map((value) => [value.status, value.value])).toEqual([
      ['too_few', null],
      ['missing', null],
      ['ok', 0.5],
      ['ok', 12],
    ]);
    expect(ma[0]).toMatchObject({ gender: 'F', school_year: '2023/24', n: 1200 });
    const en = table.values.filter((value) => value.line === 4);
    expect(en.map((value) => [value.status, value.value])).toEqual([
      ['rounded', null],
      ['ok', 0.025],
      ['ok', 0],
      ['ok', 15.75],
    ]);
    expect(en[0]).toMatchObject({ gender: 'M', n: null, raw: '~100' });
    expect(table.skipped.map((skip) => [skip.line, skip.reason.en])).toEqual([
      [5, 'column "andel_högre": "12,x" is not a number, "..", "." or "~100"'],
      [7, 'unknown subject "Latin" in column "ämne"'],
    ]);
    expect(table.skipped.map((skip) => skip.reason.sv)).toEqual(['kolumnen "andel_högre": "12,x" är inte ett tal, "..", "." eller "~100"', 'okänt ämne "Latin" i kolumnen "ämne"']);
    // Fysik is read (the column is percent, so "1" is 1 %).
    expect(table.values.find((value) => value.line === 6 && value.metric === 'share_higher')).toMatchObject({ subject: 'FY', value: 0.01 });
  });

  it('reads a comma-separated file of fractions with English headers and a default unit', async () => {
    const file = 'subject,grade_level,school_year,gender,share_higher,share_pass_grade\r\nMA,6,2024/25,F,0.25,"0,9"\r\nSV,6,2024/25,boys,1,0.75\r\n';
    const table = await parse('en.csv', file);
    expect(table.skipped).toEqual([]);
    expect(table.values.map((value) => [value.subject, value.gender, value.metric, value.value, value.unit, value.unit_kind])).toEqual([
      ['MA', 'F', 'share_higher', 0.25, 'Referens', 'other'],
      ['MA', 'F', 'share_pass_grade', 0.9, 'Referens', 'other'],
      ['SV', 'M', 'share_higher', 1, 'Referens', 'other'],
      ['SV', 'M', 'share_pass_grade', 0.75, 'Referens', 'other'],
    ]);
    expect(poolReference(table)[0]).toMatchObject({ label: 'Referens', subject: 'MA', gender: 'F', metric: 'share_higher', value: 0.25 });
  });

  it('names the missing columns', async () => {
    const error = await inputError(() => parse('halv.csv', 'subject;share_higher\nSV;12\n'));
    expect(error.message).toMatch(/^halv\.csv:1: missing columns grade_level, school_year/);
  });

  it('the example file agrees with the figures in Skolverket\'s table it was typed from', async () => {
    const simple = await readReferenceFile(`${DIR}/simple-example.csv`);
    const np = await readReferenceFile(NP_2024);
    expect(simple.skipped).toEqual([]);
    expect(simple.values).toHaveLength(8);
    for (const typed of simple.values) {
      const published = find(np, { unit: 'Ale', provider: 'Samtliga', gender: 'all', subject: typed.subject, metric: typed.metric });
      expect([typed.value, typed.status, typed.n, typed.school_year, typed.grade_level]).toEqual([
        published.value,
        published.status,
        published.n,
        published.school_year,
        published.grade_level,
      ]);
    }
  });
});
