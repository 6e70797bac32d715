/**
 * Terminal width, end to end on the demo data (in-process, stdout a "terminal" of a given width):
 * every line fits, the tables show the columns read first and say what they left out, --wide and
 * --columns, a file or JSON unaffected; --by in Swedish.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Collector, runIn, type RunResult } from './run.js';

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];

/** Run with stdout (and, if asked, stderr) a terminal this many columns wide; colour off. */
async function onTerminal(args: readonly string[], columns: number, stderrColumns?: number): Promise<RunResult> {
  const { main } = await import('../../src/cli.js');
  const stdout = new Collector();
  stdout.isTTY = true;
  stdout.columns = columns;
  const stderr = new Collector();
  if (stderrColumns !== undefined) {
    stderr.isTTY = true;
    stderr.columns = stderrColumns;
  }
  const stdin = (async function* () {})();
  // -q keeps the phase line off a terminal stderr; it is tested in tests/render/phases.test.ts.
  const status = await main(args, { stdout, stderr, stdin, env: { NO_COLOR: '1' } });
  return { status, stdout: stdout.text, stderr: stderr.text, stdoutBytes: Buffer.from(stdout.text) };
}

const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
const headers = (text: string) => text.split('\n').filter((line) => line.startsWith('│ Grupp') || line.startsWith('│ Group'));

