/**
 * readExports on small in-memory files. Ids are synthetic (födelsenummer 98x, Skatteverket's
 * test series): 201304129826 (girl), 201304129818 (boy), 201304729823 (samordningsnummer).
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { pupilGender, readExports, type ReadOptions, type ReadResult } from '../../src/normalise/ingest.js';
import type { ReasonCount, RejectReason } from '../../src/normalise/ledger.js';
import type { Slot } from '../../src/normalise/store.js';
import type { InputSource } from '../../src/read/inputs.js';
import { parseSchoolYears } from '../../src/normalise/school-year.js';

const GIRL = '201304129826';
const BOY = '201304129818';

function source(name: string, text: string | Buffer): InputSource {
  return {
    name,
    path: name,
    fromFolder: false,
    open: async function* () {
      yield typeof text === 'string' ? Buffer.from(text) : text;
    },
  };
}

/** allowUnusable: these files are tiny, and a file of only rejected rows is tested on its own below. */
function options(config: Config = {}, areas: ReadonlyMap<string, string> = new Map()): ReadOptions {
  return { config, areas, allowUnusable: true };
}

async function read(text: string, config: Config = {}, areas: ReadonlyMap<string, string> = new Map()): Promise<ReadResult> {
  return readExports([source('x.csv', text)], options(config, areas));
}

function only<T>(values: Iterable<T>): T {
  const all = [...values];
  if (all.length !== 1) throw new Error(`expected exactly one value, got ${all.length}`);
  const [value] = all;
  if (value === undefined) throw new Error('expected a value');
  return value;
}

function firstReport(result: ReadResult): ReadResult['files'][number] {
  const report = result.files[0];
  if (!report) throw new Error('no file report');
  return report;
}

function rejected(result: ReadResult, reason: RejectReason): ReasonCount | undefined {
  return firstReport(result).ledger.rejected.get(reason);
}

function slotOf(result: ReadResult, pupil: string, subject: string): Slot | undefined {
  return [...result.store.slots.values()].find((slot) => slot.pupil === pupil && slot.subject === subject);
}

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('readExports: wide file', () => {
  const text = [
    'Personnummer;Skola;Klass;Läsår;Ämne;Kön;Betyg;Provbetyg',
    `${GIRL};Älvskolan;6B;2024/25;Matematik;Flicka;C;D`,
    `130412-9818;Älvskolan;6A;2024/25;EN;;B;-`,
  ].join('\n');

  it('reads both Betyg and Provbetyg into one slot', async () => {
    const result = await read(text);
    const slot = slotOf(result, GIRL, 'MA');
    expect(slot).toMatchObject({ pupil: GIRL, schoolYear: '2024/25', startYear: 2024, subject: 'MA' });
    expect(slot?.grade).toMatchObject({ step: 3, term: null, line: 2, file: 0, conflict: false, school: 'Älvskolan', class: '6B', gradeLevel: 6 });
    expect(slot?.test).toMatchObject({ step: 2, line: 2 });
  });

  it('a streck test is recorded as -1 and a 10-digit id is expanded with its century', async () => {
    const slot = slotOf(await read(text), BOY, 'EN');
    expect(slot?.grade?.step).toBe(4);
    expect(slot?.test?.step).toBe(-1);
  });

  it('describes the file', async () => {
    const report = firstReport(await read(text));
    expect(report).toMatchObject({
      file: 'x.csv',
      encoding: 'utf-8',
      bom: false,
      delimiter: ';',
      layout: 'wide',
      kinds: ['grade', 'test'],
      unmatchedHeaders: [],
      blankLines: 0,
      idFormats: { personnummer: 2, samordningsnummer: 0, opaque: 0 },
    });
    expect(report.columns).toEqual({
      student_id: 'Personnummer',
      school: 'Skola',
      class: 'Klass',
      school_year: 'Läsår',
      subject: 'Ämne',
      gender: 'Kön',
      grade: 'Betyg',
      test: 'Provbetyg',
    });
    expect(report.values).toEqual({ grade: { C: 1, B: 1 }, test: { D: 1, streck: 1 }, assessment: {} });
    expect(report.ledger.read).toBe(2);
    expect(report.ledger.accepted).toBe(2);
  });

  it('gender: the column where given, else from the personnummer', async () => {
    const result = await read(text);
    expect(pupilGender(result.store, GIRL)).toBe('girl');
    expect(result.store.genders.has(BOY)).toBe(false);
    expect(pupilGender(result.store, BOY)).toBe('boy');
  });

  it('an autumn-term grade goes to gradeAutumn, a spring one to grade', async () => {
    const result = await read(['Personnummer;Termin;Ämne;Betyg', `${GIRL};HT24;MA;D`, `${GIRL};VT25;MA;C`].join('\n'));
    const slot = slotOf(result, GIRL, 'MA');
    expect(slot?.gradeAutumn).toMatchObject({ step: 2, term: 'HT', line: 2 });
    expect(slot?.grade).toMatchObject({ step: 3, term: 'VT', line: 3 });
  });

  it('reads a comma-separated file with CRLF and a BOM', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`Personnummer,Läsår,Ämne,Betyg\r\n${GIRL},2024/25,SV,A\r\n`)]);
    const result = await readExports([source('x.csv', body)], options());
    expect(firstReport(result)).toMatchObject({ delimiter: ',', bom: true, encoding: 'utf-8' });
    expect(slotOf(result, GIRL, 'SV')?.grade?.step).toBe(5);
  });
});

