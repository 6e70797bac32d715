import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { mapHeaders } from '../../src/normalise/headers.js';

function configError(text: string, file = 'ska.config.json'): InputError {
  try {
    parseConfig(file, text);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseConfig: valid', () => {
  it('parses every key', () => {
    const config = {
      $schema: './schema.json',
      columns: { student_id: 'Elevnummer', school_year: 'Period' },
      subjects: { 'Matte åk 6': 'MA' },
      kinds: { 'NP åk 6': 'test', Omdöme: 'assessment' },
      areas: { Älvskolan: 'Norr' },
      min_group: 10,
      by: ['school', 'gender'],
      assessment_scale: { labels: ['Röd', 'Gul', 'Grön'], passing: ['Gul', 'Grön'], missing: ['X'] },
    };
    expect(parseConfig('ska.config.json', JSON.stringify(config))).toEqual(config);
  });

  it('an empty object is a valid config', () => {
    expect(parseConfig('ska.config.json', '{}')).toEqual({});
  });
});

describe('parseConfig: invalid', () => {
  const bad = JSON.stringify({
    columns: { student_id: 5 },
    colums: {},
    min_group: 0,
    assessment_scale: { labels: ['Röd', 'Gul', 'Grön'], passing: ['Blå'] },
  });

  it('gives one line per problem', () => {
    expect(configError(bad).message.split('\n')).toHaveLength(4);
  });

  it('every line starts with the file name and the line:column of the key', () => {
    for (const line of configError(bad, 'my.json').message.split('\n')) expect(line).toMatch(/^my\.json:1:\d+: /);
  });

  it('names columns.student_id', () => {
    expect(configError(bad).message).toMatch(/^ska\.config\.json:1:\d+: columns\.student_id: .*string/m);
  });

  it('names the unknown key, at the key', () => {
    const text = '{\n  "min_group": 5,\n  "colums": {}\n}';
    expect(configError(text).message).toMatch(/^ska\.config\.json:3:3: \(top level\): .*colums/);
  });

  it('names min_group, at its place in the file', () => {
    expect(configError('{\n  // how small\n  "min_group": 0\n}').message).toMatch(/^ska\.config\.json:3:3: min_group: /);
  });

  it('names assessment_scale.passing when a passing label is not a label', () => {
    expect(configError(bad).message).toMatch(/ska\.config\.json:1:\d+: assessment_scale\.passing: every passing label must be one of labels/);
  });

  it('an unknown field under columns is named', () => {
    expect(configError(JSON.stringify({ columns: { pupil: 'Elev' } })).message).toMatch(/^ska\.config\.json:1:\d+: columns/m);
  });

  it('an unknown kind value is named with its key path', () => {
    expect(configError(JSON.stringify({ kinds: { NP: 'exam' } })).message).toMatch(/^ska\.config\.json:1:11: kinds\.NP: /m);
  });

  it('by takes background columns too, so a word that is no built-in dimension is resolved against the exports\' headers when they are read (tests/cli/background.test.ts); an empty word is named with its index', () => {
    expect(parseConfig('ska.config.json', JSON.stringify({ by: ['school', 'nyanländ'], adjust_for: ['Föräldrarnas utbildningsnivå'] }))).toEqual({ by: ['school', 'nyanländ'], adjust_for: ['Föräldrarnas utbildningsnivå'] });
    expect(configError(JSON.stringify({ by: ['school', ''] })).message).toMatch(/^ska\.config\.json:1:17: by\.1: /m);
    expect(configError(JSON.stringify({ adjust_for: [] })).message).toMatch(/^ska\.config\.json:1:\d+: adjust_for: /m);
  });

  it('background: each entry\'s columns, label and values are checked; an unknown key in an entry is named; no label or value may be a personnummer', () => {
    const config = { background: { stod: { columns: ['Stödnivå', 'Stöd'], label: 'Stödnivå', values: { Ingen: 'Inget stöd', '': '' } }, nyanland: { columns: 'Ankommen' } } };
    expect(parseConfig('ska.config.json', JSON.stringify(config))).toEqual(config);
    expect(configError(JSON.stringify({ background: { stod: { colour: 'x' } } })).message).toMatch(/^ska\.config\.json:1:\d+: background\.stod: .*colour/m);
    expect(configError(JSON.stringify({ background: { stod: { columns: 3 } } })).message).toMatch(/^ska\.config\.json:1:\d+: background\.stod\.columns: /m);
    expect(configError(JSON.stringify({ background: { stod: { values: { Ja: '090101-9899' } } } })).text.sv).toMatch(/background\.stod\.values\.Ja: ser ut som ett personnummer/);
    expect(configError(JSON.stringify({ background: { stod: { label: '090101-9899' } } })).text.sv).toMatch(/background\.stod\.label: ser ut som ett personnummer/);
  });

  it('every message has its Swedish text (the default language): zod\'s Swedish locale and the schema\'s own messages', () => {
    expect(configError('{ "min_group": 5 "by": [] }').text.sv).toBe("ska.config.json:1:18: inte giltig JSON (väntade ',' mellan värden)");
    expect(configError('{ "areas": { "090101-9899": "Norra" } }').text.sv).toBe('ska.config.json:1:14: areas.[personnummer]: ser ut som ett personnummer; en etikett får inte vara ett');
    expect(configError('{ "min_group": 0 }').text.sv).toMatch(/^ska\.config\.json:1:3: min_group: För lite/);
    expect(configError('{ "min_group": 0 }').text.en).toMatch(/^ska\.config\.json:1:3: min_group: Too small/);
  });

  it('JSON that does not parse names the line and column', () => {
    expect(configError('{ "min_group": 5 "by": [] }').message).toBe("ska.config.json:1:18: not valid JSON (expected ',' between values)");
  });

  it('a label that looks like a personnummer is refused, at its place', () => {
    expect(configError('{ "areas": { "090101-9899": "Norra" } }').message).toMatch(/^ska\.config\.json:1:14: areas\.\[personnummer\]: looks like a personnummer/);
    expect(configError('{ "files": { "a.csv": { "school": "2009-01-01-9899" } } }').message).toMatch(/files\.a\.csv\.school: looks like a personnummer/);
  });

  it('files: a value must mean something (a grade level 1–9, a school year, a gender, a kind)', () => {
    for (const [field, value] of [['grade_level', '"fem"'], ['grade_level', '99'], ['grade_level', '0'], ['grade_level', '-3'], ['grade_level', '5.5'], ['school_year', '"snart"'], ['gender', '"x"'], ['kind', '"xx"']] as const) {
      expect(configError(`{ "files": { "a.csv": { "${field}": ${value} } } }`).message, `${field} ${value}`).toMatch(new RegExp(`files\\.a\\.csv\\.${field}: not a`));
    }
    expect(parseConfig('c.json', '{ "files": { "a.csv": { "grade_level": "5", "gender": "Flicka", "kind": "bedömning", "school_year": "VT25" } } }').files?.['a.csv']).toBeDefined();
  });

  it('files: a pattern with values of the fields a file may have set', () => {
    expect(parseConfig('c.json', '{ "files": { "omdomen*.csv": { "grade_level": 5, "school_year": "2023/24" } } }').files).toEqual({ 'omdomen*.csv': { grade_level: 5, school_year: '2023/24' } });
    expect(configError('{ "files": { "a.csv": { "student_id": "x" } } }').message).toMatch(/files\.a\.csv/);
    expect(configError('{ "files": { "a.csv": {} } }').message).toMatch(/give at least one field/);
  });

  it('the error is an InputError (exit code 2)', () => {
    expect(configError('[]').exitCode).toBe(2);
  });
});