describe('tables and prose fit the terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ska-width-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([80, 100, 120])('gap at %i columns: no line wider, the columns read first, one note on what was left out', async (columns) => {
    const out = await onTerminal(['gap', ...DEMO, '-q'], columns);
    expect(out.status).toBe(0);
    expect(widest(out.stdout)).toBeLessThanOrEqual(columns);
    const head = headers(out.stdout)[0] ?? '';
    for (const word of ['Grupp', 'Elever', 'Högre', 'Lika', 'Lägre', 'Std-diff', 'Tratt']) expect(head).toContain(word);
    for (const word of ['Medeldiff', 'Netto', 'κw', 'Mot övriga']) expect(head).not.toContain(word);
    const notes = out.stdout.split('\n').filter((line) => line.includes('kolumner visas'));
    expect(notes).toEqual([`${columns === 80 ? 7 : 8} av 15 kolumner visas, för ${columns} tecken; --wide visar alla, --columns väljer.`]);
    // The legend explains the columns shown, not those left out.
    expect(out.stdout).toContain('Högre/Lika/Lägre:');
    expect(out.stdout).not.toContain('κw: kvadratiskt viktad kappa');
  });

  it.each([80, 100, 120])('transition and trend at %i columns: no line wider; the conclusions wrapped between words', async (columns) => {
    const transition = await onTerminal(['transition', ...DEMO, '-q'], columns);
    expect(widest(transition.stdout)).toBeLessThanOrEqual(columns);
    for (const word of ['Bedömning', 'Elever', 'Godkänt åk 5', 'Godkänt åk 6']) expect(headers(transition.stdout)[0]).toContain(word);
    const findings = transition.stdout.split('Slutsatser:\n')[1]?.split('\n\n')[0] ?? '';
    expect(findings.split('\n').length).toBeGreaterThan(3);
    // Continuation lines are indented 4; together the lines are the sentences, every word whole.
    expect(findings.replace(/\n {4}/g, ' ')).toMatch(/^ {2}Norra: bedömningarna i åk 5 godkänner färre elever \(80 %\) än de nationella proven i åk 6 \(92 %\), −12 procentenheter \(p < 0,001\)\. Bedömningen i åk 5 är strängare\.\n/);
    const trend = await onTerminal(['trend', ...DEMO, '-q'], columns);
    expect(widest(trend.stdout)).toBeLessThanOrEqual(columns);
    expect(headers(trend.stdout)[0]).toMatch(/Grupp.*Elever.*Medeldiff/);
  });

  it('inspect wraps its long lines, a continuation 2 further in', async () => {
    const out = await onTerminal(['inspect', 'fixtures/demo/exports'], 80);
    expect(widest(out.stdout)).toBeLessThanOrEqual(80);
    expect(out.stdout).toMatch(/\n {2}skola: Björkängsskolan \(540\), [^\n]*\n {4}\S/);
  });

  it('--wide: every column, the layout of a file; prose still wrapped at the width', async () => {
    const wide = await onTerminal(['gap', ...DEMO, '-q', '--wide'], 80);
    expect(headers(wide.stdout)[0]).toMatch(/│ Grupp\s+│ Elever │ Högre │ Lika │ Lägre │ Netto │ Medeldiff \(95 % KI\) │ Std-diff │ Tratt\s+│ Minst E betyg\/prov │\s+κw │ Mot övriga │ Utan prov │ Utan betyg │/);
    expect(wide.stdout).not.toContain('kolumner visas');
    const file = join(dir, 'gap.txt');
    expect((await onTerminal(['gap', ...DEMO, '-q', '-o', file], 80)).status).toBe(0);
    const written = readFileSync(file, 'utf8');
    // A file: every column and no line wrapped, whatever the terminal.
    expect(headers(written)).toEqual(headers(wide.stdout));
    expect(written).toMatch(/\nTratten: [^\n]{200,}\n/);
    expect(wide.stdout).not.toMatch(/\nTratten: [^\n]{81,}\n/);
  });

  it('a pipe is 100 columns; JSON and CSV are the same whatever the width and --columns', async () => {
    const piped = await runIn(['gap', ...DEMO, '-q']);
    expect(widest(piped.stdout)).toBe(100);
    const json = await runIn(['gap', ...DEMO, '-q', '--format', 'json']);
    expect((await onTerminal(['gap', ...DEMO, '-q', '--format', 'json', '--columns', 'n'], 60)).stdout).toBe(json.stdout);
    const csv = await runIn(['gap', ...DEMO, '-q', '--excel']);
    expect((await onTerminal(['gap', ...DEMO, '-q', '--excel'], 60)).stdout).toBe(csv.stdout);
  });

  it('--columns: the columns named, by key or Swedish heading, in the table\'s order, the group always', async () => {
    const out = await onTerminal(['gap', ...DEMO, '-q', '--columns', 'mean_diff,Tratt,n'], 80);
    expect(headers(out.stdout)[0]).toMatch(/^│ Grupp\s+│ Elever │ Medeldiff \(95 % KI\) │ Tratt\s+│$/);
    expect(out.stdout).not.toContain('kolumner visas');
    const transition = await onTerminal(['transition', ...DEMO, '-q', '--columns', 'diff,p,saknar åk 6'], 80);
    expect(headers(transition.stdout)[0]).toMatch(/^│ Grupp\s+│\s+Skillnad \(KI\) │\s+p │ Saknar åk 6 │$/);
    const trend = await onTerminal(['trend', ...DEMO, '-q', '--columns', 'higher,streak,skillnad'], 120);
    const gapHead = headers(trend.stdout)[0];
    const transitionHead = headers(trend.stdout).at(-1);
    expect(gapHead).toMatch(/^│ Grupp\s+│ Högre\s+│ Samma riktning\s+│$/);
    expect(transitionHead).toMatch(/^│ Grupp\s+│ Skillnad\s+│ Samma riktning\s+│$/);
  });

  it('--columns with a word that names no column: exit 2, listing the keys, in the run\'s language', async () => {
    const sv = await runIn(['gap', ...DEMO, '--columns', 'n,planet']);
    expect(sv.status).toBe(2);
    expect(sv.stderr).toBe('ska-analyze: --columns: okänd kolumn "planet"; välj bland group, n, higher, same, lower, net, mean_diff, std_gap, std_gap_adjusted, funnel, pass, kappa, vs_rest, no_test, no_grade, note\n');
    const en = await runIn(['transition', ...DEMO, '--columns', 'planet', '--lang', 'en']);
    expect(en.status).toBe(2);
    expect(en.stderr).toBe('ska-analyze: --columns: unknown column "planet"; choose from group, verdict, n, pass_from, pass_to, diff, pass_pass, pass_fail, fail_pass, fail_fail, p, no_to, no_from, note\n');
    const both = await runIn(['trend', ...DEMO, '--columns', 'n', '--wide']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--wide och --columns går inte att kombinera');
  });

  it('the row accounting on a terminal is wrapped to its width; in a log each line stays whole', async () => {
    const terminal = await onTerminal(['gap', ...DEMO, '--format', 'json'], 200, 60);
    expect(widest(terminal.stderr)).toBeLessThanOrEqual(60);
    expect(terminal.stderr).toMatch(/\n {2}[\d\u00a0]+ betyg i ämne\/årskurs\/läsår utan nationella prov\n {4}\(jämförs inte\)\n/);
    const log = await runIn(['gap', ...DEMO, '--format', 'json']);
    expect(log.stderr).toMatch(/\n {2}\d[\d\u00a0]* betyg i ämne\/årskurs\/läsår utan nationella prov \(jämförs inte\)\n/);
    // The same words either way.
    expect(terminal.stderr.replace(/\n +/g, ' ')).toBe(log.stderr.replace(/\n +/g, ' '));
  });
});

describe('--by in Swedish', () => {
  it('skola, ämne, årskurs, läsår (also without å/ä/ö, in any case) group as school, subject, grade_level, school_year', async () => {
    const english = await runIn(['gap', ...DEMO, '-q', '--format', 'json', '--by', 'school_year,grade_level,school,subject']);
    const swedish = await runIn(['gap', ...DEMO, '-q', '--format', 'json', '--by', 'Läsår,arskurs,SKOLA,amne']);
    expect(swedish.status).toBe(0);
    expect(swedish.stdout).toBe(english.stdout);
  });

  it('skolområde and område are the area, kön the gender, klass the class; lärare the teacher', async () => {
    const area = await runIn(['transition', ...DEMO, '-q', '--format', 'json', '--by', 'område,kön']);
    const byArea = JSON.parse(area.stdout) as { meta: { parameters: { by: string[] } } };
    expect(byArea.meta.parameters.by).toEqual(['area', 'gender']);
    const school = JSON.parse((await runIn(['gap', ...DEMO, '-q', '--format', 'json', '--by', 'skolomrade,klass,larare'])).stdout) as { meta: { parameters: { by: string[] } } };
    expect(school.meta.parameters.by).toEqual(['area', 'class', 'teacher']);
  });
});