describe('readExports: long file', () => {
  it('reads Typ/Resultat rows into the same slot', async () => {
    const result = await read(
      ['Personnummer;Läsår;Ämne;Typ;Resultat', `${GIRL};2024/25;MA;Terminsbetyg;C`, `${GIRL};2024/25;MA;Provbetyg;E`].join('\n'),
    );
    const report = firstReport(result);
    expect(report.layout).toBe('long');
    expect(report.kinds).toEqual(['grade', 'test']);
    const slot = slotOf(result, GIRL, 'MA');
    expect(slot?.grade).toMatchObject({ step: 3, line: 2 });
    expect(slot?.test).toMatchObject({ step: 1, line: 3 });
    expect(result.store.slots.size).toBe(1);
  });

  it('reads an omdöme', async () => {
    const result = await read(['Elev;År;Ämne;Typ;Resultat', `${GIRL};VT25;SV;Omdöme;Godtagbara kunskaper`].join('\n'));
    expect(slotOf(result, GIRL, 'SV')?.assessment).toMatchObject({ pass: true, step: null, label: 'godtagbar', line: 2 });
    expect(firstReport(result).values.assessment).toEqual({ godtagbar: 1 });
  });

  it('a -1 omdöme is recorded as missing, not as a fail', async () => {
    const result = await read(['Elev;År;Ämne;Typ;Resultat', `${GIRL};VT25;SV;Omdöme;-1`].join('\n'));
    expect(slotOf(result, GIRL, 'SV')?.assessment).toMatchObject({ pass: null, label: 'missing' });
  });

  it('uses kind names from the config', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Typ;Resultat', `${GIRL};2024/25;MA;NP åk 6;B`].join('\n'), {
      kinds: { 'NP åk 6': 'test' },
    });
    expect(slotOf(result, GIRL, 'MA')?.test?.step).toBe(4);
  });
});

describe('readExports: rejected rows', () => {
  const text = [
    'Personnummer;Läsår;Ämne;Betyg', // 1
    `${GIRL};2024/25;MA;VG`, // 2 old scale
    `${GIRL};2024/25;Xyz;C`, // 3 unknown subject
    `${GIRL};2024/26;MA;C`, // 4 bad year
    ';2024/25;MA;C', // 5 missing id
    `${GIRL};2024/25;MA`, // 6 wrong field count
    `${GIRL};2024/25;MA;C+`, // 7 not a grade
    `${GIRL};2024/25;MA;C;;`, // 8 accepted: trailing empty fields are harmless
    `${BOY};läsår?;EN;B;x`, // 9 wrong field count (a non-empty extra field)
  ].join('\n');

  it.each([
    ['old_grade_scale', [2]],
    ['unknown_subject', [3]],
    ['invalid_school_year', [4]],
    ['missing_id', [5]],
    ['field_count', [6, 9]],
    ['invalid_grade', [7]],
  ] as const)('%s on lines %j', async (reason, lines) => {
    expect(rejected(await read(text), reason)).toEqual({ count: lines.length, lines: [...lines] });
  });

  it('read = accepted + rejected', async () => {
    const { ledger } = firstReport(await read(text));
    expect(ledger.read).toBe(8);
    expect(ledger.accepted).toBe(1);
    expect(ledger.rejectedTotal).toBe(7);
  });

  it('keeps the offending value beside the reason', async () => {
    const { ledger } = firstReport(await read(text));
    // "Xyz" could be a name: only its shape is kept (rawValues keeps it as it is; see below).
    expect(ledger.details.get('unknown_subject')).toEqual(new Map([['[text, 3 characters]', 1]]));
    expect(ledger.details.get('old_grade_scale')).toEqual(new Map([['VG', 1]]));
    expect(ledger.details.get('invalid_school_year')).toEqual(new Map([['2024/26', 1]]));
    expect(ledger.details.get('field_count')).toEqual(new Map([['3 of 4', 1], ['5 of 4', 1]]));
  });

  it('a row is used whole or not at all: a bad Provbetyg drops the row, Betyg included', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg;Provbetyg', `${GIRL};2024/25;MA;C;MVG`].join('\n'));
    expect(rejected(result, 'old_grade_scale')).toEqual({ count: 1, lines: [2] });
    expect(result.store.slots.size).toBe(0);
  });

  it('unknown kind in a long file', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Typ;Resultat', `${GIRL};2024/25;MA;Frånvaro;12`].join('\n'));
    expect(rejected(result, 'unknown_kind')).toEqual({ count: 1, lines: [2] });
    expect(firstReport(result).ledger.details.get('unknown_kind')).toEqual(new Map([['Frånvaro', 1]]));
  });

  it('unknown assessment label', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Omdöme', `${GIRL};2024/25;SV;Godtagbar`, `${GIRL};2024/25;EN;kanske`].join('\n'));
    expect(rejected(result, 'invalid_assessment')).toEqual({ count: 1, lines: [3] });
    expect(firstReport(result).ledger.accepted).toBe(1);
  });

  it('reports the physical line of rows after a multi-line quoted cell', async () => {
    const result = await read(['Personnummer;Skola;Läsår;Ämne;Betyg', `${GIRL};"Skola\nmed\nradbrytning";2024/25;MA;C`, `${GIRL};Ek;2024/25;Xyz;C`].join('\n'));
    expect(rejected(result, 'unknown_subject')).toEqual({ count: 1, lines: [5] });
  });

  it('keeps at most five example lines per reason', async () => {
    const rows = Array.from({ length: 7 }, () => `${GIRL};2024/25;Xyz;C`);
    const result = await read(['Personnummer;Läsår;Ämne;Betyg', ...rows].join('\n'));
    expect(rejected(result, 'unknown_subject')).toEqual({ count: 7, lines: [2, 3, 4, 5, 6] });
  });
});

