/**
 * `report --school NAME` and `report --per-school DIR` through the CLI (in-process): the school's
 * analysis sheet, name matching, the files --per-school writes, and privacy (no id, no name, no
 * figure the board report hides, no "rest of the municipality" or receiving-school figure that
 * would reveal one).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/messages.js';
import { PERSONNUMMER, demoNames } from '../browser/checks.js';
import { runIn, type RunResult } from './run.js';
import { testPersonnummer } from '../support/personnummer.js';
import { HOOK_TIMEOUT, runOnce } from './shared-runs.js';

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
const SCHOOLS = ['Björkängsskolan', 'Ekbackens skola', 'Hagalunds skola', 'Lindåkersskolan', 'Norrgårdsskolan', 'Solåsens skola', 'Strandvägens skola', 'Tallmyrens skola', 'Östervångsskolan'];
/** Each school's file name (without the extension), as --per-school names them. */
const FILE_OF: Readonly<Record<string, string>> = {
  Björkängsskolan: 'bjorkangsskolan',
  'Ekbackens skola': 'ekbackens-skola',
  'Hagalunds skola': 'hagalunds-skola',
  Lindåkersskolan: 'lindakersskolan',
  Norrgårdsskolan: 'norrgardsskolan',
  'Solåsens skola': 'solasens-skola',
  'Strandvägens skola': 'strandvagens-skola',
  'Tallmyrens skola': 'tallmyrens-skola',
  Östervångsskolan: 'ostervangsskolan',
};
const FILES = Object.values(FILE_OF).sort();
const SUBJECTS: Readonly<Record<string, string>> = { SV: 'Svenska', SVA: 'Svenska som andraspråk', EN: 'Engelska', MA: 'Matematik', BI: 'Biologi', FY: 'Fysik', KE: 'Kemi', GE: 'Geografi', HI: 'Historia', RE: 'Religionskunskap', SH: 'Samhällskunskap' };

