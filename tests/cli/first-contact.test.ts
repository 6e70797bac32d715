/**
 * First contact with a real export folder (issue 10): a folder as the user keeps it, files without
 * a grade level, exit codes a script can trust, and no id, name or control character leaking into
 * any output. In-process runs on small synthetic exports written to a temporary folder.
 *
 * Pupil ids are from Skatteverket's test series (födelsenummer 980–999, never a real person).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runIn, type RunResult } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'ska-first-contact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A test-series personnummer (YYYYMMDD98NC) for pupil k (k < 280), born 2012 (år 6 in 2024/25). */
function pupil(k: number, year = 2012): string {
  const day = String((k % 28) + 1).padStart(2, '0');
  const serial = `98${Math.floor(k / 28) % 10}`;
  const ten = `${String(year).slice(2)}03${day}${serial}`;
  let sum = 0;
  for (let i = 0; i < ten.length; i++) {
    let d = Number(ten[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${year}03${day}${serial}${(10 - (sum % 10)) % 10}`;
}

const SCHOOLS = ['Ekbackens skola', 'Solåsens skola'];
const GRADES = ['A', 'B', 'C', 'D', 'E', 'F'];
const N = 24;

/** År 6 2024/25: grades and tests for N pupils, two schools, MA and SV. */
function gradesAndTests(): string {
  const lines = ['Personnummer;Skola;Årskurs;Läsår;Ämne;Betyg;Provbetyg'];
  for (let k = 0; k < N; k++) {
    for (const subject of ['MA', 'SV']) lines.push(`${pupil(k)};${SCHOOLS[k % 2]};6;2024/25;${subject};${GRADES[k % 6]};${GRADES[(k + 1) % 6]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** År 5 2023/24 omdömen for the same pupils, with no Årskurs and no Klass column. */
function omdomenWithoutLevel(): string {
  const lines = ['Personnummer;Skola;Läsår;Ämne;Omdöme'];
  for (let k = 0; k < N; k++) for (const subject of ['MA', 'SV']) lines.push(`${pupil(k)};${SCHOOLS[k % 2]};2023/24;${subject};${k % 4 === 0 ? 'Ej godtagbar' : 'Godtagbar'}`);
  return `${lines.join('\n')}\n`;
}

function folder(name: string, files: Record<string, string | Buffer>): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
}

const AREAS = 'Skola;Skolområde\nEkbackens skola;Norra\nSolåsens skola;Södra\n';

function json(result: RunResult): { meta: Record<string, any>; rows: Record<string, any>[] } {
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('a folder as the user keeps it', () => {
  const exports = folder('as-kept', {
    'betyg_prov.csv': gradesAndTests(),
    'skolomraden.csv': AREAS,
    'LÄS MIG.txt': 'Exporterna från skolplattformen, våren 2025.\nFrågor till Anna.\n',
    'README.md': '# Exporter\n',
    'instruktion.pdf': '%PDF-1.4\n',
    'betyg.xlsx': 'PK\u0003\u0004',
    '.DS_Store': '\u0000\u0000',
  });

  it('uses the areas file found among the exports, and names every other file with why it is not read', async () => {
    const out = await runIn(['gap', exports, '--min-group', '1', '--format', 'json']);
    const report = json(out);
    expect(new Set(report.rows.map((row) => row.area))).toEqual(new Set([null, 'Norra', 'Södra']));
    expect(out.stderr).toContain(`${join(exports, 'skolomraden.csv')}: skolområdesfil (Skola;Skolområde); används för skolområden`);
    expect(out.stderr).toContain(`${join(exports, 'LÄS MIG.txt')}: inte en export; lästes inte (ingen kolumn för elev-id, läsår, ämne)`);
    expect(out.stderr).toContain(`${join(exports, 'README.md')}: inte en CSV-fil; lästes inte`);
    expect(out.stderr).toContain(`${join(exports, 'instruktion.pdf')}: inte en CSV-fil; lästes inte`);
    expect(out.stderr).toContain(`${join(exports, 'betyg.xlsx')}: Excel-arbetsbok som inte kan läsas (skadad eller lösenordsskyddad); lästes inte`);
    expect(out.stderr).toContain(`${join(exports, '.DS_Store')}: dold fil`);
    expect(report.meta.not_read.map((note: { reason: string }) => note.reason).sort()).toEqual(['areas_used', 'hidden', 'not_a_table', 'not_a_table', 'not_export', 'workbook_unreadable']);
    expect(report.meta.files.map((file: { file: string }) => file.file)).toEqual([join(exports, 'betyg_prov.csv')]);
  });

  it('the same areas file also given with --areas: used once, noted; another --areas wins', async () => {
    const same = await runIn(['gap', exports, '--areas', join(exports, 'skolomraden.csv'), '--min-group', '1', '--format', 'json']);
    expect(json(same).rows.some((row) => row.area === 'Norra')).toBe(true);
    expect(same.stderr).toContain('skolomraden.csv: skolområdesfil (Skola;Skolområde); används för skolområden');
    const other = join(dir, 'andra-omraden.csv');
    writeFileSync(other, 'Skola;Skolområde\nEkbackens skola;Väst\nSolåsens skola;Öst\n');
    const wins = await runIn(['gap', exports, '--areas', other, '--min-group', '1', '--format', 'json']);
    expect(new Set(json(wins).rows.map((row) => row.area))).toEqual(new Set([null, 'Väst', 'Öst']));
    expect(wins.stderr).toContain('skolomraden.csv: skolområdesfil (Skola;Skolområde); hoppades över eftersom --areas anger en annan');
  });

  it('inspect reports every file and stops at none; a broken export among them gives exit 2 after the report', async () => {
    const mixed = folder('mixed', { 'a.csv': gradesAndTests(), 'b.csv': 'Personnummer;Läsår;Ämne;Betyg\n' + `${pupil(1)};läsår?;MA;C\n`.repeat(3), 'c.csv': gradesAndTests() });
    const out = await runIn(['inspect', mixed]);
    expect(out.status).toBe(2);
    for (const name of ['a.csv', 'b.csv', 'c.csv']) expect(out.stdout).toContain(join(mixed, name));
    expect(out.stdout).toContain('Varje rad avvisades: filen kan inte användas');
    const gap = await runIn(['gap', mixed, '-q']);
    expect(gap.status).toBe(2);
    expect(gap.stderr).toBe(`ska-analyze: ${join(mixed, 'b.csv')}:2: alla rader avvisades (3 rader; främst: läsår/termin kunde inte tolkas), så filen kan inte användas. Kör "ska-analyze inspect ${join(mixed, 'b.csv')}" för att se varför.\n`);
    const english = await runIn(['gap', mixed, '-q', '--lang', 'en']);
    expect(english.stderr).toBe(`ska-analyze: ${join(mixed, 'b.csv')}:2: every row was rejected (3 rows; mostly: school year not understood), so the file cannot be used. Run "ska-analyze inspect ${join(mixed, 'b.csv')}" to see why.\n`);
  });

  it('a report written into the folder is noted, and skipped by the next run as ska-analyze output', async () => {
    const first = await runIn(['gap', exports, '--min-group', '1', '--format', 'csv', '-o', join(exports, 'gap.csv')]);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('rapporten skrivs i');
    const excel = await runIn(['gap', exports, '--min-group', '1', '--excel', '-o', join(exports, 'gap-excel.csv'), '-q']);
    expect(excel.status).toBe(0);
    const cases = await runIn(['gap', exports, '--min-group', '1', '--list-cases', '--format', 'csv', '-o', join(exports, 'fall.csv'), '-q']);
    expect(cases.status).toBe(0);
    const again = await runIn(['gap', exports, '--min-group', '1', '--format', 'json']);
    expect(json(again).meta.files).toHaveLength(1);
    for (const name of ['gap.csv', 'gap-excel.csv', 'fall.csv']) expect(again.stderr).toContain(`${join(exports, name)}: en rapport som ska-analyze skrivit, inte en export; lästes inte`);
    // Named on the command line, an earlier report is refused rather than read.
    const named = await runIn(['gap', join(exports, 'gap.csv'), '-q']);
    expect(named.status).toBe(2);
    expect(named.stderr).toContain('det här är en rapport som ska-analyze har skrivit, inte en export');
    expect((await runIn(['gap', join(exports, 'gap.csv'), '-q', '--lang', 'en'])).stderr).toContain('this is a report written by ska-analyze, not an export');
    // The folder as the other tests expect it, whatever order they run in.
    for (const name of ['gap.csv', 'gap-excel.csv', 'fall.csv']) rmSync(join(exports, name));
  });
});

describe('files without a grade level', () => {
  const tests6 = gradesAndTests();

  it('by the file name: omdomen_ak5.csv gives its rows år 5, and the accounting says so', async () => {
    const exports = folder('by-name', { 'omdomen_ak5.csv': omdomenWithoutLevel(), 'ak6.csv': tests6 });
    const out = await runIn(['transition', exports, '--min-group', '1', '--format', 'json']);
    const report = json(out);
    expect(report.meta.coverage.linked).toBe(N * 2);
    const file = report.meta.files.find((f: { file: string }) => f.file.endsWith('omdomen_ak5.csv'));
    expect(file.constants).toEqual([{ field: 'grade_level', value: '5', source: 'file_name', pattern: null, rows: N * 2 }]);
    expect(out.stderr).toContain(`årskurs 5 från filnamnet för ${N * 2} rader utan egen årskurs`);
  });

  it.each(['Bedömningar åk 5.csv', 'omdomen-årskurs5.csv', 'OMDOMEN_AK5.CSV', 'arskurs 5.csv'])('reads the level from "%s"', async (name) => {
    const exports = folder(`name-${name.replace(/\W/g, '')}`, { [name]: omdomenWithoutLevel(), 'ak6.csv': tests6 });
    expect(json(await runIn(['transition', exports, '--min-group', '1', '--format', 'json', '-q'])).meta.coverage.linked).toBe(N * 2);
  });

  it('by the omdöme rule: omdömen with no level from any source are placed at --from, counted', async () => {
    const exports = folder('by-rule', { 'omdomen.csv': omdomenWithoutLevel(), 'ak6.csv': tests6 });
    const out = await runIn(['transition', exports, '--min-group', '1', '--format', 'json']);
    const report = json(out);
    expect(report.meta.coverage.linked).toBe(N * 2);
    expect(report.meta.coverage.assessment_level_assumed).toBe(N * 2);
    expect(out.stderr).toContain(`${N * 2} omdömen utan årskurs, räknade som --from`);
  });

  it('by the config, which always wins: "files" sets the grade level for matching file names', async () => {
    const exports = folder('by-config', { 'export_2024.csv': omdomenWithoutLevel(), 'ak6.csv': tests6 });
    const config = join(dir, 'files.config.json');
    writeFileSync(config, '{ "files": { "export_*.csv": { "grade_level": 5 } } }\n');
    const out = await runIn(['transition', exports, '--config', config, '--min-group', '1', '--format', 'json']);
    const report = json(out);
    expect(report.meta.coverage.linked).toBe(N * 2);
    expect(report.meta.coverage.assessment_level_assumed).toBe(0);
    expect(out.stderr).toContain('årskurs = 5 för hela filen (konfigurationens files: "export_*.csv")');
    // It wins over a level in the file name and a column too: år 4 links nothing to år 6.
    writeFileSync(config, '{ "files": { "omdomen_ak5.csv": { "grade_level": 4 } } }\n');
    const named = folder('by-config-wins', { 'omdomen_ak5.csv': omdomenWithoutLevel(), 'ak6.csv': tests6 });
    const wins = await runIn(['transition', named, '--config', config, '--min-group', '1', '-q']);
    expect(wins.status).toBe(4);
  });

  it('the report no longer says the exports hold no år 5 assessments', async () => {
    const exports = folder('report', { 'omdomen.csv': omdomenWithoutLevel(), 'ak6.csv': tests6 });
    const out = await runIn(['report', exports, '--min-group', '1', '--format', 'md', '-q']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('åk 5 2023/24 → åk 6 2024/25');
    expect(out.stdout).not.toContain('Inga elever kunde följas');
  });

  it('inspect names the problem and the fix; init writes the config entry', async () => {
    const exports = folder('inspect', { 'export.csv': omdomenWithoutLevel() });
    const inspect = await runIn(['inspect', exports]);
    expect(inspect.status).toBe(0);
    // Long lines are wrapped at the width (100 in a pipe), their continuation indented: read them as one.
    const text = inspect.stdout.replace(/\n +/g, ' ');
    expect(text).toContain(`Ingen årskurs: ${N * 2} rader har ingen årskurs`);
    expect(text).toContain('"files": { "export.csv": { "grade_level": 5 } }');
    const init = await runIn(['init', exports, '-o', '-', '-q']);
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/"files": \{\n\s+"export\.csv": \{ "grade_level": 5 \}\n\s+\}/);
    const config = join(dir, 'init-files.json');
    writeFileSync(config, init.stdout);
    const withTests = folder('inspect-then', { 'export.csv': omdomenWithoutLevel(), 'ak6.csv': tests6 });
    const out = await runIn(['transition', withTests, '--config', config, '--min-group', '1', '--format', 'json', '-q']);
    expect(json(out).meta.coverage.linked).toBe(N * 2);
  });
});

describe('exit codes a script can trust', () => {
  it('4 and one line when gap finds no grade–test pair', async () => {
    const tests = folder('tests-only', { 'np.csv': 'Personnummer;Årskurs;Läsår;Ämne;Provbetyg\n' + `${pupil(1)};6;2024/25;MA;C\n` });
    const out = await runIn(['gap', tests]);
    expect(out.status).toBe(4);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim().split('\n').at(-1)).toMatch(/^ska-analyze: inga siffror: inget lärarbetyg kunde paras ihop med ett provbetyg/);
    const english = await runIn(['gap', tests, '-q', '--lang', 'en']);
    expect(english.status).toBe(4);
    expect(english.stderr).toMatch(/^ska-analyze: no figures: no teacher grade could be paired with a national test grade/);
  });

  it('4 and one line when transition links no pupil', async () => {
    const grades = folder('no-link', { 'g.csv': gradesAndTests() });
    const out = await runIn(['transition', grades, '-q']);
    expect(out.status).toBe(4);
    expect(out.stderr).toMatch(/^ska-analyze: inga siffror: ingen elev kunde länkas från åk 5 \(bedömning\) till åk 6 \(provbetyg\) ett år senare\. Kontrollera med "ska-analyze inspect" att resultaten i åk 5 har en årskurs/);
    const english = await runIn(['transition', grades, '-q', '--lang', 'en']);
    expect(english.stderr).toMatch(/^ska-analyze: no figures: no pupil could be linked from år 5 \(assessment\) to år 6 \(test\) a year later\. Check with "ska-analyze inspect" that the år 5 results have a grade level/);
  });

  it('a UTF-16 file without a byte-order mark is read as UTF-16, not rejected row by row', async () => {
    const text = gradesAndTests();
    const exports = folder('utf16', { 'le.csv': Buffer.from(text, 'utf16le') });
    const plain = folder('utf8', { 'le.csv': text });
    const out = json(await runIn(['gap', exports, '--min-group', '1', '--format', 'json', '-q']));
    expect(out.meta.files[0].encoding).toBe('utf-16le');
    expect(out.rows).toEqual(json(await runIn(['gap', plain, '--min-group', '1', '--format', 'json', '-q'])).rows);
  });

  it('bare CR line ends (CSV for Mac) give the same figures as LF', async () => {
    const text = gradesAndTests();
    const mac = folder('cr', { 'mac.csv': text.replace(/\n/g, '\r') });
    const plain = folder('lf', { 'mac.csv': text });
    const out = json(await runIn(['gap', mac, '--min-group', '1', '--format', 'json', '-q']));
    expect(out.meta.files[0].line_end).toBe('cr');
    expect(out.meta.rows.accepted).toBe(N * 2);
    expect(out.rows).toEqual(json(await runIn(['gap', plain, '--min-group', '1', '--format', 'json', '-q'])).rows);
  });

  it('a comment cell of 60 lines is one row, and a data-looking line inside it is not a pupil', async () => {
    const comment = Array.from({ length: 60 }, (_, i) => (i === 30 ? `${pupil(200)};Ekbackens skola;6;2024/25;EN;A;A` : `rad ${i}`)).join('\n');
    const text = gradesAndTests().replace('Provbetyg\n', 'Provbetyg;Kommentar\n').replace(/\n(?=.)/g, ';\n').replace(/;\n/, '\n');
    const lines = text.trimEnd().split('\n').map((line, i) => (i === 0 ? line : `${line.replace(/;$/, '')};`));
    lines[1] = `${lines[1]}"${comment}"`;
    const exports = folder('comment', { 'k.csv': `${lines.join('\n')}\n` });
    const out = json(await runIn(['gap', exports, '--min-group', '1', '--format', 'json', '-q']));
    expect(out.meta.rows).toEqual({ read: N * 2, accepted: N * 2, rejected: 0, outside_selection: 0 });
    expect(out.rows.some((row) => row.subject === 'EN')).toBe(false);
  });
});

describe('no id, name or control character in any output', () => {
  const ID = '2009-01-01-9899'; // test series (födelsenummer 989), not a real person
  const EN_DASH_ID = '090101–9899';
  const ESC = 'Ond\u001b]0;titel\u0007\u001b[31mskola\u009b';
  const ESC_CELL = `"${ESC}"`;
  // Rows 2–3: ids in a label (school, class); row 4: a name in the grade column; the rest are fine.
  const rows = [
    `${pupil(100)};${ID};6A;6;2024/25;MA;C;C`,
    `${pupil(101)};Ekbackens skola;${EN_DASH_ID};6;2024/25;MA;C;C`,
    `${pupil(102)};Ekbackens skola;6A;6;2024/25;MA;MAJA LINDQVIST;C`,
    `${pupil(103)};Ekbackens skola;6A;6;2024/25;MA;C;Oscar`,
  ];
  const good = Array.from({ length: N }, (_, k) => `${pupil(k)};${k % 2 === 0 ? ESC_CELL : 'Ekbackens skola'};6A;6;2024/25;MA;${GRADES[k % 6]};${GRADES[(k + 2) % 6]}`);
  const omdomen = Array.from({ length: N }, (_, k) => `${pupil(k)};${k % 2 === 0 ? ESC_CELL : 'Ekbackens skola'};5A;5;2023/24;MA;Godtagbar`);
  const exports = folder('privacy', {
    'betyg.csv': ['Personnummer;Skola;Klass;Årskurs;Läsår;Ämne;Betyg;Provbetyg', ...rows, ...good].join('\n') + '\n',
    'omdomen.csv': ['Personnummer;Skola;Klass;Årskurs;Läsår;Ämne;Omdöme', ...omdomen].join('\n') + '\n',
  });
  const leaks = [ID, EN_DASH_ID, '0101-9899', '01019899', '090101', '2009-01-01', 'MAJA', 'LINDQVIST', 'Lindqvist', 'Oscar', '\u001b', '\u0007', '\u009b'];

  const runs: [string, string[]][] = [
    ['gap table', ['gap', exports, '--min-group', '1']],
    ['gap json', ['gap', exports, '--min-group', '1', '--format', 'json']],
    ['gap csv', ['gap', exports, '--min-group', '1', '--format', 'csv']],
    ['gap excel', ['gap', exports, '--min-group', '1', '--excel']],
    ['gap matrix', ['gap', exports, '--min-group', '1', '--matrix']],
    ['transition table', ['transition', exports, '--min-group', '1']],
    ['transition json', ['transition', exports, '--min-group', '1', '--format', 'json']],
    ['trend table', ['trend', exports, '--min-group', '1']],
    ['trend csv', ['trend', exports, '--min-group', '1', '--format', 'csv']],
    ['report md', ['report', exports, '--min-group', '1', '--format', 'md']],
    ['report html', ['report', exports, '--min-group', '1']],
    ['inspect', ['inspect', exports]],
    ['inspect json', ['inspect', exports, '--format', 'json']],
    ['init', ['init', exports, '-o', '-']],
  ];

  it.each(runs)('%s: stdout and stderr hold none of them', async (_name, args) => {
    const out = await runIn(args);
    expect(out.status, out.stderr).toBe(0);
    for (const leak of leaks) {
      expect(out.stdout, JSON.stringify(leak)).not.toContain(leak);
      expect(out.stderr, JSON.stringify(leak)).not.toContain(leak);
    }
  });

  it('the rows with an id in a label are rejected under their own reason, with their lines', async () => {
    const report = json(await runIn(['gap', exports, '--min-group', '1', '--format', 'json', '-q']));
    const file = report.meta.files.find((f: { file: string }) => f.file.endsWith('betyg.csv'));
    expect(file.rejected.personal_id_in_label).toMatchObject({ count: 2, examples: [`${join(exports, 'betyg.csv')}:2`, `${join(exports, 'betyg.csv')}:3`] });
    expect(file.rejected.invalid_grade.values).toEqual({ '[text, 14 characters]': 1, '[text, 5 characters]': 1 });
  });

  it('control characters are shown as visible stand-ins in the table (␛ for ESC)', async () => {
    const shown = 'Ond␛]0;titel␇␛[31mskola\ufffd';
    for (const args of [['gap', exports, '--min-group', '1'], ['transition', exports, '--min-group', '1'], ['trend', exports, '--min-group', '1'], ['inspect', exports], ['report', exports, '--min-group', '1', '--format', 'md']]) {
      const out = await runIn(args);
      // Markdown escapes the [ of the shown text.
      expect(out.stdout, args[0]).toContain(args.includes('md') ? shown.replace(']', '\\]').replace('[', '\\[') : shown);
    }
  });

  it('inspect --raw-values shows the rejected values as they are, with a warning', async () => {
    const out = await runIn(['inspect', exports, '--raw-values']);
    expect(out.stdout).toContain('Avvisade värden visas som de står (--raw-values)');
    expect(out.stdout).toContain('MAJA LINDQVIST');
    expect(out.stdout).toContain('Oscar');
  });
});

describe('found by review: holes closed', () => {
  it('a copy of an export (np (1).csv) and a file given twice are read once, with a note', async () => {
    const text = gradesAndTests();
    const exports = folder('copies', { 'np.csv': text, 'np (1).csv': text });
    const out = await runIn(['gap', exports, join(exports, 'np.csv'), '--min-group', '1', '--format', 'json']);
    const report = json(out);
    expect(report.meta.files).toHaveLength(1);
    expect(report.meta.rows.accepted).toBe(N * 2);
    expect(out.stderr).toContain(`${join(exports, 'np.csv')}: samma fil som ${join(exports, 'np.csv')}; lästes en gång`);
    // "np (1).csv" sorts first, so it is the one read; np.csv is its copy.
    expect(out.stderr).toContain(`${join(exports, 'np.csv')}: samma innehåll som (en kopia); lästes en gång, som ${join(exports, 'np (1).csv')}`);
    expect(report.meta.not_read.map((note: { reason: string }) => note.reason).sort()).toEqual(['copy', 'same_file']);
  });

  it('-o onto the areas file found in the folder is refused before anything is read; the file is unchanged', async () => {
    const exports = folder('o-areas', { 'betyg.csv': gradesAndTests(), 'omraden.csv': AREAS });
    const before = readFileSync(join(exports, 'omraden.csv'), 'utf8');
    const out = await runIn(['gap', exports, '-q', '-o', join(exports, 'omraden.csv')]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`--output ${join(exports, 'omraden.csv')} är indatafilen`);
    expect(readFileSync(join(exports, 'omraden.csv'), 'utf8')).toBe(before);
    const init = await runIn(['init', exports, '--force', '-q', '-o', join(exports, 'omraden.csv')]);
    expect(init.status).toBe(2);
    expect(readFileSync(join(exports, 'omraden.csv'), 'utf8')).toBe(before);
    // Refused before reading: even a run that would give no figure says so, not "no figures".
    const tests = folder('o-early', { 'np.csv': 'Personnummer;Årskurs;Läsår;Ämne;Provbetyg\n' + `${pupil(1)};6;2024/25;MA;C\n` });
    expect((await runIn(['gap', join(tests, 'np.csv'), '-q', '-o', join(tests, 'np.csv')])).status).toBe(2);
  });

  it('inspect reports every file it can even when a named file is missing or an areas file cannot be used', async () => {
    const exports = folder('inspect-robust', { 'betyg.csv': gradesAndTests(), 'omr.csv': 'Skola;Skolområde\nEkbackens skola;20120315-9801\n' });
    const out = await runIn(['inspect', exports, join(dir, 'finns-inte.csv')]);
    expect(out.status).toBe(2);
    expect(out.stdout).toContain(join(exports, 'betyg.csv'));
    expect(out.stdout).toContain(`${join(dir, 'finns-inte.csv')}\n  Kunde inte läsas: ${join(dir, 'finns-inte.csv')}: filen finns inte`);
    expect(out.stdout).toContain('ser ut som ett personnummer');
    expect(out.stdout).not.toContain('20120315-9801');
    // The JSON keeps its English texts (a contract for scripts); --lang en gives English in the table.
    const asJson = JSON.parse((await runIn(['inspect', exports, join(dir, 'finns-inte.csv'), '--format', 'json'])).stdout) as { failed: { file: string; error: string }[] };
    expect(asJson.failed.map((failure) => failure.error)).toContainEqual(`${join(dir, 'finns-inte.csv')}: no such file`);
    const english = await runIn(['inspect', exports, join(dir, 'finns-inte.csv'), '--lang', 'en']);
    expect(english.stdout).toContain(`${join(dir, 'finns-inte.csv')}\n  Could not be read: ${join(dir, 'finns-inte.csv')}: no such file`);
    expect(english.stdout).toContain('looks like a personnummer');
  });

  it.each(['2009.01.01-9899', '090101.9899', '09/01/01-9899', '090101_9899', '090101--9899', '090101\u00AD-9899', '090101\u200B-9899', '０９０１０１－９８９９', '09 01 01-98 99'])('%j in a label is a personnummer', async (id) => {
    const exports = folder(`spell-${Buffer.from(id).toString('hex').slice(0, 24)}`, {
      'b.csv': ['Personnummer;Skola;Årskurs;Läsår;Ämne;Betyg;Provbetyg', `${pupil(1)};${id};6;2024/25;MA;C;C`, ...Array.from({ length: 5 }, (_, k) => `${pupil(k + 2)};Ekbackens skola;6;2024/25;MA;C;C`)].join('\n'),
    });
    const out = await runIn(['gap', exports, '--min-group', '1', '--format', 'json']);
    expect(json(out).meta.files[0].rejected.personal_id_in_label.count).toBe(1);
    expect(out.stdout).not.toContain('9899');
  });

  it('config "files": control characters shown as stand-ins; a pattern that matches nothing is named', async () => {
    const exports = folder('cfg-esc', { 'np.csv': gradesAndTests() });
    const config = join(dir, 'esc.config.json');
    writeFileSync(config, JSON.stringify({ files: { 'np*.csv': { area: '\u001b]0;pwned\u0007RÖD' }, 'typo*.csv': { grade_level: 5 } } }));
    const out = await runIn(['gap', exports, '--config', config, '--min-group', '1']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toContain('␛]0;pwned␇RÖD');
    expect(out.stderr + out.stdout).not.toMatch(/[\u0007\u001b]/);
    expect(out.stderr).toContain('konfigurationens files: "typo*.csv" matchar ingen av exporterna');
  });

  it('Excel for Mac\'s "CSV (Macintosh)": Mac Roman with bare CR line ends', async () => {
    const text = gradesAndTests().replace(/Ekbackens/g, 'Björkängs').replace(/\n/g, '\r');
    const MAC: Record<string, number> = { å: 0x8c, ä: 0x8a, ö: 0x9a, Å: 0x81, Ä: 0x80, Ö: 0x85 };
    const bytes = Buffer.from([...text].map((c) => MAC[c] ?? c.charCodeAt(0)));
    const exports = folder('mac', { 'mac.csv': bytes });
    const out = json(await runIn(['gap', exports, '--min-group', '1', '--format', 'json', '-q']));
    expect(out.meta.files[0].encoding).toBe('macintosh');
    expect(out.meta.files[0].columns.grade_level).toBe('Årskurs');
    expect(out.rows.some((row) => row.school === 'Björkängs skola')).toBe(true);
  });

  it('a UTF-8 file with a Windows-1252 part glued on is read as UTF-8 and the bad bytes are reported', async () => {
    const utf8 = Buffer.from('Personnummer;Skola;Årskurs;Läsår;Ämne;Betyg;Provbetyg\n' + `${pupil(1)};Björkängsskolan;6;2024/25;MA;C;C\n`);
    const cp1252 = Buffer.from(`${pupil(2)};Björkängsskolan;6;2024/25;MA;C;C\n`, 'latin1');
    const exports = folder('glued', { 'g.csv': Buffer.concat([utf8, cp1252]) });
    const out = await runIn(['gap', exports, '--min-group', '1', '--format', 'json']);
    expect(json(out).meta.files[0].encoding).toBe('utf-8');
    expect(out.stderr).toContain('ogiltiga UTF-8-byte ersattes; kommer filen från Excel, prova --encoding windows-1252');
    expect(json(out).meta.files[0].warnings).toEqual(['invalid UTF-8 bytes were replaced; if the file is from Excel, try --encoding windows-1252']);
    expect((await runIn(['gap', exports, '--min-group', '1', '--format', 'json', '--lang', 'en'])).stderr).toContain('invalid UTF-8 bytes were replaced');
    expect(json(out).rows.some((row) => row.school === 'Björkängsskolan')).toBe(true);
  });

  it('a header-only export and a subfolder are no reason to stop; a title above the header is skipped', async () => {
    const exports = folder('quiet-term', {
      'tom.csv': 'Personnummer;Årskurs;Läsår;Ämne;Betyg;Provbetyg\n',
      'titel.csv': `Elevresultat VT25\nUtskrivet 2025-06-10;;\n${gradesAndTests()}`,
    });
    mkdirSync(join(exports, 'arkiv'), { recursive: true });
    const out = await runIn(['gap', exports, '--min-group', '1', '--format', 'json']);
    const report = json(out);
    expect(report.meta.rows.accepted).toBe(N * 2);
    expect(report.meta.files.find((f: { file: string }) => f.file.endsWith('titel.csv')).preamble_lines).toBe(2);
    expect(out.stderr).toContain('2 rader ovanför rubrikraden (t.ex. en titel) är inte data och hoppades över');
    expect(out.stderr).toContain(`${join(exports, 'arkiv')}: en mapp; mappar i mappar läses inte`);
    expect(out.stderr).toMatch(/tom\.csv .*: 0 rader lästa/);
  });

  it('a table report saved into the folder is recognised as the tool\'s own output', async () => {
    const exports = folder('table-out', { 'b.csv': gradesAndTests() });
    expect((await runIn(['gap', exports, '--min-group', '1', '-q', '-o', join(exports, 'gap.txt')])).status).toBe(0);
    const again = await runIn(['gap', exports, '--min-group', '1', '--format', 'json']);
    expect(again.stderr).toContain(`${join(exports, 'gap.txt')}: en rapport som ska-analyze skrivit`);
  });

  it('--fail-on with a decimal comma says to write a point', async () => {
    const out = await runIn(['gap', 'fixtures/demo/exports', '--fail-on', 'share_higher>0,25', '-q']);
    expect(out.status).toBe(2);
    expect(out.stderr).toBe('ska-analyze: --fail-on: "25" är inte NYCKEL>TAL (jämförelser: > >= < <= = !=) (skriv decimaler med punkt: share_higher>0.25; kommatecken skiljer villkoren åt)\n');
    expect((await runIn(['gap', 'fixtures/demo/exports', '--fail-on', 'share_higher>0,25', '-q', '--lang', 'en'])).stderr).toContain('write decimals with a point');
  });
});

describe('the demo data', () => {
  it('a copy of the demo folder with the areas file inside needs no --areas', async () => {
    const copy = join(dir, 'demo');
    cpSync(join(ROOT, 'fixtures/demo/exports'), copy, { recursive: true });
    cpSync(join(ROOT, 'fixtures/demo/skolomraden.csv'), join(copy, 'skolomraden.csv'));
    const inside = json(await runIn(['gap', copy, '--format', 'json', '-q']));
    const given = json(await runIn(['gap', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--format', 'json', '-q']));
    expect(inside.rows).toEqual(given.rows);
    expect(readFileSync(join(copy, 'skolomraden.csv'), 'utf8')).toBe(readFileSync(join(ROOT, 'fixtures/demo/skolomraden.csv'), 'utf8'));
  });
});

describe('a gender column with values that are not a gender', () => {
  /** The grades and tests with a Kön column: "Okänt" for every fifth pupil, "Flicka"/"Pojke" for the others. */
  function withGender(): string {
    const lines = ['Personnummer;Skola;Årskurs;Läsår;Ämne;Kön;Betyg;Provbetyg'];
    for (let k = 0; k < N; k++) {
      const gender = k % 5 === 0 ? 'Okänt' : k % 2 === 0 ? 'Flicka' : 'Pojke';
      for (const subject of ['MA', 'SV']) lines.push(`${pupil(k)};${SCHOOLS[k % 2]};6;2024/25;${subject};${gender};${GRADES[k % 6]};${GRADES[(k + 1) % 6]}`);
    }
    return `${lines.join('\n')}\n`;
  }

  it('uses the rows and says so on stderr (Swedish and English), in the JSON and in inspect, with file:line', async () => {
    const exports = folder('unread-gender', { 'betyg.csv': withGender() });
    const file = join(exports, 'betyg.csv');
    const out = await runIn(['gap', exports, '--min-group', '1', '--format', 'json', '--by', 'gender']);
    const meta = json(out).meta;
    // Pupils 0, 5, 10, 15, 20: two rows each, lines 2–3, 12–13, … ; all rows accepted.
    expect(meta.files[0].rows).toMatchObject({ read: 2 * N, accepted: 2 * N, rejected: 0 });
    expect(meta.files[0].unrecognised_gender).toEqual({ count: 10, examples: [2, 3, 12, 13, 22].map((line) => `${file}:${line}`), values: { Okänt: 10 } });
    expect(out.stderr).toContain(`  10 rader har ett värde i kolumnen "Kön" som inte är ett kön ["Okänt" ×10]; elevens kön tas i stället från elevens andra rader eller personnumret: ${file}:2, ${file}:3, ${file}:12, ${file}:13, ${file}:22, …\n`);
    const english = await runIn(['gap', exports, '--min-group', '1', '--format', 'json', '--lang', 'en']);
    expect(english.stderr).toContain('  10 rows have a value in the column "Kön" that is not a gender ["Okänt" ×10]; the pupil\'s gender comes from their other rows or the personnummer instead: ');
    // Their gender is the personnummer's: every paired pupil is a girl or a boy, none without a gender.
    const rows = json(out).rows;
    const byGender = rows.filter((row) => row.gender !== null);
    expect([...new Set(byGender.map((row) => row.gender))].sort()).toEqual(['boy', 'girl']);
    const sum = (list: Record<string, any>[]) => list.reduce((total, row) => total + (row.n as number), 0);
    expect(sum(byGender)).toBe(sum(rows.filter((row) => row.gender === null)));
    expect(sum(byGender)).toBe(2 * N);
    const inspect = await runIn(['inspect', exports]);
    expect(inspect.stdout).toContain('Problem:');
    expect(inspect.stdout).toContain('10 rader har ett värde i kolumnen "Kön" som inte är ett kön ["Okänt" ×10]');
    // A file whose every gender is read has no such line, and null in the JSON.
    const clean = folder('read-gender', { 'betyg.csv': withGender().replace(/;Okänt;/g, ';Flicka;') });
    const plain = await runIn(['gap', clean, '--min-group', '1', '--format', 'json']);
    expect(json(plain).meta.files[0].unrecognised_gender).toBeNull();
    expect(plain.stderr).not.toContain('som inte är ett kön');
  });
});