describe('readExports: rows that repeat the row before in every field of their context', () => {
  // A pupil's rows in a row: the id, school year, school and (where there is one) class repeat.
  const rows = (header: string, line: (subject: string, grade: string) => string) =>
    [header, ...['MA', 'EN', 'SV', 'BI'].flatMap((subject, i) => [line(subject, 'ABCD'[i] ?? 'E'), line(subject, 'ABCD'[i] ?? 'E')])].join('\n');

  it('count every row of theirs in the file accounting: no level from anywhere, a level from the file name, an id format', async () => {
    const text = rows('Personnummer;Läsår;Skola;Ämne;Betyg', (subject, grade) => `${GIRL};2024/25;Ekskolan;${subject};${grade}`);
    const plain = firstReport(await readExports([source('betyg.csv', text)], options()));
    // 8 rows: 4 accepted, 4 exact duplicates (counted after the parse, as rejected).
    expect(plain.ledger.accepted).toBe(4);
    expect(plain.noLevel).toBe(8);
    expect(plain.idFormats.personnummer).toBe(8);
    const named = firstReport(await readExports([source('betyg_ak9.csv', text)], options()));
    expect(named.levelFromName).toBe(8);
    expect(named.noLevel).toBe(0);
  });

  it('keep the context of the row before: its autumn term, its school, its level from the class', async () => {
    const text = rows('Personnummer;Läsår;Klass;Skola;Ämne;Betyg', (subject, grade) => `${BOY};HT2024;6B;Björkskolan;${subject};${grade}`);
    const result = await read(text);
    for (const subject of ['MA', 'EN', 'SV', 'BI']) {
      const slot = slotOf(result, BOY, subject);
      expect(slot?.gradeAutumn).toMatchObject({ term: 'HT', school: 'Björkskolan', class: '6B', gradeLevel: 6 });
      expect(slot?.grade).toBeUndefined();
    }
    expect(firstReport(result).noLevel).toBe(0);
  });

  it('a row that repeats a rejected row is judged on its own', async () => {
    const text = [
      'Personnummer;Läsår;Skola;Ämne;Betyg', // 1
      `${GIRL};2024/26;Ekskolan;MA;C`, // 2 not a school year
      `${GIRL};2024/26;Ekskolan;EN;B`, // 3 repeats line 2: not a school year either
      `${GIRL};2024/25;Ekskolan;MA;C`, // 4
      `${GIRL};2024/25;Ekskolan;Xyz;C`, // 5 unknown subject
      `${GIRL};2024/25;Ekskolan;EN;B`, // 6 repeats line 5 (rejected), whose context line 4 had
    ].join('\n');
    const result = await read(text);
    expect(rejected(result, 'invalid_school_year')).toEqual({ count: 2, lines: [2, 3] });
    expect(rejected(result, 'unknown_subject')).toEqual({ count: 1, lines: [5] });
    expect(slotOf(result, GIRL, 'EN')?.grade).toMatchObject({ step: 4, line: 6, school: 'Ekskolan' });
  });
});

describe('readExports: an export with every field quoted', () => {
  it('reads as the same export without quotes: pupils, id formats, slots and accounting', async () => {
    const plain = [
      'Personnummer;Skola;Läsår;Ämne;Kön;Betyg',
      `${GIRL};Ekskolan;2024/25;MA;F;C`,
      `${GIRL};Ekskolan;2024/25;EN;F;B`,
      `20130412-9818;Ekskolan;2024/25;MA;P;A`,
      `20130412-9818;Ekskolan;2024/25;MA;P;A`, // a duplicate
      `201304729823;Björkskolan;2024/25;SV;;D`, // samordningsnummer
      ` ${GIRL};Björkskolan;2024/25;SV;F;E`,
      `E1234;Björkskolan;2024/25;SV;;F`, // another id
    ];
    const quote = (line: string) => line.split(';').map((field) => `"${field}"`).join(';');
    const a = await read(plain.join('\n'));
    const b = await read(plain.map(quote).join('\n'));
    const view = (result: ReadResult) => ({
      slots: [...result.store.slots.values()].map(({ grade, test, ...slot }) => ({ ...slot, grade: grade?.step, school: grade?.school, line: grade?.line })),
      formats: firstReport(result).idFormats,
      rejected: [...firstReport(result).ledger.rejected],
      accepted: firstReport(result).ledger.accepted,
    });
    expect(view(b)).toEqual(view(a));
    expect(view(a).formats).toEqual({ personnummer: 5, samordningsnummer: 1, opaque: 1 });
  });
});

