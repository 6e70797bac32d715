/**
 * Background columns (normalise/background.ts): which column a word names, what a cell means
 * (Ja/Nej, 1/0, X and blank, true/false, categories, the config's values), a pupil's value per
 * school year, and rows that disagree. Ids are synthetic (not personnummer).
 */
import { describe, expect, it } from 'vitest';
import { backgroundSpec, BackgroundTable, cellValue, classifyCell, classifyColumn, DISAGREE, isPersonalHeader, matchBackground, NO, NO_VALUE, OTHER_VALUE, personalShape, YES, type BackgroundSpec } from '../../src/normalise/background.js';
import { readExports, type ReadResult } from '../../src/normalise/ingest.js';
import type { InputSource } from '../../src/read/inputs.js';
import type { Config } from '../../src/config.js';

/** Each cell's value once the column's cells are all known (as FileBackground does at the end of a file). */
function column(cells: readonly string[], values: Record<string, string> = {}): (number | string)[] {
  const table = new BackgroundTable([]);
  const classified = cells.map((cell) => classifyCell(cell, values));
  const style = classifyColumn(classified.map((cell) => cell.cls));
  return classified.map((cell) => {
    const value = cellValue(cell, style, (label) => table.category(label));
    return value === YES ? 'yes' : value === NO ? 'no' : value === NO_VALUE ? '–' : (table.categories[value] ?? '?');
  });
}

describe('a cell and its column', () => {
  it('Ja/Nej, J/N, yes/no, true/false, sant/falskt in any case are yes and no; a blank cell there says nothing', () => {
    expect(column(['Ja', 'Nej', 'ja', 'NEJ', 'J', 'N', '', 'true', 'False', 'Sant', 'falskt', 'yes', 'No'])).toEqual(['yes', 'no', 'yes', 'no', 'yes', 'no', '–', 'yes', 'no', 'yes', 'no', 'yes', 'no']);
  });

  it('1/0 are yes and no in a column of only 1/0 (and yes/no words); a blank cell says nothing', () => {
    expect(column(['1', '0', '', ' 1 '])).toEqual(['yes', 'no', '–', 'yes']);
    expect(column(['1', 'Nej'])).toEqual(['yes', 'no']);
  });

  it('X (or ✓) with blank: X is yes and a blank cell no; with Nej or 0 beside it a blank cell says nothing', () => {
    expect(column(['X', '', 'x', ''])).toEqual(['yes', 'no', 'yes', 'no']);
    expect(column(['✓', ''])).toEqual(['yes', 'no']);
    expect(column(['X', '', 'Nej'])).toEqual(['yes', '–', 'no']);
    expect(column(['X', '', '0'])).toEqual(['yes', '–', 'no']);
  });

  it('saknas, okänd, vet ej, NA and - say nothing, like a blank cell', () => {
    expect(column(['Ja', 'saknas', 'Okänd', 'vet ej', 'NA', '-'])).toEqual(['yes', '–', '–', '–', '–', '–']);
  });

  it('any other value is a category of its own, the same whatever its case and spacing; in such a column 1, 0 and X are categories as written', () => {
    expect(column(['förgymnasial', 'Gymnasial', 'gymnasial ', 'eftergymnasial', ''])).toEqual(['förgymnasial', 'Gymnasial', 'Gymnasial', 'eftergymnasial', '–']);
    expect(column(['1', '2', '3', '0'])).toEqual(['1', '2', '3', '0']);
    expect(column(['X', 'Z'])).toEqual(['X', 'Z']);
    // Yes and no words stay yes and no beside categories.
    expect(column(['Ja', 'Nej', 'Kanske'])).toEqual(['yes', 'no', 'Kanske']);
  });

  it('a personnummer in a background cell (a shifted column) is read as blank, never as a category, and counted under its reason', () => {
    expect(classifyCell('20130412-9826', {})).toEqual({ cls: 'blank', label: '', reason: 'personal_id' });
    expect(column(['Ja', '201304129826'])).toEqual(['yes', '–']);
  });

  it("the config's values map cells (folded) to categories, '' to nothing; a value they do not name is its own, counted under its reason", () => {
    const values = { ja: 'Nyanländ', nej: 'Inte nyanländ', 'uppgift saknas': '' };
    expect(column(['JA', 'Nej', 'Uppgift saknas', 'Kanske'], Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/\s/g, ''), v])))).toEqual(['Nyanländ', 'Inte nyanländ', '–', 'Kanske']);
    expect(classifyCell('Kanske', { ja: 'Nyanländ' })).toEqual({ cls: 'category', label: 'Kanske', reason: 'unmapped' });
    expect(classifyCell('Ja', {}).reason).toBeUndefined();
    // A cell that already says a category the config maps to is that category, not an unmapped value.
    expect(classifyCell('inte NYANLÄND', { nej: 'Inte nyanländ' })).toEqual({ cls: 'mapped', label: 'Inte nyanländ' });
  });
});

