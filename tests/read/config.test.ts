import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';

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

  it('JSON that does not parse', () => {
    expect(configError('{ "min_group": 5, }').message).toMatch(/^ska\.config\.json: not valid JSON \(/);
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
