import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, stripJsonComments } from '../../src/config.js';
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

  it('every line starts with the file name', () => {
    for (const line of configError(bad, 'my.json').message.split('\n')) expect(line.startsWith('my.json: ')).toBe(true);
  });

  it('names columns.student_id', () => {
    expect(configError(bad).message).toMatch(/^ska\.config\.json: columns\.student_id: .*string/m);
  });

  it('names the unknown key', () => {
    expect(configError(bad).message).toMatch(/^ska\.config\.json: .*colums/m);
  });

  it('names min_group', () => {
    expect(configError(bad).message).toMatch(/^ska\.config\.json: min_group: /m);
  });

  it('names assessment_scale.passing when a passing label is not a label', () => {
    expect(configError(bad).message).toContain('ska.config.json: assessment_scale.passing: every passing label must be one of labels');
  });

  it('an unknown field under columns is named', () => {
    expect(configError(JSON.stringify({ columns: { pupil: 'Elev' } })).message).toMatch(/^ska\.config\.json: columns/m);
  });

  it('an unknown kind value is named with its key path', () => {
    expect(configError(JSON.stringify({ kinds: { NP: 'exam' } })).message).toMatch(/^ska\.config\.json: kinds\.NP: /m);
  });

  it('an unknown by dimension is named with its index', () => {
    expect(configError(JSON.stringify({ by: ['school', 'colour'] })).message).toMatch(/^ska\.config\.json: by\.1: /m);
  });

  it('JSON that does not parse names the line and column', () => {
    expect(configError('{ "min_group": 5 "by": [] }').message).toBe("ska.config.json:1:18: not valid JSON (Expected ',' or '}' after property value)");
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

describe('stripJsonComments', () => {
  it('blanks line and block comments, keeping every position and newline', () => {
    const text = '{ // note\n  "a": 1, /* two\n lines */ "b": 2\n}';
    const stripped = stripJsonComments(text);
    expect(stripped).toHaveLength(text.length);
    expect(stripped.split('\n').map((line) => line.length)).toEqual(text.split('\n').map((line) => line.length));
    expect(JSON.parse(stripped)).toEqual({ a: 1, b: 2 });
  });

  it('leaves strings alone: // and /* inside them, escaped quotes', () => {
    const text = '{"url": "http://x/*y*/", "q": "say \\"//hi\\"", "b": "c:\\\\"} // end';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ url: 'http://x/*y*/', q: 'say "//hi"', b: 'c:\\' });
  });

  it('blanks trailing commas before } and ], also with comments between', () => {
    expect(JSON.parse(stripJsonComments('{"a": [1, 2,], "b": {"c": 3,}, // x\n}'))).toEqual({ a: [1, 2], b: { c: 3 } });
    expect(JSON.parse(stripJsonComments('[1, /* x */ ]'))).toEqual([1]);
  });

  it('keeps commas that are errors in JSON with comments too', () => {
    expect(() => JSON.parse(stripJsonComments('[,]'))).toThrow();
    expect(() => JSON.parse(stripJsonComments('{,}'))).toThrow();
    expect(() => JSON.parse(stripJsonComments('[1,,]'))).toThrow();
  });

  it('leaves an unterminated block comment for JSON.parse to report', () => {
    expect(stripJsonComments('{} /* open')).toBe('{} /* open');
  });

  it('text without comments is unchanged', () => {
    const text = JSON.stringify({ a: 'x', b: [1, 2] }, null, 2);
    expect(stripJsonComments(text)).toBe(text);
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

  it('an unexpected token without a position in the V8 message still gets line:column, and the text is not quoted', () => {
    const message = configError('{\n  "min_group": x\n}').message;
    expect(message).toBe("ska.config.json:2:16: not valid JSON (Unexpected token 'x')");
  });

  it('a file that ends too soon points at its end', () => {
    expect(configError('{\n  "min_group": 5,\n').message).toMatch(/^ska\.config\.json:3:1: not valid JSON/);
    expect(configError('').message).toMatch(/^ska\.config\.json:1:1: not valid JSON \(Unexpected end of JSON input\)$/);
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
    expect(configError('{ "columns": { "student_id": [] } }').message).toMatch(/^ska\.config\.json: columns\.student_id: /m);
    expect(configError('{ "columns": { "student_id": ["Pnr", ""] } }').message).toMatch(/^ska\.config\.json: columns\.student_id\.1: /m);
    expect(configError('{ "columns": { "student_id": ["Pnr", 3] } }').message).toMatch(/^ska\.config\.json: columns\.student_id: .*string/m);
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
    expect(configError('{ "reference": 5 }').message).toMatch(/^ska\.config\.json: reference: /m);
    expect(configError('{ "reference_unit": "" }').message).toMatch(/^ska\.config\.json: reference_unit: /m);
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