describe('readExports: a gender cell that is not a gender', () => {
  const text = [
    'Personnummer;Läsår;Ämne;Kön;Betyg', // 1
    `${GIRL};2024/25;MA;X;C`, // 2 not a gender
    `${GIRL};2024/25;EN;Annat;B`, // 3 not a gender
    `${BOY};2024/25;MA;;A`, // 4 blank: nothing to note
    `${BOY};2024/25;EN;Pojke;B`, // 5
    `${BOY};2024/25;SV;Kalle Anka;B`, // 6 a name in the column: noted, never shown
    `${GIRL};2024/25;SV;X;Ä`, // 7 rejected (not a grade) before its gender is looked at
  ].join('\n');

  it('uses the rows and notes them apart from the rejections, with lines and values (a name never shown)', async () => {
    const result = await read(text);
    const { ledger } = firstReport(result);
    expect(ledger.read).toBe(6);
    expect(ledger.accepted).toBe(5);
    expect(ledger.unreadGender).toEqual({ count: 3, lines: [2, 3, 6] });
    expect([...ledger.unreadGenderValues].sort()).toEqual([
      ['Annat', 1],
      ['X', 1],
      ['[text, 10 characters]', 1],
    ]);
    // A row that turns out a duplicate is counted too (the note is made as the row is read).
    const twice = await read(['Personnummer;Läsår;Ämne;Kön;Betyg', `${GIRL};2024/25;MA;X;C`, `${GIRL};2024/25;MA;X;C`].join('\n'));
    expect(rejected(twice, 'duplicate')).toEqual({ count: 1, lines: [3] });
    expect(firstReport(twice).ledger.unreadGender).toEqual({ count: 2, lines: [2, 3] });
    // Words for no gender are shown as written; a name never.
    const spelled = await read(['Personnummer;Läsår;Ämne;Kön;Betyg', `${GIRL};2024/25;MA;Vet ej;C`, `${GIRL};2024/25;EN;Icke-binär;C`, `${BOY};2024/25;MA;Ej angivet;C`].join('\n'));
    expect([...firstReport(spelled).ledger.unreadGenderValues.keys()].sort()).toEqual(['Ej angivet', 'Icke-binär', 'Vet ej']);
    // The gender comes from the personnummer for the girl, from her other rows for the boy.
    expect(pupilGender(result.store, GIRL)).toBe('girl');
    expect(pupilGender(result.store, BOY)).toBe('boy');
    expect(slotOf(result, GIRL, 'MA')?.grade?.step).toBe(3);
  });
});

describe('readExports: a repeated start of a line is read as the line says', () => {
  it('a row rejected before its school was looked at does not leave the school before it to the next row', async () => {
    const result = await read(
      [
        'Personnummer;Skola;Läsår;Ämne;Betyg', // 1
        `${GIRL};Ekskolan;2024/25;MA;C`, // 2
        `${BOY};Björkskolan;2024/25;Xyz;B`, // 3 unknown subject: rejected before the school is read
        `${BOY};Björkskolan;2024/25;EN;B`, // 4 repeats line 3 up to the subject
        `${BOY};Björkskolan;2024/25;MA;A`, // 5
      ].join('\n'),
    );
    expect(rejected(result, 'unknown_subject')).toEqual({ count: 1, lines: [3] });
    expect(slotOf(result, GIRL, 'MA')?.grade).toMatchObject({ school: 'Ekskolan', step: 3, line: 2 });
    expect(slotOf(result, BOY, 'EN')?.grade).toMatchObject({ school: 'Björkskolan', step: 4, line: 4 });
    expect(slotOf(result, BOY, 'MA')?.grade).toMatchObject({ school: 'Björkskolan', step: 5, line: 5 });
  });
});