const dir = mkdtempSync(join(tmpdir(), 'ska-school-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pupil k's synthetic personnummer (tests/support/personnummer.ts). */
const personnummer = (k: number, year = '13'): string => testPersonnummer(k, year);

interface GapRow {
  school_year: string;
  grade_level: number;
  subject: string;
  level: string;
  area: string | null;
  school: string | null;
  n: number | null;
  share_higher: number | null;
  share_same: number | null;
  share_lower: number | null;
  suppressed: boolean;
}

interface TransitionRow {
  school_year: string;
  subject: string;
  level: string;
  school: string | null;
  n: number | null;
  suppressed: boolean;
}

/** A Markdown table row's cells (the first without its indentation and bold). */
function cells(line: string): string[] {
  return line
    .slice(2, -2)
    .split(' | ')
    .map((cell) => cell.replace(/^(?:&nbsp;)+/, '').replace(/^\*\*(.*)\*\*$/, '$1'));
}

function rowsOf(md: string): string[][] {
  return md
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .map(cells);
}

/** The lines of one `## ` section of a Markdown document. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}`);
  expect(start, heading).toBeGreaterThan(0);
  const end = md.indexOf('\n## ', start + 4);
  return md.slice(start, end < 0 ? undefined : end);
}

const pct = (v: number) => `${Math.round(v * 100)} %`;

describe('report --school on the demo data', () => {
  let md: RunResult;
  let gap: GapRow[];
  beforeAll(async () => {
    md = await runOnce(['report', ...DEMO, '--school', 'Ekbackens skola', '--format', 'md', '-q']);
    gap = (JSON.parse((await runOnce(['gap', ...DEMO, '--format', 'json', '-q'])).stdout) as { rows: GapRow[] }).rows;
  }, HOOK_TIMEOUT);

  it('writes the school\'s sheet in Swedish: its figures, its years, år 5 → 6 both ways and the cycle\'s questions with room to write', () => {
    expect(md.status).toBe(0);
    expect(md.stderr).toBe('');
    expect(md.stdout.startsWith('# Analysunderlag: Ekbackens skola\n')).toBe(true);
    expect(md.stdout).toContain('Skolområde Norra.');
    const headings = md.stdout.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      '## Det viktigaste',
      '## Betyg jämfört med nationella prov, 2024/25',
      '## Över läsåren',
      '## Från åk 5 till åk 6: skolan som avlämnande och som mottagande skola',
      '## Skolans analys',
      '## Bilaga: vad som lästes',
    ]);
    const questions = section(md.stdout, 'Skolans analys');
    for (const question of ['Vad ser vi?', 'Varför blir det så när vi gör som vi gör?', 'Vad ska vi förändra?', 'Hur ska vi veta att det blir bättre?']) {
      expect(questions).toMatch(new RegExp(`### ${question.replace('?', '\\?')}\\n\\n[^\\n]+\\n\\n_\\(Skriv skolans text här\\.\\)_`));
    }
    // No other school's name in its tables: only the school, the rest and the municipality.
    for (const other of SCHOOLS.filter((s) => s !== 'Ekbackens skola')) expect(md.stdout).not.toContain(other);
  });

  it('gives the school\'s figures of gap, and the rest of the municipality as the total minus the school', () => {
    const part = (level: number) => section(md.stdout, 'Betyg jämfört med nationella prov').split(`### Åk ${level}\n`)[1]!.split('### ')[0]!;
    let checked = 0;
    for (const own of gap.filter((r) => r.school_year === '2024/25' && r.school === 'Ekbackens skola' && !r.suppressed)) {
      const rows = rowsOf(part(own.grade_level));
      const label = `${SUBJECTS[own.subject]}: Ekbackens skola`;
      const at = rows.findIndex((cellsOf) => cellsOf[0] === label);
      expect(at, label).toBeGreaterThanOrEqual(0);
      expect(rows[at]!.slice(1, 5)).toEqual([String(own.n), pct(own.share_higher!), pct(own.share_same!), pct(own.share_lower!)]);
      const total = gap.find((r) => r.school_year === '2024/25' && r.level === 'total' && r.grade_level === own.grade_level && r.subject === own.subject)!;
      const rest = total.n! - own.n!;
      const rowRest = rows[at + 1]!;
      expect(rowRest[0]).toBe('Resten av kommunen');
      if (rest === 0) {
        expect(rowRest.slice(1, 5)).toEqual(['–', '–', '–', '–']);
        continue;
      }
      const count = (share: keyof GapRow) => Math.round((total[share] as number) * total.n!) - Math.round((own[share] as number) * own.n!);
      expect(rowRest.slice(1, 5)).toEqual([String(rest), pct(count('share_higher') / rest), pct(count('share_same') / rest), pct(count('share_lower') / rest)]);
      expect(rows[at + 2]!.slice(0, 2)).toEqual(['Kommunen totalt', String(total.n)]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('matches the name as other names are matched: case, spaces and accents do not matter', async () => {
    for (const name of ['EKBACKENS SKOLA', 'ekbackensskola', ' Ekbäckens  Skola ']) {
      const other = await runIn(['report', ...DEMO, '--school', name, '--format', 'md', '-q']);
      expect(other.status, name).toBe(0);
      expect(other.stdoutBytes.equals(md.stdoutBytes), name).toBe(true);
    }
  });

  it('an unknown school: exit 2, nothing on stdout, and the closest names (or the schools there are)', async () => {
    const close = await runIn(['report', ...DEMO, '--school', 'Solåsen', '--format', 'md', '-q']);
    expect(close.status).toBe(2);
    expect(close.stdout).toBe('');
    expect(close.stderr.trim().split('\n').at(-1)).toBe('ska-analyze: --school "Solåsen": ingen skola med det namnet i exporterna; närmast: "Solåsens skola"');
    const typo = await runIn(['report', ...DEMO, '--school', 'Hagalunds skolan', '-q']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('närmast: "Hagalunds skola"');
    const far = await runIn(['report', ...DEMO, '--school', 'Q', '-q']);
    expect(far.status).toBe(2);
    expect(far.stderr.trim()).toBe(`ska-analyze: --school "Q": ingen skola med det namnet i exporterna; de som finns: ${SCHOOLS.map((s) => `"${s}"`).join(', ')}`);
    // The same messages in English (report itself is Swedish only).
    expect(MESSAGES.schoolUnknown('Solåsen', ['Solåsens skola'], SCHOOLS, SCHOOLS.length).en).toBe('--school "Solåsen": no school of that name in the exports; closest: "Solåsens skola"');
    expect(MESSAGES.schoolUnknown('Q', [], SCHOOLS.slice(0, 2), 9).en).toBe('--school "Q": no school of that name in the exports; they hold: "Björkängsskolan", "Ekbackens skola" … (9 schools)');
    expect(MESSAGES.schoolAmbiguous('asskolan', ['Åsskolan', 'Asskolan']).en).toBe('--school "asskolan": 2 schools have that name when case, spaces and accents are ignored: "Åsskolan", "Asskolan"; write the name exactly as in the exports');
  });

  it('refuses what cannot work together, before the exports are read (exit 2)', async () => {
    const file = join(dir, 'a-file.txt');
    writeFileSync(file, 'not a folder\n');
    const cases: [string[], string][] = [
      [['--school', 'Ekbackens skola', '--per-school', dir], '--school och --per-school kan inte användas tillsammans'],
      [['--per-school', dir, '-o', join(dir, 'x.html')], '--per-school skriver en fil per skola i mappen; -o/--output kan inte användas samtidigt'],
      [['--list-cases'], 'report --list-cases fungerar bara med --school eller --per-school'],
      [['--school', ' '], '--school: ange en skolas namn'],
      [['--per-school', file], `--per-school ${file}: är inte en mapp`],
    ];
    for (const [args, message] of cases) {
      const out = await runIn(['report', 'finns-inte.csv', ...args, '-q']);
      expect(out.status, args.join(' ')).toBe(2);
      expect(out.stderr, args.join(' ')).toContain(message);
      expect(out.stdout).toBe('');
    }
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
  });

  it('is Swedish only, as the board report: --lang is not offered, and its error follows --lang', async () => {
    const en = await runIn(['report', ...DEMO, '--school', 'Ekbackens skola', '--lang', 'en']);
    expect(en.status).toBe(2);
    expect(en.stdout).toBe('');
    expect(en.stderr).toContain("unknown option '--lang'");
    const sv = await runIn(['report', ...DEMO, '--per-school', join(dir, 'aldrig'), '--lang', 'sv']);
    expect(sv.status).toBe(2);
    expect(sv.stderr).toContain("okänd flagga '--lang'");
    expect(existsSync(join(dir, 'aldrig'))).toBe(false);
  });

  it('writes to -o and says where; exits 4 with no sheet when the exports give no figure', async () => {
    const file = join(dir, 'ekbacken.md');
    const out = await runIn(['report', ...DEMO, '--school', 'ekbackens skola', '--format', 'md', '-o', file]);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim().split('\n').at(-1)).toBe(`ska-analyze: underlaget för Ekbackens skola skrevs till ${file}`);
    expect(readFileSync(file).equals(md.stdoutBytes)).toBe(true);
    const none = await runIn(['report', 'fixtures/demo/exports/bedomningar_ak5.csv', '--school', 'Ekbackens skola', '-q']);
    expect(none.status).toBe(4);
    expect(none.stdout).toBe('');
  });
});

describe('report --per-school on the demo data', () => {
  const out = join(dir, 'underlag');
  let run: RunResult;
  beforeAll(async () => {
    run = await runIn(['report', ...DEMO, '--per-school', out, '--format', 'md']);
  }, HOOK_TIMEOUT);

  it('writes one file per school, named after it (ASCII, no path), and says so', () => {
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`ska-analyze: 9 underlag (ett per skola) skrevs till ${out}`);
    expect(readdirSync(out).sort()).toEqual(FILES.map((name) => `${name}.md`));
    expect(readFileSync(join(out, 'ostervangsskolan.md'), 'utf8').startsWith('# Analysunderlag: Östervångsskolan\n')).toBe(true);
  });

  it('is deterministic, and each file is what --school writes for that school', async () => {
    const again = join(dir, 'underlag-2');
    expect((await runIn(['report', ...DEMO, '--per-school', again, '--format', 'md', '-q'])).status).toBe(0);
    for (const name of readdirSync(out)) expect(readFileSync(join(again, name)).equals(readFileSync(join(out, name))), name).toBe(true);
    const one = await runIn(['report', ...DEMO, '--school', 'Östervångsskolan', '--format', 'md', '-q']);
    expect(readFileSync(join(out, 'ostervangsskolan.md')).equals(one.stdoutBytes)).toBe(true);
    // HTML by default, in a folder that does not exist yet.
    const html = join(dir, 'ny', 'mapp');
    expect((await runIn(['report', ...DEMO, '--per-school', html, '-q'])).status).toBe(0);
    expect(readdirSync(html).sort()).toEqual(FILES.map((name) => `${name}.html`));
  });

  it('shows no personnummer, no name and no figure the board report hides, in any file', async () => {
    const gap = (JSON.parse((await runOnce(['gap', ...DEMO, '--format', 'json', '-q'])).stdout) as { rows: GapRow[] }).rows;
    const transition = (JSON.parse((await runOnce(['transition', ...DEMO, '--by', 'school_year,area,school,subject', '--format', 'json', '-q'])).stdout) as { rows: TransitionRow[] }).rows;
    const { pupils, teachers } = demoNames();
    let hiddenChecked = 0;
    for (const [school, name] of Object.entries(FILE_OF)) {
      const text = readFileSync(join(out, `${name}.md`), 'utf8');
      expect(text.startsWith(`# Analysunderlag: ${school}\n`)).toBe(true);
      expect(text).not.toMatch(PERSONNUMMER);
      for (const person of [...pupils, ...teachers]) expect(text.includes(person), person).toBe(false);
      // The latest year's gap rows the report hides are ".." here, and so is the rest beside them.
      const rows = rowsOf(section(text, 'Betyg jämfört med nationella prov'));
      for (const group of gap.filter((r) => r.school_year === '2024/25' && r.school === school && r.suppressed)) {
        const at = rows.findIndex((c) => c[0] === `${SUBJECTS[group.subject]}: ${school}`);
        expect(at, `${school} ${group.subject}`).toBeGreaterThanOrEqual(0);
        expect(rows[at]!.slice(1, 7).every((cell) => cell === '..')).toBe(true);
        expect(rows[at + 1]!.slice(1, 5)).toEqual(['..', '..', '..', '..']);
        hiddenChecked++;
      }
      // The report's år 5 → 6 rows (as sending school) it hides are ".." here, every cohort.
      const transitionRows = rowsOf(section(text, 'Från åk 5 till åk 6'));
      for (const group of transition.filter((r) => r.level === 'school' && r.school === school && r.suppressed)) {
        const table = section(text, 'Från åk 5 till åk 6').split(`### ${SUBJECTS[group.subject]}\n`)[1]!.split('### ')[0]!;
        const cohort = rowsOf(table).findIndex((c) => c[0]!.startsWith('Kommunen, ') && c[0]!.endsWith(`→ ${group.school_year}`));
        expect(rowsOf(table)[cohort + 1]!.slice(0, 6)).toEqual(['Som avlämnande skola', '..', '..', '..', '..', '..']);
        hiddenChecked++;
      }
      expect(transitionRows.length).toBeGreaterThan(0);
    }
    expect(hiddenChecked).toBeGreaterThan(40);
  });

  it('the HTML files show exactly the Markdown files\' table cells (so the checks above hold for them too), and no personnummer or name', async () => {
    const html = join(dir, 'ny', 'mapp');
    // Written by the test above; written here when this test runs first.
    if (!existsSync(html)) expect((await runIn(['report', ...DEMO, '--per-school', html, '-q'])).status).toBe(0);
    const unescape = (text: string) => text.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\u00ad/g, '').trim();
    const { pupils, teachers } = demoNames();
    for (const name of FILES) {
      const page = readFileSync(join(html, `${name}.html`), 'utf8');
      expect(page).not.toMatch(PERSONNUMMER);
      for (const person of [...pupils, ...teachers]) expect(page.includes(person), person).toBe(false);
      // (The HTML's column heads may break a long word: soft hyphens, not in the Markdown.)
      const htmlRows = [...page.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => unescape(c[1]!)));
      const mdRows = rowsOf(readFileSync(join(out, `${name}.md`), 'utf8')).map((row) => row.map((cell) => cell.replace(/\\([\\|*_`[\]])/g, '$1')));
      expect(htmlRows.length, name).toBeGreaterThan(50);
      expect(htmlRows, name).toEqual(mdRows);
    }
  });

  it('never writes onto an input: a sheet\'s name taken by an export in the folder is refused (exit 2), the export kept', async () => {
    const folder = join(dir, 'med-export');
    mkdirSync(folder);
    // An år 5 export, cut short (so that it is not a copy of the demo's), named as a sheet would be.
    const lines = readFileSync('fixtures/demo/exports/bedomningar_ak5.csv', 'utf8').split('\n').slice(0, 400);
    const input = join(folder, 'ekbackens-skola.md');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const before = readFileSync(input);
    const others = ['betyg_ak6_ak9.csv', 'nationella_prov_ak6.csv', 'np_ak9.csv'].map((name) => join('fixtures/demo/exports', name));
    const refused = await runIn(['report', input, ...others, '--areas', 'fixtures/demo/skolomraden.csv', '--per-school', folder, '--format', 'md', '-q']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`--output ${join(folder, 'ekbackens-skola.md')} är indatafilen ${input}`);
    expect(readFileSync(input).equals(before)).toBe(true);
    // Checked before any sheet is written: the folder holds the export and nothing else.
    expect(readdirSync(folder)).toEqual(['ekbackens-skola.md']);
  });

  it('a folder that cannot be made or written to: a clear message and exit 2, nothing on stdout', async () => {
    const file = join(dir, 'en-fil.txt');
    writeFileSync(file, 'x\n');
    // Through a file: refused before the exports are read.
    const through = await runIn(['report', 'finns-inte.csv', '--per-school', join(file, 'underlag'), '-q']);
    expect(through.status).toBe(2);
    expect(through.stderr.trim()).toBe(`ska-analyze: ${join(file, 'underlag')}: kan inte skrivas (en del av sökvägen är inte en mapp)`);
    expect(through.stdout).toBe('');
    // A folder the system will not make (/proc on Linux: Node's recursive mkdir never returns there).
    if (existsSync('/proc/self')) {
      const proc = await runIn(['report', ...DEMO, '--per-school', '/proc/ska-analyze-underlag', '-q']);
      expect(proc.status).toBe(2);
      expect(proc.stderr.trim()).toBe('ska-analyze: /proc/ska-analyze-underlag: kan inte skrivas (mappen finns inte)');
    }
  });
});

describe('report --per-school with names that are not file names (inline exports)', () => {
  const names = ['<script>alert(1)</script>', 'Berg & Dal', '../../etc/passwd', 'Skola/Norr', 'Åsskolan', 'Asskolan', '.hemlig'];
  const file = join(dir, 'names.csv');
  beforeAll(() => {
    const lines = ['Personnummer;Skola;Skolområde;Årskurs;Läsår;Ämne;Betyg;Provbetyg'];
    let k = 0;
    for (const school of names) {
      for (let i = 0; i < 11; i++) lines.push([personnummer(++k, '12'), school, 'Norra', '6', '2024/25', 'MA', i % 3 === 0 ? 'B' : 'C', 'C'].join(';'));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
  });

  it('names the files safely and distinctly (ASCII, no folder, no hidden file), the same in every run', async () => {
    const out = join(dir, 'namn', 'underlag');
    expect((await runIn(['report', file, '--per-school', out, '-q'])).status).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['asskolan-2.html', 'asskolan.html', 'berg-dal.html', 'etc-passwd.html', 'hemlig.html', 'script-alert-1-script.html', 'skola-norr.html']);
    // Nothing written outside the folder.
    expect(readdirSync(join(dir, 'namn'))).toEqual(['underlag']);
    // Asskolan before Åsskolan in Swedish order: Asskolan gets the plain name.
    expect(readFileSync(join(out, 'asskolan.html'), 'utf8')).toContain('<h1>Analysunderlag: Asskolan</h1>');
    expect(readFileSync(join(out, 'asskolan-2.html'), 'utf8')).toContain('<h1>Analysunderlag: Åsskolan</h1>');
    const again = join(dir, 'namn-2');
    expect((await runIn(['report', file, '--per-school', again, '-q'])).status).toBe(0);
    for (const name of files) expect(readFileSync(join(again, name)).equals(readFileSync(join(out, name))), name).toBe(true);
  });

  it('escapes the names in HTML and Markdown: a school called <script> is text, & is &amp;', async () => {
    const html = (await runIn(['report', file, '--school', '<script>alert(1)</script>', '-q'])).stdout;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<h1>Analysunderlag: &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('<title>Analysunderlag: &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    const berg = (await runIn(['report', file, '--school', 'Berg & Dal', '-q'])).stdout;
    expect(berg).toContain('<h1>Analysunderlag: Berg &amp; Dal</h1>');
    expect(berg).not.toMatch(/Berg & Dal/);
    const md = (await runIn(['report', file, '--school', '<script>alert(1)</script>', '--format', 'md', '-q'])).stdout;
    expect(md).not.toMatch(/<script/i);
    expect(md.startsWith('# Analysunderlag: &lt;script&gt;alert(1)&lt;/script&gt;\n')).toBe(true);
  });

  it('an ambiguous name lists the candidates (exit 2); the exact spelling picks one', async () => {
    const both = await runIn(['report', file, '--school', 'ASSKOLAN', '-q']);
    expect(both.status).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr.trim()).toBe('ska-analyze: --school "ASSKOLAN": 2 skolor har det namnet om man bortser från versaler, mellanslag och accenter: "Asskolan", "Åsskolan"; skriv namnet exakt som i exporterna');
    const exact = await runIn(['report', file, '--school', 'Åsskolan', '--format', 'md', '-q']);
    expect(exact.status).toBe(0);
    expect(exact.stdout.startsWith('# Analysunderlag: Åsskolan\n')).toBe(true);
  });
});

describe('report --list-cases with --school and --per-school', () => {
  it('lists the school\'s cases with masked ids (one number per pupil in the document), no teacher, not for publication', async () => {
    const out = await runOnce(['report', ...DEMO, '--school', 'Solåsens skola', '--list-cases', '--format', 'md', '-q']);
    expect(out.status).toBe(0);
    const text = out.stdout;
    expect(text).toContain('> **Innehåller uppgifter om enskilda elever (maskerade id:n) för skolans egen uppföljning. Får inte publiceras.**');
    const cases = section(text, 'Elever att följa upp');
    expect(text).not.toMatch(PERSONNUMMER);
    const { pupils, teachers } = demoNames();
    for (const person of [...pupils, ...teachers]) expect(text.includes(person), person).toBe(false);
    // As many grade–test cases as gap --list-cases gives for the school.
    const gapCases = (JSON.parse((await runIn(['gap', ...DEMO, '--list-cases', '--format', 'json', '-q'])).stdout) as { cases: { school: string }[] }).cases.filter((c) => c.school === 'Solåsens skola');
    expect(gapCases.length).toBeGreaterThan(0);
    expect(cases).toContain(`**Betyg och provbetyg skiljer sig två steg eller mer (${gapCases.length})**`);
    const ids = [...cases.matchAll(/^\| (elev-\d{4}) \|/gm)].map((m) => m[1]!);
    expect(ids[0]).toBe('elev-0001');
    const numbers = [...new Set(ids)].map((id) => Number(id.slice(5)));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(cases).toMatch(/\*\*Godkänd på den ena sidan men inte på den andra, åk 5 → åk 6 \(\d+\)\*\*/);
    // The same count of år 5 → 6 cases as transition --list-cases gives for pupils at the school on either side.
    const listed = async (side: string) => (JSON.parse((await runIn(['transition', ...DEMO, '--list-cases', '--attribute-to', side, '--format', 'json', '-q'])).stdout) as { cases: { school: string; changed_school: boolean }[] }).cases.filter((c) => c.school === 'Solåsens skola');
    const fromSide = await listed('from');
    const toSide = await listed('to');
    const expected = fromSide.length + toSide.length - fromSide.filter((c) => !c.changed_school).length;
    expect(expected).toBeGreaterThan(0);
    expect(cases).toContain(`**Godkänd på den ena sidan men inte på den andra, åk 5 → åk 6 (${expected})**`);
    // Without --list-cases there is no such section and no notice.
    const plain = await runOnce(['report', ...DEMO, '--school', 'Solåsens skola', '--format', 'md', '-q']);
    expect(plain.stdout).not.toContain('elev-0001');
    expect(plain.stdout).not.toContain('Får inte publiceras');
  });
});