describe('loadConfig', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ska-config-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('no file → an empty config', async () => {
    expect(await loadConfig(undefined)).toEqual({});
  });

  it('reads a file with a UTF-8 byte-order mark', async () => {
    const file = join(dir, 'bom.json');
    await writeFile(file, '\uFEFF{"min_group": 5}', 'utf8');
    expect(await loadConfig(file)).toEqual({ min_group: 5 });
  });

  it('a missing file is an InputError naming it', async () => {
    const file = join(dir, 'missing.json');
    await expect(loadConfig(file)).rejects.toThrow(`${file}: no such file`);
  });
});

describe('parseConfig: comments, strings and commas (jsonc-parser)', () => {
  it('ignores line and block comments', () => {
    expect(parseConfig('c.json', '// top\n{ /* a */ "min_group": /* b */ 5 // c\n}')).toEqual({ min_group: 5 });
  });

  it('leaves strings alone: // and /* inside them, escaped quotes', () => {
    expect(parseConfig('c.json', '{ "subjects": { "http://x/*y*/": "MA", "say \\"//hi\\"": "SV", "c:\\\\": "EN" } }').subjects).toEqual({ 'http://x/*y*/': 'MA', 'say "//hi"': 'SV', 'c:\\': 'EN' });
  });

  it('accepts trailing commas before } and ], also with comments between', () => {
    expect(parseConfig('c.json', '{"by": ["school", "subject",], "areas": {"A": "B",}, // x\n}')).toEqual({ by: ['school', 'subject'], areas: { A: 'B' } });
  });

  it('refuses commas that are errors in JSON with comments too', () => {
    for (const text of ['{ "by": [,] }', '{,}', '{ "by": ["school",,] }']) expect(() => parseConfig('c.json', text)).toThrow(/not valid JSON/);
  });

  it('an unterminated block comment is reported', () => {
    expect(configError('{} /* open').message).toMatch(/^ska\.config\.json:1:4: not valid JSON \(a \/\* comment that never ends\)$/);
  });

  it('text without comments is read as JSON', () => {
    expect(parseConfig('c.json', JSON.stringify({ min_group: 3, by: ['school'] }))).toEqual({ min_group: 3, by: ['school'] });
  });
});