describe('readExports: --school-years', () => {
  // Hand-counted: selection ..2023/24 keeps 2022/23 and 2023/24, whatever form the cell has.
  const text = [
    'Personnummer;Läsår;Ämne;Betyg', // 1
    `${GIRL};2022/23;MA;C`, // 2 accepted
    `${GIRL};VT24;MA;B`, // 3 accepted (2023/24)
    `${GIRL};2024/25;MA;C`, // 4 outside
    `${BOY};VT25;EN;B`, // 5 outside
    `${BOY};2025;Xyz;C`, // 6 outside (the unknown subject is not looked at)
    `${BOY};HT24;MA;VG`, // 7 outside (nor the old grade)
    ';2024/25;MA;C', // 8 missing_id: checked before the school year
    `${GIRL};läsår?;MA;C`, // 9 invalid_school_year stays invalid_school_year
    `${GIRL};2024/25;MA`, // 10 field_count: checked first
    `${GIRL};2023/24;Xyz;C`, // 11 unknown_subject (inside the selection)
    `${BOY};2024/25;EN;B`, // 12 outside (not a duplicate of line 5)
    `${BOY};2024/25;EN;A`, // 13 outside (not a conflict with line 5)
    `${GIRL};2022/23;MA;C`, // 14 duplicate of line 2
    `${GIRL};2023-24;SV;A`, // 15 accepted (2023/24)
  ].join('\n');
  const readSelected = (selection: string) => readExports([source('x.csv', text)], { ...options(), schoolYears: parseSchoolYears(selection) });

  it('outside the selection: 6 rows on lines 4, 5, 6, 7, 12, counted apart from the rejected', async () => {
    expect(firstReport(await readSelected('..2023/24')).ledger.outside).toEqual({ count: 6, lines: [4, 5, 6, 7, 12] });
  });

  it.each([
    ['missing_id', 1, [8]],
    ['invalid_school_year', 1, [9]],
    ['field_count', 1, [10]],
    ['unknown_subject', 1, [11]],
    ['duplicate', 1, [14]],
  ] as const)('%s: %i on lines %j', async (reason, count, lines) => {
    expect(rejected(await readSelected('..2023/24'), reason)).toEqual({ count, lines: [...lines] });
  });

  it('read = accepted + rejected + outside the selection, and only those reasons', async () => {
    const { ledger } = firstReport(await readSelected('..2023/24'));
    expect(ledger.read).toBe(14);
    expect(ledger.accepted).toBe(3);
    expect(ledger.rejectedTotal).toBe(5);
    expect(ledger.outside.count).toBe(6);
    expect([...ledger.rejected.keys()].sort()).toEqual(['duplicate', 'field_count', 'invalid_school_year', 'missing_id', 'unknown_subject']);
    expect(() => ledger.checkBalance()).not.toThrow();
  });

  it('names the school years left out (normalised), and keeps nothing of their rows', async () => {
    const result = await readSelected('..2023/24');
    expect(firstReport(result).ledger.outsideYears).toEqual(new Map([['2024/25', 6]]));
    expect(result.store.pupilCount).toBe(1); // the boy has rows in 2024/25 only
    expect([...result.store.slots.values()].map((slot) => `${slot.schoolYear} ${slot.subject}`).sort()).toEqual(['2022/23 MA', '2023/24 MA', '2023/24 SV']);
    expect(firstReport(result).values.grade).toEqual({ A: 1, B: 1, C: 1 });
  });

  it('the same rows without a selection: read is the same, the 2024/25 rows are judged on their own', async () => {
    const { ledger } = firstReport(await read(text));
    expect(ledger.read).toBe(14);
    expect(ledger.outside.count).toBe(0);
    // 4, 5 accepted; 6 unknown subject; 7 old scale; 12 duplicate of 5; 13 conflicts with 5 (5 reclassified).
    expect(ledger.accepted).toBe(4);
    expect(rejected(await read(text), 'conflict')).toEqual({ count: 2, lines: [13, 5] });
  });

  it('a selection from 2024/25 keeps the other side', async () => {
    const { ledger } = firstReport(await readSelected('VT25..'));
    // Inside: 4, 5, 6 (unknown subject), 7 (old scale), 12 (duplicate), 13 (conflict with 5).
    expect(ledger.outside).toEqual({ count: 5, lines: [2, 3, 11, 14, 15] });
    expect(ledger.accepted).toBe(1);
    expect(ledger.read).toBe(ledger.accepted + ledger.rejectedTotal + ledger.outside.count);
  });
});