describe('report --per-school --list-cases', () => {
  it('puts in each school\'s file its own pupils only, masked, numbered from elev-0001 in each file', async () => {
    const out = join(dir, 'fall');
    expect((await runIn(['report', ...DEMO, '--per-school', out, '--list-cases', '--format', 'md', '-q'])).status).toBe(0);
    const gapCases = (JSON.parse((await runOnce(['gap', ...DEMO, '--list-cases', '--format', 'json', '-q'])).stdout) as { cases: { school: string }[] }).cases;
    const { pupils, teachers } = demoNames();
    let total = 0;
    for (const [school, name] of Object.entries(FILE_OF)) {
      const text = readFileSync(join(out, `${name}.md`), 'utf8');
      expect(text).not.toMatch(PERSONNUMMER);
      for (const person of [...pupils, ...teachers]) expect(text.includes(person), person).toBe(false);
      const own = gapCases.filter((c) => c.school === school).length;
      const cases = section(text, 'Elever att följa upp');
      if (own > 0) expect(cases, school).toContain(`**Betyg och provbetyg skiljer sig två steg eller mer (${own})**`);
      else expect(cases, school).toContain('Ingen elev på skolan har betyg och provbetyg som skiljer sig två steg eller mer.');
      const first = /\| (elev-\d{4}) \|/.exec(cases)?.[1];
      if (first !== undefined) expect(first, school).toBe('elev-0001');
      total += own;
    }
    // Every case is in exactly one school's file.
    expect(total).toBe(gapCases.filter((c) => SCHOOLS.includes(c.school)).length);
  });
});