describe('which column a word names', () => {
  it('the usual factors by their Swedish name, their key or a header exports use; any other word is a column of that header', () => {
    expect(backgroundSpec('nyanländ')).toMatchObject({ key: 'bg_newly_arrived', kind: 'usual', label: { sv: 'Nyanländ', en: 'Newly arrived' } });
    expect(backgroundSpec('NYANLAND')?.key).toBe('bg_newly_arrived');
    expect(backgroundSpec('newly_arrived')?.key).toBe('bg_newly_arrived');
    expect(backgroundSpec('Nyanländ (inom fyra år)')?.key).toBe('bg_newly_arrived');
    expect(backgroundSpec('åtgärdsprogram')?.key).toBe('bg_special_support');
    expect(backgroundSpec('svenska som andraspråk')?.key).toBe('bg_second_language');
    expect(backgroundSpec('modersmål')?.key).toBe('bg_mother_tongue');
    expect(backgroundSpec('föräldrarnas utbildningsnivå')?.key).toBe('bg_parental_education');
    expect(backgroundSpec('Elevens stödnivå')).toEqual({ key: 'bg_elevens_stodniva', kind: 'column', label: { sv: 'Elevens stödnivå', en: 'Elevens stödnivå' }, headers: ['Elevens stödnivå'], values: {} });
    expect(backgroundSpec(' -- ')).toBeNull();
  });

  it('a config entry by its key, its label or one of its columns, with its values folded', () => {
    const config = { stod: { columns: ['Stödnivå', 'Stöd'], label: 'Stödnivå', values: { 'Extra anpassningar': 'Anpassningar', ' Ingen ': 'Inget stöd' } } };
    const spec = backgroundSpec('stöd', config);
    expect(spec).toEqual({ key: 'bg_stod', kind: 'config', label: { sv: 'Stödnivå', en: 'Stödnivå' }, headers: ['Stödnivå', 'Stöd'], values: { extraanpassningar: 'Anpassningar', ingen: 'Inget stöd' } });
    expect(backgroundSpec('stod', config)?.key).toBe('bg_stod');
    // A config key of a usual factor adds its columns to the usual headers, and keeps its name.
    const usual = backgroundSpec('nyanländ', { nyanland: { columns: 'Ankommen' } });
    expect(usual).toMatchObject({ key: 'bg_newly_arrived', kind: 'config', label: { sv: 'Nyanländ' } });
    expect(usual?.headers.slice(0, 2)).toEqual(['Ankommen', 'Nyanländ']);
  });

  it("a file's column: the spec's first header that the file has and no field took", () => {
    const specs = [backgroundSpec('nyanländ'), backgroundSpec('Stöd')] as BackgroundSpec[];
    expect(matchBackground(['Elev', 'Nyanländ elev', 'stöd'], specs, new Set([0]))).toEqual([1, 2]);
    expect(matchBackground(['Elev', 'Stöd'], specs, new Set([1]))).toEqual([-1, -1]);
  });

  it('columns that say who a pupil is are named as such (never a dimension)', () => {
    for (const header of ['Förnamn', 'Efternamn', 'Elevens namn', 'Namn', 'E-post', 'Födelsedatum', 'Vårdnadshavare', 'first_name', 'Förälders födelsedatum', 'Vårdnadshavares namn', 'Förälder 1']) expect(isPersonalHeader(header), header).toBe(true);
    for (const header of ['Nyanländ', 'Elevens stödnivå', 'Modersmål']) expect(isPersonalHeader(header), header).toBe(false);
  });

  it('a header that contains a personal word, or names a person and nothing else, is personal wherever the word stands', () => {
    const personal = [
      // names, and a pupil named by a bare header
      'Elev', 'ELEV', 'Eleven', 'Elevens namn', 'Elev (namn)', 'Elevens för- och efternamn', 'Student', 'Pupil', 'Barn', 'Elev 2',
      // guardians, by any header
      'Vårdnadshavare 1', 'Vårdnadshavare 2 namn', 'Förälder', 'Förälder 1', 'Guardian', 'Parent 2', 'Kontaktperson', 'Kontakt', 'Kontaktuppgifter', 'Anhörig',
      // contact details
      'E-postadress', 'Epost', 'Email', 'e-mail', 'Mailadress', 'Vårdnadshavare 1 e-post', 'Föräldrarnas e-post', 'Adress', 'Gatuadress', 'Postadress',
      'Postnummer', 'Postnr', 'Ort', 'Bostadsort', 'Postort', 'Telefon', 'Telefonnummer hem', 'Mobilnummer', 'Mobil', 'Tel', 'Phone number',
      // birth dates and ids
      'Födelsedatum (ÅÅMMDD)', 'Födelsedatum', 'Född', 'Födelseår', 'Date of birth', 'birthdate', 'Personnummer', 'Personnr', 'Samordningsnummer',
      'Pnr', 'Elev-ID', 'ElevID', 'ID', 'Person-id',
    ];
    for (const header of personal) expect(isPersonalHeader(header), header).toBe(true);
    const background = [
      // an attribute of the pupil, not who the pupil is
      'Elevens stödnivå', 'Elevens val', 'Elevhälsa', 'Elevens modersmål', 'Stödform', 'Sportprofil', 'Rapport', 'Skolenhets-ID', 'Nyanländ elev',
      // the usual factors, parents' education included, and what a header tells about guardians
      'Föräldrarnas utbildningsnivå', 'Föräldrars utbildningsnivå', 'Vårdnadshavares utbildningsnivå', 'parental_education', 'Föräldrarnas yrke',
      'Guardian education', 'Svenska som andraspråk', 'Åtgärdsprogram', 'ÅP', 'Modersmål',
      // a country of birth is a background, not a birth date
      'Födelseland', 'Född i Sverige', 'Född utomlands', 'Country of birth',
      // the parents' country of birth and income are background too (found by review)
      'Föräldrarnas födelseland', 'Föräldrar födda utomlands', 'Föräldrarnas inkomst', 'Svensk/utländsk bakgrund',
    ];
    for (const header of background) expect(isPersonalHeader(header), header).toBe(false);
  });

  it('cells that say who someone is: e-mail addresses, dates and birth dates, names of two capitalised words; not categories', () => {
    for (const cell of ['anna.testsson@example.se', 'a@b.co']) expect(personalShape(cell), cell).toBe('email');
    for (const cell of ['2011-04-12', '2011/4/12', '12.4.2011', '12/04/11', '110412', '20110412']) expect(personalShape(cell), cell).toBe('date');
    for (const cell of ['Anna Testsson', 'Anna-Karin Testsson', 'Testsson, Anna', 'Per Olof Åberg']) expect(personalShape(cell), cell).toBe('name');
    for (const cell of ['Extra anpassningar', 'Särskilt stöd', 'Ingen', 'Arabiska', 'gymnasial', 'Ja', '1', '2024', '123456', '20111332', 'X', 'ANNA TESTSSON']) {
      expect(personalShape(cell), cell).toBeNull();
    }
  });
});