describe('readExports: duplicates and conflicts', () => {
  it('an exact duplicate is counted once, the second row as duplicate', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg', `${GIRL};2024/25;MA;C`, `${GIRL};2024/25;MA;C`].join('\n'));
    const { ledger } = firstReport(result);
    expect(ledger.accepted).toBe(1);
    expect(ledger.rejected.get('duplicate')).toEqual({ count: 1, lines: [3] });
    expect(slotOf(result, GIRL, 'MA')?.grade).toMatchObject({ step: 3, line: 2, conflict: false });
  });

  it('the value tallies count accepted rows only (a duplicate row is not counted twice)', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg', `${GIRL};2024/25;MA;C`, `${GIRL};2024/25;MA;C`].join('\n'));
    expect(firstReport(result).values.grade).toEqual({ C: 1 });
  });

  it('a duplicate written with another id form is still a duplicate', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg', `${GIRL};2024/25;MA;C`, `130412-9826;24/25;Matematik;c`].join('\n'));
    expect(rejected(result, 'duplicate')).toEqual({ count: 1, lines: [3] });
  });

  it('conflicting rows: both under conflict, the first one reclassified', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg', `${GIRL};2024/25;MA;C`, `${GIRL};2024/25;MA;B`, `${BOY};2024/25;MA;A`].join('\n'));
    const { ledger } = firstReport(result);
    expect(ledger.rejected.get('conflict')).toEqual({ count: 2, lines: [3, 2] });
    expect(ledger.accepted).toBe(1);
    expect(ledger.read).toBe(ledger.accepted + ledger.rejectedTotal);
    expect(slotOf(result, GIRL, 'MA')?.grade?.conflict).toBe(true);
    expect(result.store.conflictKeys).toBe(1);
  });

  it('a third row in a conflict is also a conflict, even if it repeats the first value', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg', `${GIRL};2024/25;MA;C`, `${GIRL};2024/25;MA;B`, `${GIRL};2024/25;MA;C`].join('\n'));
    const { ledger } = firstReport(result);
    expect(ledger.rejected.get('conflict')).toEqual({ count: 3, lines: [3, 4, 2] });
    expect(ledger.accepted).toBe(0);
  });

  it('a conflict across two files reclassifies the first row in its own file', async () => {
    const head = 'Personnummer;Läsår;Ämne;Betyg';
    const result = await readExports(
      [source('a.csv', `${head}\n${GIRL};2024/25;MA;C\n${BOY};2024/25;MA;C\n`), source('b.csv', `${head}\n${GIRL};2024/25;MA;D\n`)],
      options(),
    );
    const [a, b] = result.files;
    expect(a?.ledger.rejected.get('conflict')).toEqual({ count: 1, lines: [2] });
    expect(a?.ledger.accepted).toBe(1);
    expect(a?.ledger.read).toBe(2);
    expect(b?.ledger.rejected.get('conflict')).toEqual({ count: 1, lines: [2] });
    expect(b?.ledger.accepted).toBe(0);
    expect(b?.ledger.read).toBe(1);
  });

  it('a row conflicting in both Betyg and Provbetyg reclassifies the first row once', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg;Provbetyg', `${GIRL};2024/25;MA;C;C`, `${GIRL};2024/25;MA;B;B`].join('\n'));
    const { ledger } = firstReport(result);
    expect(ledger.read).toBe(2);
    expect(ledger.rejected.get('conflict')).toEqual({ count: 2, lines: [3, 2] });
    expect(ledger.accepted).toBe(0);
  });

  it('a streck and a grade for the same slot conflict', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg', `${GIRL};2024/25;MA;-`, `${GIRL};2024/25;MA;E`].join('\n'));
    expect(rejected(result, 'conflict')?.count).toBe(2);
  });
});

describe('readExports: blank value cells', () => {
  it('are tallied as blank and record nothing', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg;Provbetyg;Omdöme', `${GIRL};2024/25;MA;;C;`].join('\n'));
    const report = firstReport(result);
    expect(report.values).toEqual({ grade: { blank: 1 }, test: { C: 1 }, assessment: { blank: 1 } });
    const slot = slotOf(result, GIRL, 'MA');
    expect(slot?.grade).toBeUndefined();
    expect(slot?.assessment).toBeUndefined();
    expect(slot?.test?.step).toBe(3);
  });

  it('a row with every value blank is accepted (and counted)', async () => {
    const result = await read(['Personnummer;Läsår;Ämne;Betyg', `${GIRL};2024/25;MA;`].join('\n'));
    expect(firstReport(result).ledger.accepted).toBe(1);
    expect(firstReport(result).values.grade).toEqual({ blank: 1 });
  });
});