describe('the rest of the municipality never isolates a hidden school (inline exports)', () => {
  // år 6 mathematics 2024/25, one area: Askolan 15 pupils, Bskolan 12, Cskolan 5 (too few).
  const file = join(dir, 'rest.csv');
  beforeAll(() => {
    const lines = ['Personnummer;Skola;Skolområde;Årskurs;Läsår;Ämne;Betyg;Provbetyg'];
    let k = 0;
    const add = (school: string, n: number, higher: number) => {
      for (let i = 0; i < n; i++) lines.push([personnummer(++k, '12'), school, 'Norra', '6', '2024/25', 'MA', i < higher ? 'B' : 'C', 'C'].join(';'));
    };
    add('Askolan', 15, 3);
    add('Bskolan', 12, 6);
    add('Cskolan', 5, 5);
    writeFileSync(file, `${lines.join('\n')}\n`);
  });

  const restRow = (md: string) => {
    const rows = rowsOf(section(md, 'Betyg jämfört med nationella prov'));
    return rows[rows.findIndex((c) => c[0] === 'Matematik: Askolan') + 1]!;
  };

  it('full protection: Bskolan is hidden with Cskolan, so the rest (both, 17 pupils) is what the report gives anyway', async () => {
    const out = await runIn(['report', file, '--school', 'Askolan', '--format', 'md', '-q']);
    expect(out.status).toBe(0);
    // 11 of 17 higher: Bskolan's 6 and Cskolan's 5.
    expect(restRow(out.stdout).slice(0, 5)).toEqual(['Resten av kommunen', '17', '65 %', '35 %', '0 %']);
  });

  it('--small-groups-only: Bskolan is shown, so the rest minus it would be Cskolan: the rest is hidden', async () => {
    const board = await runIn(['report', file, '--small-groups-only', '--format', 'md', '-q']);
    expect(board.stdout).toMatch(/\| &nbsp;&nbsp;Bskolan \| 12 \| 50 % \|/);
    const out = await runIn(['report', file, '--school', 'Askolan', '--small-groups-only', '--format', 'md', '-q']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Intern analys: endast små grupper är dolda');
    expect(restRow(out.stdout)).toEqual(['Resten av kommunen', '..', '..', '..', '..', '', '', 'dold för att skydda en liten grupp']);
  });
});

describe('the school as receiving school (år 5 → 6 attributed to the år 6 school; inline exports)', () => {
  // F–5 schools Ask and Björk assess år 5 mathematics in 2023/24; the pupils take the år 6 test in
  // 2025 at the 6–9 schools Ceder and Dal. The report counts them at Ask and Björk.
  const write = (name: string, flows: readonly [string, string, number][]) => {
    const five = ['student_id\tschool\tgrade_level\tschool_year\tsubject\tkind\tresult'];
    const six = ['Elev-ID,Skolenhet,Åk,Provår,Ämne,Provbetyg'];
    let k = 0;
    for (const [from, to, n] of flows) {
      for (let i = 0; i < n; i++) {
        const id = `20${personnummer(++k)}`;
        five.push([id, from, '5', '2023/24', 'MA', 'bedömning', i % 4 === 0 ? '0' : '1'].join('\t'));
        six.push([id, to, '6', '2025', 'MA', i % 3 === 0 ? 'F' : 'C'].join(','));
      }
    }
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'ak5.tsv'), `${five.join('\n')}\n`);
    writeFileSync(join(folder, 'ak6.csv'), `${six.join('\n')}\n`);
    return folder;
  };
  const roleRows = (md: string) => rowsOf(section(md, 'Från åk 5 till åk 6')).filter((c) => c[0]!.startsWith('Som '));

  it('shows the receiving school\'s figures where no small group can be worked out (every flow 10 pupils)', async () => {
    const folder = write('flows-even', [
      ['Ask', 'Ceder', 10],
      ['Ask', 'Dal', 10],
      ['Björk', 'Ceder', 10],
      ['Björk', 'Dal', 10],
    ]);
    const out = join(dir, 'even-sheets');
    const run = await runIn(['report', folder, '--per-school', out, '--format', 'md', '-q']);
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['ask.md', 'bjork.md', 'ceder.md', 'dal.md']);
    const ceder = roleRows(readFileSync(join(out, 'ceder.md'), 'utf8'));
    expect(ceder[0]!.slice(0, 2)).toEqual(['Som avlämnande skola', '–']);
    expect(ceder[1]!.slice(0, 2)).toEqual(['Som mottagande skola', '20']);
    const ask = roleRows(readFileSync(join(out, 'ask.md'), 'utf8'));
    expect(ask[0]!.slice(0, 2)).toEqual(['Som avlämnande skola', '20']);
    expect(ask[1]!.slice(0, 2)).toEqual(['Som mottagande skola', '–']);
  });

  it('hides them where the report\'s rows and theirs would give a small flow (3 pupils from Björk to Ceder)', async () => {
    // Ceder's row (15) minus Ask's (12, all to Ceder) would be Björk's 3; Björk's row minus Dal's too.
    const folder = write('flows-small', [
      ['Ask', 'Ceder', 12],
      ['Björk', 'Ceder', 3],
      ['Björk', 'Dal', 12],
    ]);
    const out = join(dir, 'small-sheets');
    expect((await runIn(['report', folder, '--per-school', out, '--format', 'md', '-q'])).status).toBe(0);
    for (const school of ['ceder', 'dal']) {
      const rows = roleRows(readFileSync(join(out, `${school}.md`), 'utf8'));
      expect(rows[1], school).toEqual(['Som mottagande skola', '..', '..', '..', '..', '..', 'dold för att skydda en liten grupp']);
    }
    // The report's own rows (the sending schools) are shown as always.
    expect(roleRows(readFileSync(join(out, 'bjork.md'), 'utf8'))[0]!.slice(0, 2)).toEqual(['Som avlämnande skola', '15']);
  });

  it('hides the other row where only a few pupils changed school (the demo: every school loses or gains 1–9)', async () => {
    const md = (await runOnce(['report', ...DEMO, '--school', 'Ekbackens skola', '--format', 'md', '-q'])).stdout;
    const rows = roleRows(md);
    // The report's rows are shown where the report shows them (svenska som andraspråk has too few pupils).
    expect(rows.filter((c) => c[0] === 'Som avlämnande skola' && c[1] !== '..').length).toBeGreaterThanOrEqual(6);
    const receiving = rows.filter((c) => c[0] === 'Som mottagande skola' && c[1] === '..');
    expect(receiving.length).toBeGreaterThan(0);
    for (const c of receiving) expect(c.at(-1)).toMatch(/^(?:dold: få elever bytte skola mellan åk 5 och åk 6, och skillnaden mot den andra raden skulle visa deras resultat|för få elever|dold för att skydda en liten grupp)$/);
  });
});

describe('--per-school with the exports in the folder written to', () => {
  it('writes the sheets beside the exports, and a later run reads only the exports', async () => {
    const folder = join(dir, 'exports-and-sheets');
    cpSync('fixtures/demo/exports', folder, { recursive: true });
    expect((await runIn(['report', folder, '--areas', 'fixtures/demo/skolomraden.csv', '--per-school', folder, '-q'])).status).toBe(0);
    expect(existsSync(join(folder, 'solasens-skola.html'))).toBe(true);
    const gap = await runIn(['gap', folder, '--areas', 'fixtures/demo/skolomraden.csv', '--format', 'json', '-q']);
    expect(gap.status).toBe(0);
    expect((JSON.parse(gap.stdout) as { meta: { files: unknown[] } }).meta.files).toHaveLength(4);
  });
});