describe('parseConfig: JSON with comments', () => {
  it('accepts comments and trailing commas', () => {
    const text = [
      '// written by hand',
      '{',
      '  /* the columns */',
      '  "columns": { "student_id": "Elevnummer", }, // trailing comma',
      '  "min_group": 5,',
      '}',
    ].join('\n');
    expect(parseConfig('ska.config.json', text)).toEqual({ columns: { student_id: 'Elevnummer' }, min_group: 5 });
  });

  it('a string holding // or /* */ is kept', () => {
    expect(parseConfig('ska.config.json', '{ "areas": { "Skola // A": "Norr /* x */" } // c\n}')).toEqual({ areas: { 'Skola // A': 'Norr /* x */' } });
  });

  it('a syntax error after comments names the line and column in the file as written', () => {
    const text = ['{', '  // a comment, "with": quotes', '  "min_group": 5,', '  /* block', '     comment */ "by": ["school"]', '  "areas": {}', '}'].join('\n');
    expect(configError(text).message).toMatch(/^ska\.config\.json:6:3: not valid JSON \(/);
  });

  it('an unexpected token gets line:column, and the text is not quoted', () => {
    const message = configError('{\n  "min_group": x\n}').message;
    expect(message).toBe('ska.config.json:2:16: not valid JSON (unexpected character)');
  });

  it('a file that ends too soon points at its end', () => {
    expect(configError('{\n  "min_group": 5,\n').message).toMatch(/^ska\.config\.json:3:1: not valid JSON/);
    expect(configError('').message).toMatch(/^ska\.config\.json:1:1: not valid JSON \(expected a value\)$/);
  });

  it('an unterminated block comment is a syntax error at the comment', () => {
    expect(configError('{ "min_group": 5 }\n/* open').message).toMatch(/^ska\.config\.json:2:1: not valid JSON/);
  });
});

describe('parseConfig: columns as arrays, reference', () => {
  it('accepts a list of headers per field', () => {
    expect(parseConfig('c.json', '{ "columns": { "student_id": ["Personnummer", "Elev-ID"], "school": "Skolenhet" } }')).toEqual({
      columns: { student_id: ['Personnummer', 'Elev-ID'], school: 'Skolenhet' },
    });
  });

  it('an empty list or a blank header is named with its key', () => {
    expect(configError('{ "columns": { "student_id": [] } }').message).toMatch(/^ska\.config\.json:1:\d+: columns\.student_id: /m);
    expect(configError('{ "columns": { "student_id": ["Pnr", ""] } }').message).toMatch(/^ska\.config\.json:1:\d+: columns\.student_id\.1: /m);
    expect(configError('{ "columns": { "student_id": ["Pnr", 3] } }').message).toMatch(/^ska\.config\.json:1:\d+: columns\.student_id: .*string/m);
  });

  it('every header in the list maps to the field; the first in the list wins in a file that has several', () => {
    const overrides = { student_id: ['Elevnummer', 'Löpnummer'] };
    expect(mapHeaders(['Löpnummer', 'Skola'], overrides).columns).toEqual({ student_id: 0, school: 1 });
    expect(mapHeaders(['Skola', 'Elevnummer'], overrides).columns).toEqual({ school: 0, student_id: 1 });
    const both = mapHeaders(['Löpnummer', 'Elevnummer', 'Personnummer'], overrides);
    expect(both.columns).toEqual({ student_id: 1 });
    expect(both.duplicates).toEqual([
      { header: 'Löpnummer', field: 'student_id' },
      { header: 'Personnummer', field: 'student_id' },
    ]);
  });

  it('accepts reference as a file or a list, and reference_unit', () => {
    expect(parseConfig('c.json', '{ "reference": "riket.csv", "reference_unit": "Riket" }')).toEqual({ reference: 'riket.csv', reference_unit: 'Riket' });
    expect(parseConfig('c.json', '{ "reference": ["a.csv", "b.json"] }')).toEqual({ reference: ['a.csv', 'b.json'] });
    expect(configError('{ "reference": 5 }').message).toMatch(/^ska\.config\.json:1:3: reference: /m);
    expect(configError('{ "reference_unit": "" }').message).toMatch(/^ska\.config\.json:1:3: reference_unit: /m);
  });

  it('parseConfig leaves reference paths as written', () => {
    expect(parseConfig('conf/c.json', '{ "reference": "riket.csv" }').reference).toBe('riket.csv');
  });
});

describe('loadConfig: reference paths', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ska-config-ref-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves relative reference paths against the config file\'s folder', async () => {
    const file = join(dir, 'ska.config.json');
    await writeFile(file, '{ "reference": ["riket.csv", "../earlier/gap.json", "/abs/ref.json"] }', 'utf8');
    expect((await loadConfig(file)).reference).toEqual([join(dir, 'riket.csv'), join(dir, '..', 'earlier', 'gap.json'), '/abs/ref.json']);
  });

  it('a single reference path is resolved too', async () => {
    const file = join(dir, 'one.json');
    await writeFile(file, '// comment\n{ "reference": "riket.csv", }', 'utf8');
    expect(await loadConfig(file)).toEqual({ reference: join(dir, 'riket.csv') });
  });

  it('a config in the working directory keeps a plain relative path', async () => {
    const file = join(dir, 'rel.json');
    await writeFile(file, '{ "reference": "riket.csv" }', 'utf8');
    const relativeFile = relative(process.cwd(), file);
    expect((await loadConfig(relativeFile)).reference).toBe(join(dirname(relativeFile), 'riket.csv'));
  });
});