describe('readExports: file-level errors', () => {
  it('a missing required column: the message starts with the file name and names the column', async () => {
    const error = await inputError(read(['Personnummer;Läsår;Betyg', `${GIRL};2024/25;C`].join('\n')));
    expect(error.message.startsWith('x.csv')).toBe(true);
    expect(error.message).toMatch(/^x\.csv:1: required column missing: subject \(looked for: subject, Ämne/);
    expect(error.exitCode).toBe(2);
  });

  it('names every missing column', async () => {
    const error = await inputError(read(['Skola;Betyg', 'Ek;C'].join('\n')));
    expect(error.message).toContain('student_id');
    expect(error.message).toContain('school_year');
    expect(error.message).toContain('subject');
  });

  it('no result column', async () => {
    const error = await inputError(read(['Personnummer;Läsår;Ämne', `${GIRL};2024/25;MA`].join('\n')));
    expect(error.message).toMatch(/^x\.csv:1: no result column found/);
  });

  it('an empty file', async () => {
    const error = await inputError(read(''));
    expect(error.message).toBe('x.csv: the file is empty (no header line)');
  });

  it('a file of blank lines only is empty too', async () => {
    const error = await inputError(read('\n\n;;;\n'));
    expect(error.message).toBe('x.csv: the file is empty (no header line)');
  });

  it('a header and no rows is an export with nothing in it this term: read, with 0 rows', async () => {
    const { ledger } = firstReport(await read('Personnummer;Läsår;Ämne;Betyg\n'));
    expect(ledger.read).toBe(0);
  });

  it('lines above the header (a title, a date line) are a preamble, counted, not rows', async () => {
    const result = await read(['Elevresultat VT24', 'Utskrivet 2024-06-10;;', '', 'Personnummer;Läsår;Ämne;Betyg', `${GIRL};2023/24;MA;C`].join('\n'));
    const report = firstReport(result);
    expect(report.preambleLines).toBe(2);
    expect(report.ledger.read).toBe(1);
    expect(report.ledger.accepted).toBe(1);
    expect(report.ledger.rejected.get('unknown_subject')).toBeUndefined();
  });

  it('no record that names the columns within the first lines: the missing columns of the first are named', async () => {
    const error = await inputError(read(['Titel', 'Förnamn;Efternamn', 'Anna;Ek'].join('\n')));
    expect(error.message).toMatch(/^x\.csv:1: required column missing: student_id/);
  });

  it('an unreadable grade level is rejected with its value (blank is no level)', async () => {
    const result = await read(['Personnummer;Årskurs;Läsår;Ämne;Betyg', `${GIRL};sex;2023/24;MA;C`, `${BOY};-1;2023/24;MA;C`, `${GIRL};;2023/24;SV;C`, `${BOY};6;2023/24;SV;C`].join('\n'));
    expect(rejected(result, 'invalid_grade_level')).toEqual({ count: 2, lines: [2, 3] });
    expect(firstReport(result).ledger.details.get('invalid_grade_level')).toEqual(new Map([['-1', 1], ['sex', 1]]));
    expect(firstReport(result).ledger.accepted).toBe(2);
  });

  it('a read error from the source becomes an InputError naming the file', async () => {
    const broken: InputSource = {
      name: 'broken.csv',
      open: async function* () {
        yield Buffer.from('Personnummer;Läsår;Ämne;Betyg\n');
        throw Object.assign(new Error('gone'), { code: 'EACCES' });
      },
    };
    const error = await inputError(readExports([broken], options()));
    expect(error.message).toBe('broken.csv: permission denied');
  });

  it('a config column override maps an unknown header', async () => {
    const result = await read(['Elevnummer;Läsår;Ämne;Betyg', `${GIRL};2024/25;MA;C`].join('\n'), { columns: { student_id: 'Elevnummer' } });
    expect(firstReport(result).columns.student_id).toBe('Elevnummer');
    expect(slotOf(result, GIRL, 'MA')?.grade?.step).toBe(3);
  });
});

describe('readExports: areas', () => {
  const text = [
    'Personnummer;Skola;Skolområde;Läsår;Ämne;Betyg',
    `${GIRL};Älvskolan;Söder;2024/25;MA;C`,
    `${BOY};Ekskolan;Väster;2024/25;MA;C`,
    `201304729823;Björkskolan;;2024/25;MA;C`,
  ].join('\n');
  const areas = new Map([['alvskolan', 'Norr']]);

  it('the mapping wins over the area column (matched on the folded school name)', async () => {
    const result = await read(text, {}, areas);
    expect(slotOf(result, GIRL, 'MA')?.grade?.area).toBe('Norr');
  });

  it('the area column is used for schools the mapping does not name', async () => {
    expect(slotOf(await read(text, {}, areas), BOY, 'MA')?.grade?.area).toBe('Väster');
  });

  it('a blank area cell is null', async () => {
    expect(slotOf(await read(text, {}, areas), '201304729823', 'MA')?.grade?.area).toBeNull();
  });
});

describe('readExports: one pupil across files', () => {
  it('10-digit with dash in one file and 12-digit in another land in the same slot', async () => {
    const result = await readExports(
      [
        source('betyg.csv', 'Personnummer;Läsår;Ämne;Betyg\n130412-9826;2024/25;Matematik;C\n'),
        source('np.csv', 'Elevens personnummer;Provår;Ämneskod;Provbetyg\n201304129826;2025;MA;D\n'),
      ],
      options(),
    );
    const slot = only(result.store.slots.values());
    expect(slot).toMatchObject({ pupil: GIRL, schoolYear: '2024/25', subject: 'MA' });
    expect(slot.grade).toMatchObject({ step: 3, file: 0, line: 2 });
    expect(slot.test).toMatchObject({ step: 2, file: 1, line: 2 });
    expect(result.store.files).toEqual(['betyg.csv', 'np.csv']);
  });
});

describe('readExports: a test not taken', () => {
  it('SCB codes and the words systems write count as no result, not as errors', async () => {
    const text = ['Personnummer;Läsår;Ämne;Betyg;Provbetyg', '201001019991;2024/25;MA;C;99', '201001029982;2024/25;MA;D;Ej deltagit', '201001039973;2024/25;MA;E;Frånvarande', '201001049964;2024/25;MA;B;88'].join('\n');
    const result = await readExports([{ name: 'x.csv', open: async function* () { yield Buffer.from(text); } }], { config: {}, areas: new Map() });
    const file = result.files[0]!;
    expect(file.ledger.accepted).toBe(4);
    expect(file.values.test).toEqual({ 'not_taken (99)': 1, not_taken: 2, 'unavailable (88)': 1 });
    expect([...result.store.slots.values()].every((slot) => slot.test === undefined && slot.grade !== undefined)).toBe(true);
  });
});


describe('rejected values shown in reports never carry ids or names', () => {
  it('shows a rejected value only when it is recognisably not a person; ids hidden, anything else by its shape', async () => {
    const text = [
      'Personnummer;Läsår;Ämne;Betyg',
      '201001019991;2024/25;Anna Andersson 20120101-1234;C', // 2 id inside: hidden
      '201001029982;20120102-1244;MA;C', // 3 id as school year: hidden
      '201001039973;2024/25;MA;Cia Ek', // 4 a name as grade: shape
      '201001049964;2024/25;MA;VG', // 5 old grade: shown
      '201001059955;2024/25;Matte 2;C', // 6 letters and a digit: shown
      '201001069946;2024/25;En mycket lång text som inte är ett ämne;C', // 7 long: shape
      '201001079937;2024/25;MA;Oscar', // 8 a first name: shape
      '201001089928;2024/25;MA;MAJA LINDQVIST', // 9 a name in capitals: shape
      '201001099919;"Lindqvist, Maja";MA;C', // 10 last, first as school year: shape
      '201001109917;2024/25;matematik fördjupning;C', // 11 a subject word and an unknown word: shape
      '201001169911;2024/25;Lindqvist, Maja (6B);C', // 17 a name with a class: shape
      '201001179910;2024/25;Matematik Oscar;C', // 18 a subject word and a name: shape
      '201001189919;2024/25;Maja2;C', // 19 a name with a digit: shape
      '201001119916;2024/25;MA;oscar', // 12 a name in lower case: shape
      '201001129915;2024/25;Oscar;C', // 13 a name as subject: shape
      '201001139914;2024/25;MA;Ä', // 14 one letter: shown
      '201001149913;2024/25;MA;4', // 15 a number: shown
      '201001159912;2024/25;MA;2009–01–01–1234', // 16 an id with en dashes: hidden
    ].join('\n');
    const result = await readExports([source('x.csv', text)], options());
    const details = result.files[0]!.ledger.details;
    const keys = (reason: RejectReason) => [...(details.get(reason)?.keys() ?? [])].sort();
    expect(keys('unknown_subject')).toEqual(['Matte 2', '[hidden: looks like an id]', '[text, 15 characters]', '[text, 20 characters]', '[text, 21 characters]', '[text, 40 characters]', '[text, 5 characters]'].sort());
    expect(keys('invalid_school_year')).toEqual(['[hidden: looks like an id]', '[text, 15 characters]']);
    expect(keys('invalid_grade')).toEqual(['4', '[hidden: looks like an id]', '[text, 14 characters]', '[text, 5 characters]', '[text, 6 characters]', 'Ä'].sort());
    expect(keys('old_grade_scale')).toEqual(['VG']);
    const all = [...details.values()].flatMap((map) => [...map.keys()]).join(' ');
    for (const name of ['Oscar', 'oscar', 'MAJA', 'LINDQVIST', 'Lindqvist', 'Maja', 'Cia', 'Anna', '1234', 'fördjupning']) expect(all).not.toContain(name);
  });

  it('with rawValues (inspect --raw-values) the values are kept as they are', async () => {
    const text = ['Personnummer;Läsår;Ämne;Betyg', '201001079937;2024/25;MA;Oscar', '201001019991;2024/25;MA;C'].join('\n');
    const result = await readExports([source('x.csv', text)], { ...options(), rawValues: true });
    expect([...(result.files[0]!.ledger.details.get('invalid_grade')?.keys() ?? [])]).toEqual(['Oscar']);
  });
});

describe('a UTF-8 mark over Windows-1252 text', () => {
  it('says to try --encoding windows-1252 when the garbled headers hide a required column', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Personnummer;Läsår;Ämne;Betyg\n201001019991;2024/25;MA;C\n', 'latin1')]);
    const error = await readExports([{ name: 'x.csv', open: async function* () { yield bytes; } }], { config: {}, areas: new Map() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^x\.csv:1: required column missing: school_year .* try --encoding windows-1252\.$/);
  });
});

describe('a quote that never closes', () => {
  it('costs its own line only: reading goes on at the next line', async () => {
    const text = [
      'Personnummer;Läsår;Ämne;Betyg;Kommentar',
      '201001019991;2024/25;MA;C;ok',
      '201001029982;2024/25;MA;B;"he said so',
      '201001039973;2024/25;MA;D;ok',
      '201001049964;2024/25;EN;E;"quoted; fine"',
      '201001059955;2024/25;SV;A;ok',
    ].join('\n');
    const result = await readExports([{ name: 'x.csv', open: async function* () { yield Buffer.from(text); } }], { config: { columns: {} }, areas: new Map() });
    const ledger = result.files[0]!.ledger;
    expect(ledger.read).toBe(5);
    expect(ledger.accepted).toBe(4);
    expect(ledger.rejected.get('unterminated_quote')).toEqual({ count: 1, lines: [3] });
  });

  it('a quoted field with a few line breaks is still one row', async () => {
    const text = ['Personnummer;Läsår;Ämne;Betyg;Kommentar', '201001019991;2024/25;MA;C;"two', 'lines"', '201001029982;2024/25;MA;B;x'].join('\n');
    const result = await readExports([{ name: 'x.csv', open: async function* () { yield Buffer.from(text); } }], { config: {}, areas: new Map() });
    expect(result.files[0]!.ledger.accepted).toBe(2);
  });
});