describe('a pupil per school year', () => {
  it('the table takes one value per pupil and year; a second, different value makes it disagree, counted once', () => {
    const table = new BackgroundTable([backgroundSpec('nyanländ') as BackgroundSpec]);
    const a = table.pupilYear(0, 0);
    const b = table.pupilYear(0, 1);
    expect(table.merge(0, a, YES)).toBe(false);
    expect(table.merge(0, a, YES)).toBe(false);
    expect(table.merge(0, b, NO)).toBe(false);
    expect(table.merge(0, a, NO)).toBe(true);
    expect(table.merge(0, a, YES)).toBe(false);
    expect(table.merge(0, a, NO_VALUE)).toBe(false);
    expect([table.valueOf(0, 0, 0), table.valueOf(0, 0, 1), table.valueOf(0, 1, 0)]).toEqual([DISAGREE, NO, NO_VALUE]);
    expect(table.disagreements).toEqual([1]);
  });

  it('pupils per category over all school years; categories fewer than min-group pupils have are pooled into (övriga), yes and no never', () => {
    const table = new BackgroundTable([backgroundSpec('modersmål') as BackgroundSpec, backgroundSpec('nyanländ') as BackgroundSpec]);
    const arabic = table.category('Arabiska');
    const tigrinya = table.category('Tigrinja');
    const somali = table.category('Somaliska');
    // 12 pupils speak Arabic (pupil 0 in two school years: one pupil), 1 Tigrinja, 2 Somali; 1 pupil is newly arrived.
    for (let pupil = 0; pupil < 12; pupil++) table.merge(0, table.pupilYear(pupil, 0), arabic);
    table.merge(0, table.pupilYear(0, 1), arabic);
    table.merge(0, table.pupilYear(12, 0), tigrinya);
    table.merge(0, table.pupilYear(13, 0), somali);
    table.merge(0, table.pupilYear(14, 1), somali);
    table.merge(1, table.pupilYear(12, 0), YES);
    for (let pupil = 0; pupil < 12; pupil++) table.merge(1, table.pupilYear(pupil, 0), NO);
    expect(table.pupilsOf(0)).toEqual({ valued: 15, categories: new Map([[arabic, 12], [tigrinya, 1], [somali, 2]]) });
    expect(table.poolRare(0, 10)).toEqual({ categories: 2, pupils: 3 });
    const other = table.categories.indexOf(OTHER_VALUE);
    expect(OTHER_VALUE).toBe('(övriga)');
    expect([table.valueOf(0, 0, 0), table.valueOf(0, 0, 1), table.valueOf(0, 12, 0), table.valueOf(0, 13, 0), table.valueOf(0, 14, 1), table.valueOf(0, 15, 0)]).toEqual([arabic, arabic, other, other, other, NO_VALUE]);
    // Yes and no are not categories: one newly arrived pupil stays yes (a small group, hidden by suppression).
    expect(table.poolRare(1, 10)).toEqual({ categories: 0, pupils: 0 });
    expect(table.valueOf(1, 12, 0)).toBe(YES);
    // Pooled once, nothing is left to pool.
    expect(table.poolRare(0, 10)).toEqual({ categories: 0, pupils: 0 });
  });
});

