import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config.js';
import { runIn } from './run.js';

const EXPORTS = 'fixtures/demo/exports';
const AREAS = 'fixtures/demo/skolomraden.csv';

describe('init on the demo data', () => {
  let dir = '';
  let file = '';
  let first = { status: null as number | null, stderr: '' };
  let text = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ska-init-'));
    file = join(dir, 'ska.config.json');
    first = await runIn(['init', EXPORTS, '--areas', AREAS, '--output', file]);
    text = await readFile(file, 'utf8');
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a config that parseConfig accepts, and says so on stderr', () => {
    expect(first.status).toBe(0);
    expect(() => parseConfig('ska.config.json', text)).not.toThrow();
    expect(first.stderr).toContain('4 filer');
    expect(first.stderr).toContain(`skrev ${file}`);
  });

  it('starts with a comment naming the files (names only) and how to use it', () => {
    // The comment lines before the opening brace, unwrapped.
    const header = text.slice(0, text.indexOf('\n{')).replace(/\n\/\/ {3}/g, ' ');
    expect(header).toMatch(/^\/\/ ska\.config\.json: skriven av `ska-analyze init` från bedomningar_ak5\.csv, betyg_ak6_ak9\.csv, nationella_prov_ak6\.csv, np_ak9\.csv\./);
    expect(header).toContain('ska-analyze gap --config ska.config.json');
    expect(header).not.toContain('fixtures/');
  });

  it('lists the headers per field, as found in the files', () => {
    const config = parseConfig('ska.config.json', text);
    expect(config.columns?.student_id).toEqual(['student_id', 'Personnummer', 'Elev-ID']);
    expect(config.columns?.test).toBe('Provbetyg');
    expect(config.columns?.value).toEqual(['result', 'Resultat']);
    expect(text).toContain('//   betyg_ak6_ak9.csv: Förnamn, Efternamn');
  });

  it('maps all nine demo schools to their areas, as in the mapping file', async () => {
    const mapping = (await readFile(AREAS, 'utf8'))
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(';') as [string, string]);
    expect(mapping).toHaveLength(9);
    expect(parseConfig('ska.config.json', text).areas).toEqual(Object.fromEntries(mapping));
    expect(text).toContain('Alla skolor i exporterna har ett område.');
  });

  it('writes min_group 10 and the default grouping, and no reference', () => {
    const config = parseConfig('ska.config.json', text);
    expect(config.min_group).toBe(10);
    expect(config.by).toEqual(['school_year', 'grade_level', 'area', 'school', 'subject']);
    expect(config.reference).toBeUndefined();
  });

  it('names the omdöme values no built-in scale covers, as a draft to uncomment', () => {
    expect(text).toMatch(/^ {2}\/\/ "assessment_scale": \{ "labels": \["Bra"\]/m);
    expect(text).toContain('tre nivåer: ej godtagbar, godtagbar, mer än godtagbar');
  });

  it('holds no personnummer-like digit runs', () => {
    expect(text).not.toMatch(/\d{6}/);
  });

  it('refuses to overwrite without --force (exit 2), leaving the file as it was', async () => {
    await writeFile(file, text.replace('"min_group": 10', '"min_group": 12'), 'utf8');
    const before = await readFile(file);
    const again = await runIn(['init', EXPORTS, '--areas', AREAS, '--output', file]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`${file} finns redan; använd --force för att skriva över`);
    expect(await readFile(file)).toEqual(before);
    // The other tests read this file: give it back as init wrote it, whatever order they run in.
    await writeFile(file, text, 'utf8');
  });

  it('is deterministic: --force writes the same bytes, and --output - the same to stdout', async () => {
    const forced = await runIn(['init', EXPORTS, '--areas', AREAS, '--output', file, '--force', '--quiet']);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toBe('');
    expect(await readFile(file, 'utf8')).toBe(text);
    const stdout = await runIn(['init', EXPORTS, '--areas', AREAS, '--output', '-', '-q']);
    expect(stdout.status).toBe(0);
    expect(stdout.stdout).toBe(text);
  });

  it('gap with the written config gives the same figures as gap with --areas', async () => {
    const withConfig = await runIn(['gap', EXPORTS, '--config', file, '--format', 'json', '-q']);
    const withAreas = await runIn(['gap', EXPORTS, '--areas', AREAS, '--format', 'json', '-q']);
    expect(withConfig.status).toBe(0);
    expect(withAreas.status).toBe(0);
    const rows = (stdout: string) => JSON.stringify((JSON.parse(stdout) as { rows: unknown[] }).rows);
    expect(rows(withConfig.stdout).length).toBeGreaterThan(1000);
    expect(rows(withConfig.stdout)).toBe(rows(withAreas.stdout));
  });
});

describe('init options', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ska-init-opt-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--reference is stored relative to the output folder and resolved back by loadConfig; --reference-unit, --min-group', async () => {
    const reference = join(dir, 'riket.csv');
    await writeFile(reference, 'x\n', 'utf8');
    await mkdir(join(dir, 'conf'));
    const file = join(dir, 'conf', 'ska.config.json');
    const result = await runIn(['init', EXPORTS, '-o', file, '--reference', reference, '--reference-unit', 'Riket', '--min-group', '15', '-q']);
    expect(result.status).toBe(0);
    const text = await readFile(file, 'utf8');
    const config = parseConfig('ska.config.json', text);
    expect(config.reference).toBe('../riket.csv');
    expect(config.reference_unit).toBe('Riket');
    expect(config.min_group).toBe(15);
    expect((await loadConfig(file)).reference).toBe(reference);
  });

  it('without --areas the areas come from the exports\' area columns', async () => {
    const result = await runIn(['init', EXPORTS, '-o', '-', '-q']);
    expect(result.status).toBe(0);
    expect(Object.keys(parseConfig('ska.config.json', result.stdout).areas ?? {})).toHaveLength(9);
  });

  it('names the schools without an area', async () => {
    const result = await runIn(['init', `${EXPORTS}/np_ak9.csv`, '-o', '-', '-q']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Skolor utan område: Björkängsskolan, Ekbackens skola,[\s\S]*\(lägg till dem här\)/);
    expect(parseConfig('ska.config.json', result.stdout).areas).toEqual({});
  });

  it('a missing reference file or a bad --min-group is exit 2, before anything is written', async () => {
    const file = join(dir, 'never.json');
    const missing = await runIn(['init', EXPORTS, '-o', file, '--reference', join(dir, 'nope.csv')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('filen finns inte');
    const bad = await runIn(['init', EXPORTS, '-o', file, '--min-group', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--min-group');
    expect((await runIn(['init', EXPORTS, '-o', join(dir, 'no-such-folder', 'x.json')])).status).toBe(2);
  });
});
