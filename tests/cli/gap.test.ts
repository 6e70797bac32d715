import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Collector, type RunResult, runIn } from './run.js';
import { HOOK_TIMEOUT } from './shared-runs.js';

// In-process runs (runIn), except two that need the real program (each says why):
// stdin through a real pipe ('reads stdin with -') and a closed pipe ('| head').

const DEMO = ['gap', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
const PERSONNUMMER = /\b(?:19|20)?\d{6}[-+]?\d{4}\b/;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ska-cli-'));
}

interface JsonReport {
  meta: {
    files: { file: string; rows: { read: number; accepted: number; rejected: number }; rejected: Record<string, { count: number; examples: string[] }> }[];
    rows: { read: number; accepted: number; rejected: number };
  };
  rows: Record<string, unknown>[];
  cases?: Record<string, unknown>[];
}

function parse(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

describe('gap on the demo data', () => {
  let table: RunResult;
  let json: RunResult;
  let csv: RunResult;
  let report: JsonReport;
  beforeAll(async () => {
    table = await runIn(DEMO);
    json = await runIn([...DEMO, '--format', 'json']);
    csv = await runIn([...DEMO, '--format', 'csv']);
    report = parse(json.stdout);
  }, HOOK_TIMEOUT);

  it('prints the report on stdout and the row accounting on stderr, exit 0', () => {
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('Betyg jämfört med nationella prov');
    expect(table.stdout).toContain('2024/25 · åk 6 · Matematik');
    expect(table.stdout).toContain('Solåsens skola');
    expect(table.stdout).not.toContain('rader lästa');
    expect(table.stderr).toMatch(/betyg_ak6_ak9\.csv \(Windows-1252, semikolon, brett format\): [\d\s]+ rader lästa/);
    expect(table.stderr).toMatch(/np_ak9\.csv \(UTF-8, semikolon, långt format\)/);
    expect(table.stderr).toMatch(/gammal betygsskala .*"VG".*betyg_ak6_ak9\.csv:\d+/);
    expect(table.stderr).toContain('1 fel antal fält på raden ["4 av 7" ×1]: fixtures/demo/exports/np_ak9.csv:');
  });

  it('writes the row accounting in English with --lang en, as the JSON names delimiters and layouts', async () => {
    const english = await runIn([...DEMO, '--lang', 'en']);
    expect(english.stderr).toMatch(/betyg_ak6_ak9\.csv \(Windows-1252, semicolon, wide\): [\d,]+ rows read/);
    expect(english.stderr).toContain('1 wrong number of fields on the line ["4 of 7" ×1]: fixtures/demo/exports/np_ak9.csv:');
    const files = (JSON.parse(json.stdout) as { meta: { files: { file: string; delimiter: string; layout: string; rejected: Record<string, { values?: Record<string, number> }> }[] } }).meta.files;
    const np = files.find((file) => file.file.endsWith('np_ak9.csv'));
    expect([np?.delimiter, np?.layout, np?.rejected.field_count?.values]).toEqual(['semicolon', 'long', { '4 of 7': 1 }]);
  });

  it('never colours output that is not a terminal', () => {
    expect(table.stdout).not.toMatch(/\u001b\[/);
    expect(table.stderr).not.toMatch(/\u001b\[/);
  });

  it('accounts for every row: read = accepted + rejected, per file and in all', () => {
    let read = 0;
    for (const file of report.meta.files) {
      const rejected = Object.values(file.rejected).reduce((sum, entry) => sum + entry.count, 0);
      expect(file.rows.read).toBe(file.rows.accepted + file.rows.rejected);
      expect(file.rows.rejected).toBe(rejected);
      for (const entry of Object.values(file.rejected)) {
        expect(entry.examples.length).toBeGreaterThan(0);
        for (const example of entry.examples) expect(example).toMatch(new RegExp(`^${file.file.replace(/[.]/g, '\\.')}:\\d+$`));
      }
      read += file.rows.read;
    }
    expect(report.meta.rows.read).toBe(read);
    expect(report.meta.rows.read).toBe(report.meta.rows.accepted + report.meta.rows.rejected);
  });

  it('counts every physical data line of every file as read or as blank', () => {
    for (const file of report.meta.files) {
      const text = readFileSync(file.file, 'latin1');
      const lines = text.split(/\r?\n/);
      const nonBlank = lines.slice(1).filter((line) => line.trim() !== '').length;
      expect(file.rows.read).toBe(nonBlank);
    }
  });

  it('writes flat JSON rows with the documented keys; suppressed figures are null, never 0', () => {
    const keys = ['school_year', 'grade_level', 'area', 'school', 'subject', 'level', 'n', 'n_grade_only', 'n_test_only', 'share_higher', 'share_same', 'share_lower', 'net_gap', 'mean_diff', 'mean_diff_ci_low', 'mean_diff_ci_high', 'kappa_w', 'suppressed', 'matrix'];
    for (const row of report.rows) for (const key of keys) expect(row).toHaveProperty(key);
    const hidden = report.rows.filter((row) => row.suppressed === true);
    expect(hidden.length).toBeGreaterThan(0);
    for (const row of hidden) {
      expect(row.n).toBeNull();
      expect(row.share_higher).toBeNull();
      expect(row.matrix).toBeNull();
    }
    const shown = report.rows.filter((row) => row.suppressed === false);
    for (const row of shown) expect(row.n as number).toBeGreaterThanOrEqual(10);
  });

  it('shows the tiny school only as suppressed, in every format', () => {
    const tiny = report.rows.filter((row) => row.school === 'Tallmyrens skola');
    expect(tiny.length).toBeGreaterThan(0);
    expect(tiny.every((row) => row.suppressed === true)).toBe(true);
    const lines = csv.stdout.split('\n').filter((line) => line.includes('Tallmyrens skola'));
    expect(lines.length).toBe(tiny.length);
    for (const line of lines) expect(line).toMatch(/,true,(small_group|complementary),/);
    for (const line of table.stdout.split('\n').filter((l) => l.includes('Tallmyrens skola'))) expect(line).not.toMatch(/\d/);
  });

  it('prints no personnummer and no names in any format', () => {
    const names = readFileSync('fixtures/demo/exports/betyg_ak6_ak9.csv', 'latin1')
      .split(/\r?\n/)
      .slice(1, 200)
      .flatMap((line) => line.split(';').slice(1, 3))
      .filter((name) => name.length > 2);
    for (const output of [table.stdout, json.stdout, csv.stdout, table.stderr]) {
      expect(output).not.toMatch(PERSONNUMMER);
      for (const name of new Set(names)) expect(output).not.toContain(`${name}`);
    }
  });

  it('writes JSON exactly as JSON.stringify(…, null, 2) would (rows are serialised piece by piece)', () => {
    expect(json.stdout).toBe(`${JSON.stringify(JSON.parse(json.stdout), null, 2)}\n`);
  });

  it('carries a run manifest: tool version, parameters and a SHA-256 per input file', () => {
    const meta = JSON.parse(json.stdout).meta as { version: string; parameters: { by: string[] }; files: { file: string; bytes: number; sha256: string }[] };
    expect(meta.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(meta.parameters.by).toEqual(['school_year', 'grade_level', 'area', 'school', 'subject']);
    for (const file of meta.files) {
      const bytes = readFileSync(file.file);
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('is deterministic: the same inputs give byte-identical reports', async () => {
    const again = await runIn([...DEMO, '--format', 'json']);
    expect(again.stdoutBytes.equals(json.stdoutBytes)).toBe(true);
  });
});

describe('gap options', () => {
  it('--excel writes semicolons, decimal commas and a BOM, and neutralises formulas', async () => {
    const dir = tmp();
    const file = join(dir, 'x.csv');
    const rows = ['student_id;school;area;school_year;grade_level;subject;grade;test'];
    for (let i = 0; i < 12; i++) rows.push(`P${i};=HYPERLINK("http://x");-Område;2024/25;6;MA;${i % 2 ? 'C' : 'B'};D`);
    writeFileSync(file, rows.join('\n'));
    const result = await runIn(['gap', file, '--excel', '--quiet']);
    expect(result.status).toBe(0);
    expect(result.stdoutBytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(result.stdout).toContain(`;"'=HYPERLINK(""http://x"")";`);
    expect(result.stdout).toContain(`;'-Område;`);
    expect(result.stdout).not.toMatch(/;=/);
    // mean_diff: (6 × 2.5 + 6 × 5) / 12 = 3.75, rounded as the table shows it (one decimal), with a decimal comma, as a number.
    expect(result.stdout).toContain(';3,8;');
    expect(result.stdout).toContain('\r\n');
  });

  it('--list-cases masks ids unless --show-ids', async () => {
    const masked = await runIn([...DEMO, '--list-cases', '--format', 'json', '--quiet']);
    expect(masked.status).toBe(0);
    const cases = parse(masked.stdout).cases ?? [];
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => /^elev-\d{4}$/.test(String(c.pupil)))).toBe(true);
    expect(masked.stdout).not.toMatch(PERSONNUMMER);
    const shown = await runIn([...DEMO, '--list-cases', '--show-ids', '--format', 'json', '--quiet']);
    expect((parse(shown.stdout).cases ?? []).every((c) => /^\d{12}$/.test(String(c.pupil)))).toBe(true);
  });

  it('--show-ids alone is refused', async () => {
    const result = await runIn([...DEMO, '--show-ids']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('ska-analyze: --show-ids fungerar bara tillsammans med --list-cases\n');
    expect((await runIn([...DEMO, '--show-ids', '--lang', 'en'])).stderr).toBe('ska-analyze: --show-ids only works together with --list-cases\n');
  });

  it('--by gender,subject and --lang en', async () => {
    const result = await runIn([...DEMO, '--by', 'school_year,grade_level,subject,gender', '--lang', 'en', '--quiet']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Teacher grades compared with national tests');
    expect(result.stdout).toContain('Total, girls');
    expect(result.stdout).toContain('Mathematics');
  });

  it('reads stdin with -', async () => {
    const input = readFileSync('fixtures/demo/exports/nationella_prov_ak6.csv');
    const grades = readFileSync('fixtures/demo/exports/betyg_ak6_ak9.csv');
    const viaFile = await runIn(['gap', 'fixtures/demo/exports/betyg_ak6_ak9.csv', 'fixtures/demo/exports/nationella_prov_ak6.csv', '--format', 'json', '--quiet']);
    // In-process; tests/e2e/bin.test.ts gives stdin through a real pipe to the built program.
    const viaStdin = await runIn(['gap', 'fixtures/demo/exports/betyg_ak6_ak9.csv', '-', '--format', 'json', '--quiet'], { input });
    expect(viaStdin.status).toBe(0);
    expect(parse(viaStdin.stdout).rows).toEqual(parse(viaFile.stdout).rows);
    expect(grades.length).toBeGreaterThan(0);
  });

  it('--output writes the file and nothing to stdout', async () => {
    const out = join(tmp(), 'r.json');
    const result = await runIn([...DEMO, '--format', 'json', '--output', out, '--quiet']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(parse(readFileSync(out, 'utf8')).rows.length).toBeGreaterThan(0);
  });
});

describe('bad input: one clear line, exit 2, no stack trace', () => {
  it('a missing file', async () => {
    const result = await runIn(['gap', 'nope.csv']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('ska-analyze: nope.csv: filen finns inte\n');
    const english = await runIn(['gap', 'nope.csv', '--lang', 'en']);
    expect(english.stderr).toBe('ska-analyze: nope.csv: no such file\n');
    const equals = await runIn(['gap', '--lang=en', 'nope.csv']);
    expect(equals.stderr).toBe('ska-analyze: nope.csv: no such file\n');
  });

  it('an empty file', async () => {
    const file = join(tmp(), 'empty.csv');
    writeFileSync(file, '\n\n');
    const result = await runIn(['gap', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`ska-analyze: ${file}: filen är tom (ingen rubrikrad)\n`);
  });

  it('a missing required column names the file, the line and the column', async () => {
    const file = join(tmp(), 'nocol.csv');
    writeFileSync(file, 'Skola;Ämne;Betyg\nA;MA;C\n');
    const result = await runIn(['gap', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^ska-analyze: ${file}:1: obligatorisk kolumn saknas: student_id \\(letade efter: .*school_year .*Ange den under "columns" i --config\\.\\n$`));
    expect(result.stderr.split('\n').length).toBe(2);
  });

  it('an invalid config names the key', async () => {
    const dir = tmp();
    const config = join(dir, 'ska.config.json');
    writeFileSync(config, JSON.stringify({ columns: { student_id: 5 }, min_group: 0 }));
    const result = await runIn([...DEMO, '--config', config]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${config}:1:13: columns.student_id:`);
    expect(result.stderr).toContain(`${config}:1:29: min_group:`);
    expect(result.stderr).not.toMatch(/\s+at /);
  });

  it('an unknown option value', async () => {
    const result = await runIn([...DEMO, '--by', 'school,planet']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--by: okänd indelning planet; välj bland läsår, årskurs, skolområde');
    const english = await runIn([...DEMO, '--by', 'school,planet', '--lang', 'en']);
    expect(english.stderr).toContain('--by: unknown dimension planet; choose from school_year');
  });

  // Spawned: only a real process sees its stdout pipe closed by `head` (EPIPE).
  it('a closed pipe (| head) ends quietly with exit 0 (in-process: stdout reports EPIPE after the first piece)', async () => {
    const { main } = await import('../../src/cli.js');
    const pieces: string[] = [];
    const stdout = {
      isTTY: false,
      write(chunk: string, callback?: (error?: Error | null) => void): boolean {
        pieces.push(chunk);
        const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        callback?.(pieces.length > 1 ? error : null);
        return true;
      },
    };
    const stderr = new Collector();
    const status = await main(['gap', 'fixtures/demo/exports', '--format', 'json', '--quiet'], { stdout, stderr, stdin: (async function* () {})(), env: { NO_COLOR: '1' } });
    expect(status).toBe(0);
    expect(pieces.length).toBe(2); // it stopped writing at the first failed piece
    expect(stderr.text).toBe('');
  });
});

describe('--fail-on', () => {
  it('writes the report, names the breaching groups on stderr and exits 3', async () => {
    const result = await runIn([...DEMO, '--format', 'json', '--quiet', '--fail-on', 'share_higher>0.6']);
    expect(result.status).toBe(3);
    expect(JSON.parse(result.stdout).rows.length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/^ska-analyze: --fail-on share_higher>0\.6: \d+ grupper? \(.*Solåsens skola.*\)\n$/);
    expect(result.stderr).not.toMatch(PERSONNUMMER);
  });

  it('exits 0 when nothing breaches, and 2 for an unknown key before reading anything', async () => {
    expect((await runIn([...DEMO, '--quiet', '--fail-on', 'n>100000'])).status).toBe(0);
    const bad = await runIn(['gap', 'nope.csv', '--fail-on', 'planet>1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--fail-on: "planet" är inte en nyckel i rapportens rader (t.ex. school_year, grade_level');
    expect((await runIn(['gap', 'nope.csv', '--fail-on', 'planet>1', '--lang', 'en'])).stderr).toContain('--fail-on: "planet" is not a key');
  });
});

describe('--by without subject, grade level or school year (found by review)', () => {
  // Four pupils at S1 with grades and tests in three subjects: 12 results, 4 pupils.
  const dir = mkdtempSync(join(tmpdir(), 'ska-pooled-'));
  const file = join(dir, 'betyg.csv');
  const rows = ['Elev-ID;Skola;Årskurs;Läsår;Ämne;Betyg;Provbetyg'];
  for (let k = 0; k < 4; k++) for (const subject of ['MA', 'EN', 'SV']) rows.push(`P${k};S1;9;2024/25;${subject};B;C`);
  for (let k = 0; k < 30; k++) for (const subject of ['MA', 'EN', 'SV']) rows.push(`Q${k};S2;9;2024/25;${subject};C;C`);
  for (let k = 0; k < 30; k++) for (const subject of ['MA', 'EN', 'SV']) rows.push(`R${k};S3;9;2024/25;${subject};C;B`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  // The same pupils' år 5 omdömen a year earlier and år 6 tests, three subjects: for transition.
  const links = join(dir, 'overgang.csv');
  const linkRows = ['Elev-ID;Skola;Årskurs;Läsår;Ämne;Typ;Resultat'];
  for (const [prefix, school, count] of [['P', 'S1', 4], ['Q', 'S2', 30], ['R', 'S3', 30]] as const) {
    for (let k = 0; k < count; k++) {
      for (const subject of ['MA', 'EN', 'SV']) {
        linkRows.push(`${prefix}${k};${school};5;2023/24;${subject};bedömning;2`, `${prefix}${k};${school};6;2024/25;${subject};Provbetyg;C`);
      }
    }
  }
  writeFileSync(links, `${linkRows.join('\n')}\n`);

  it('a group of 4 pupils with 3 subjects each (12 results) shows no figures with --min-group 10: the minimum is multiplied by the results a pupil can have in a group', async () => {
    type Row = { school: string | null; subject?: string | null; n: number | null; suppressed: boolean; suppressed_reason: string | null };
    const rowsOf = async (args: string[]) => (JSON.parse((await runIn(['gap', file, '-q', '--format', 'json', ...args])).stdout) as { rows: Row[] }).rows;
    const pooled = await rowsOf(['--by', 'skola']);
    expect(pooled.map((row) => [row.school, row.n, row.suppressed_reason])).toEqual([
      [null, 192, null],
      ['S1', null, 'small_group'],
      ['S2', null, 'complementary'],
      ['S3', 90, null],
    ]);
    // Split by subject, a group's n is its pupils: S1's 4 are hidden in each subject all the same.
    const split = await rowsOf(['--by', 'skola,ämne']);
    expect(split.filter((row) => row.school === 'S1').map((row) => row.suppressed_reason)).toEqual(['small_group', 'small_group', 'small_group']);
    expect(split.filter((row) => row.school === 'S3').map((row) => row.n)).toEqual([30, 30, 30]);
    // Transition without subject in --by: 4 pupils linked in 3 subjects are 12 links, hidden.
    const transition = JSON.parse((await runIn(['transition', links, '-q', '--format', 'json', '--by', 'skola'])).stdout) as { rows: Row[] };
    expect(transition.rows.map((row) => [row.school, row.n, row.suppressed_reason])).toEqual([
      [null, 192, null],
      ['S1', null, 'small_group'],
      ['S2', null, 'complementary'],
      ['S3', 90, null],
    ]);
  });

  it('says on stderr that each group then counts results, not pupils, and that --min-group applies to results (sv and en); silent when the dimensions are in --by', async () => {
    const pooled = await runIn(['gap', file, '--by', 'skola']);
    expect(pooled.status, pooled.stderr).toBe(0);
    expect(pooled.stderr).toContain('ska-analyze: läsår, årskurs och ämne är inte med i --by, så varje grupp lägger ihop dem: Elever räknar då elevens resultat');
    const english = await runIn(['gap', file, '--by', 'school,subject', '--lang', 'en']);
    expect(english.stderr).toContain('ska-analyze: school year and grade level are not in --by, so each group adds them together');
    const full = await runIn(['gap', file, '--by', 'läsår,årskurs,skola,ämne']);
    expect(full.stderr).not.toContain('inte med i --by');
    const transition = await runIn(['transition', file, '--by', 'skola', '--lang', 'en']);
    expect(transition.stderr).toContain('ska-analyze: subject is not in --by');
  });
});
