/**
 * The README's yearly cycle, run line by line exactly as written (with `npx ska-analyze` pointed at
 * the built binary by a shell function), in a scratch folder that sees the repository's fixtures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { BIN, ROOT } from './run.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = readme.slice(readme.indexOf('<!-- cycle:start -->'), readme.indexOf('<!-- cycle:end -->'));
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const commands = block
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.startsWith('npx ska-analyze '));

let dir = '';
interface Step {
  command: string;
  /** bash's status for the line as typed (0 for `… || test $? -eq 3` when the program exits 3). */
  status: number | null;
  /** The program's own exit code on that line. */
  program: number | null;
  stdout: string;
  stderr: string;
}
let results: Step[] = [];
const step = (start: string) => results.find((r) => r.command.startsWith(`npx ska-analyze ${start}`))!;

// The README's lines, each once and in order, exactly as typed, as bash runs them; the tests read
// what they left. `npx` is a shell function that starts the built binary for `npx ska-analyze` and
// reports its exit code on descriptor 3, so the scheduled run's own exit code (before `|| test`)
// is seen without starting the program a second time.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ska-cycle-'));
  symlinkSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'));
  const npx = `npx() { [ "$1" = ska-analyze ] || return 127; shift; ${quote(process.execPath)} ${quote(BIN)} "$@"; local code=$?; echo "$code" >&3; return "$code"; }`;
  results = commands.map((command) => {
    const result = spawnSync('bash', ['-c', `${npx}\n${command}`], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    const program = (result.output[3] ?? '').toString().trim();
    return { command, status: result.status, program: program === '' ? null : Number(program), stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
  });
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the README\'s yearly cycle on the demo data', () => {
  it('has the nine steps: init, inspect, gap, transition, trend, report, one sheet per school, compare with last year, a scheduled run', () => {
    expect(commands.map((c) => c.split(' ')[2])).toEqual(['init', 'inspect', 'gap', 'transition', 'trend', 'report', 'report', 'gap', 'gap', 'gap']);
  });

  it('runs every line without an error', () => {
    for (const result of results) expect(result.status, `${result.command}\n${result.stderr}`).toBe(0);
  });

  it('writes a config that names the reference, and gap uses it', () => {
    const config = parseConfig('ska.config.json', readFileSync(join(dir, 'ska.config.json'), 'utf8'));
    expect(config.reference).toBe('fixtures/skolverket/relation-ak9-2024-skolniva.csv');
    expect(config.reference_unit).toBe('Ale');
    expect(Object.keys(config.areas ?? {})).toHaveLength(9);
    expect(step('gap fixtures/demo/exports --config ska.config.json').stdout).toContain('Jämfört med referens: Ale');
  });

  it('shows the planted patterns along the way', () => {
    expect(step('transition').stdout).toMatch(/Norra: bedömningarna i åk 5 godkänner färre elever/);
    expect(step('trend').stdout).toContain('3 år i rad över kommunen');
  });

  it('writes the board report with the published figures and their source', () => {
    const html = readFileSync(join(dir, 'rapport.html'), 'utf8');
    expect(html).toContain('<h1>Exempelstad: betyg och nationella prov</h1>');
    expect(html).toContain('Egen bearbetning av data från Skolverket');
  });

  it('writes one analysis sheet per school, each with the cycle\'s four questions and the reference', () => {
    const files = readdirSync(join(dir, 'underlag')).sort();
    expect(files).toHaveLength(9);
    expect(files).toContain('solasens-skola.html');
    for (const file of files) {
      const html = readFileSync(join(dir, 'underlag', file), 'utf8');
      for (const question of ['Vad ser vi?', 'Varför blir det så när vi gör som vi gör?', 'Vad ska vi förändra?', 'Hur ska vi veta att det blir bättre?']) expect(html, file).toContain(question);
    }
    expect(readFileSync(join(dir, 'underlag', 'solasens-skola.html'), 'utf8')).toContain('Jämfört med referens');
  });

  it('compares this spring with last spring', () => {
    expect(existsSync(join(dir, 'last-year.json'))).toBe(true);
    const compare = results.find((r) => r.command.includes('--compare-with'))!;
    expect(compare.stdout).toContain('Förändring sedan förra körningen, last-year.json (2023/24 → 2024/25)');
  });

  it('ends the scheduled run with exit code 3 for the breaching schools, and says which', () => {
    const scheduled = results[results.length - 1]!;
    expect(scheduled.stderr).toMatch(/--fail-on funnel_flag=above_99\.8: \d+ grupp/);
    expect(scheduled.command).toMatch(/ \|\| test \$\? -eq 3$/);
    expect(scheduled.program).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, 'gap-2025.json'), 'utf8')).meta.parameters.fail_on).toBe('funnel_flag=above_99.8,funnel_flag=below_99.8');
  });
});