function source(name: string, text: string): InputSource {
  return { name, path: name, fromFolder: false, open: async function* () { yield Buffer.from(text); } };
}

async function read(files: Record<string, string>, words: string[], config: Config = {}): Promise<ReadResult> {
  const specs = words.map((word) => backgroundSpec(word, config.background ?? {})) as BackgroundSpec[];
  return readExports(Object.entries(files).map(([name, text]) => source(name, text)), { config, areas: new Map(), allowUnusable: true, background: specs });
}

function valueOf(result: ReadResult, dim: number, pupil: string, startYear: number): string {
  const table = result.store.background;
  if (!table) throw new Error('no background table');
  const value = table.valueOf(dim, result.store.findPupil(pupil), result.store.yearIndex(startYear));
  return value === NO_VALUE ? '(saknas)' : value === DISAGREE ? '(okänd)' : (table.categories[value] ?? '?');
}

const HEAD = 'Elev;Skola;Årskurs;Läsår;Ämne;Betyg;Nyanländ';

describe('reading exports with a background column', () => {
  it('values per school year: a pupil newly arrived in 2022/23 and not in 2023/24 is each in its year; rows of one year that disagree make that year (okänd), counted, with the line', async () => {
    const result = await read(
      {
        'a.csv': [HEAD, 'P1;S;5;2022/23;Matematik;C;Ja', 'P1;S;6;2023/24;Matematik;C;Nej', 'P2;S;6;2023/24;Matematik;B;Ja', 'P2;S;6;2023/24;Engelska;B;Nej', 'P3;S;6;2023/24;Matematik;B;', 'P4;S;6;2023/24;Matematik;A;Nej', 'P4;S;6;2023/24;Engelska;A;'].join('\n'),
      },
      ['nyanländ'],
    );
    expect(valueOf(result, 0, 'P1', 2022)).toBe('yes');
    expect(valueOf(result, 0, 'P1', 2023)).toBe('no');
    expect(valueOf(result, 0, 'P2', 2023)).toBe('(okänd)');
    expect(valueOf(result, 0, 'P3', 2023)).toBe('(saknas)');
    // A blank cell beside a value says nothing: no conflict.
    expect(valueOf(result, 0, 'P4', 2023)).toBe('no');
    expect(result.store.background?.disagreements).toEqual([1]);
    expect(result.files[0]?.background).toEqual([
      {
        key: 'bg_newly_arrived',
        header: 'Nyanländ',
        style: 'yes_no',
        conflicts: { count: 1, lines: [5] },
        unread: { personal_id: 0, unmapped: {} },
        shapes: { rows: 5, email: 0, date: 0, name: 0, personal_id: 0 },
      },
    ]);
    // Every row is still read and accepted: a background value never drops a result.
    expect(result.files[0]?.ledger.accepted).toBe(7);
  });

  it('across files: Ja/Nej in one, 1/0 in the other, each judged by its own column; a pupil-year they disagree on is counted once, at the later file', async () => {
    const result = await read(
      {
        'betyg.csv': [HEAD, 'P1;S;9;2024/25;Matematik;C;Ja', 'P2;S;9;2024/25;Matematik;C;Nej', 'P3;S;9;2024/25;Matematik;C;Nej'].join('\n'),
        'prov.csv': ['Elev;Skola;Årskurs;Läsår;Ämne;Provbetyg;Nyanländ inom 4 år', 'P1;S;9;2024/25;MA;C;1', 'P2;S;9;2024/25;MA;C;1', 'P3;S;9;2024/25;MA;C;0'].join('\n'),
      },
      ['nyanländ'],
    );
    expect(['P1', 'P2', 'P3'].map((pupil) => valueOf(result, 0, pupil, 2024))).toEqual(['yes', '(okänd)', 'no']);
    expect(result.store.background?.disagreements).toEqual([1]);
    expect(result.files.map((file) => file.background?.[0]?.conflicts)).toEqual([{ count: 0, lines: [] }, { count: 1, lines: [3] }]);
    expect(result.files[1]?.background?.[0]?.header).toBe('Nyanländ inom 4 år');
  });

  it('an X column: blank is no; a file without the column says nothing about its pupils', async () => {
    const result = await read(
      {
        'a.csv': ['Elev;Skola;Årskurs;Läsår;Ämne;Betyg;Åtgärdsprogram', 'P1;S;9;2024/25;Matematik;C;X', 'P2;S;9;2024/25;Matematik;C;'].join('\n'),
        'b.csv': ['Elev;Skola;Årskurs;Läsår;Ämne;Provbetyg', 'P3;S;9;2024/25;MA;C'].join('\n'),
      },
      ['åtgärdsprogram'],
    );
    expect(['P1', 'P2', 'P3'].map((pupil) => valueOf(result, 0, pupil, 2024))).toEqual(['yes', 'no', '(saknas)']);
    expect(result.files[1]?.background).toEqual([]);
  });

  it('cells not read as written are counted by reason: a personnummer (never shown), a value the config does not name', async () => {
    const config: Config = { background: { nyanland: { values: { ja: 'Nyanländ', nej: 'Inte nyanländ' } } } };
    const result = await read(
      { 'a.csv': [HEAD, 'P1;S;9;2024/25;Matematik;C;Ja', 'P2;S;9;2024/25;Matematik;C;Kanske', 'P2;S;9;2024/25;Engelska;C;Kanske', 'P3;S;9;2024/25;Matematik;C;20130412-9826'].join('\n') },
      ['nyanländ'],
      config,
    );
    expect(['P1', 'P2', 'P3'].map((pupil) => valueOf(result, 0, pupil, 2024))).toEqual(['Nyanländ', 'Kanske', '(saknas)']);
    // The value the config does not name is shown as the ledger shows a rejected value: by its shape.
    expect(result.files[0]?.background?.[0]?.unread).toEqual({ personal_id: 1, unmapped: { '[text, 6 characters]': 2 } });
  });

  it('a value the config does not name is counted by its shape (never its letters), even an ordinary word: it may be a name, or one pupil\'s rare value', async () => {
    const config: Config = { background: { nyanland: { values: { ja: 'Nyanländ' } } } };
    const result = await read(
      { 'a.csv': [HEAD, 'P1;S;9;2024/25;Matematik;C;Anna Testsson', 'P2;S;9;2024/25;Matematik;C;Ingen', 'P3;S;9;2024/25;Matematik;C;Maja Lindqvist', 'P4;S;9;2024/25;Matematik;C;Ja'].join('\n') },
      ['nyanländ'],
      config,
    );
    const column = result.files[0]?.background?.[0];
    expect(column?.unread).toEqual({ personal_id: 0, unmapped: { '[text, 13 characters]': 1, '[text, 5 characters]': 1, '[text, 14 characters]': 1 } });
    expect(JSON.stringify(column)).not.toMatch(/Anna|Testsson|Maja|Ingen/);
    // Two of the four rows look like names.
    expect(column?.shapes).toEqual({ rows: 4, email: 0, date: 0, name: 2, personal_id: 0 });
  });

  it('a column of e-mail addresses, birth dates or personnummer is counted by shape, per row', async () => {
    const result = await read(
      {
        'a.csv': [
          'Elev;Skola;Årskurs;Läsår;Ämne;Betyg;Info;Datum',
          'P1;S;9;2024/25;Matematik;C;p1@example.se;2011-04-12',
          'P1;S;9;2024/25;Engelska;C;p1@example.se;2011-04-12',
          'P2;S;9;2024/25;Matematik;C;20130412-9826;110923',
          'P3;S;9;2024/25;Matematik;C;;gymnasial',
        ].join('\n'),
      },
      ['Info', 'Datum'],
    );
    expect(result.files[0]?.background?.map((column) => column.shapes)).toEqual([
      { rows: 3, email: 2, date: 0, name: 0, personal_id: 1 },
      { rows: 4, email: 0, date: 3, name: 0, personal_id: 0 },
    ]);
  });
});
