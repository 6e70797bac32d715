import { beforeAll, describe, expect, it } from 'vitest';
import { runIn, type RunResult } from './run.js';

const DEMO = ['transition', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
const PERSONNUMMER = /\b(?:19|20)?\d{6}[-+]?\d{4}\b/;

interface Row {
  area: string | null;
  school: string | null;
  subject: string;
  n: number | null;
  verdict: string | null;
  share_pass_from: number | null;
  share_pass_to: number | null;
  pass_pass: number | null;
  pass_fail: number | null;
  fail_pass: number | null;
  fail_fail: number | null;
  suppressed: boolean;
}

/**
 * Runs on the demo data that several tests read, made once per command line and shared (the
 * determinism checks make their second run themselves).
 */
const shared = new Map<string, Promise<RunResult>>();
function once(args: readonly string[]): Promise<RunResult> {
  const key = JSON.stringify(args);
  let result = shared.get(key);
  if (!result) shared.set(key, (result = runIn(args)));
  return result;
}
const JSON_QUIET = [...DEMO, '--format', 'json', '-q'];
const EN_QUIET = [...DEMO, '--lang', 'en', '-q'];

describe('transition on the demo data', () => {
  let table: RunResult;
  let json: RunResult;
  let rows: Row[];
  beforeAll(async () => {
    table = await once(DEMO);
    json = await once([...DEMO, '--format', 'json']);
    rows = (JSON.parse(json.stdout) as { rows: Row[] }).rows;
  }, 60_000);
  const area = (name: string, subject: string) => rows.find((r) => r.area === name && r.school === null && r.subject === subject)!;

  it('shows the planted pattern: Norra strict in år 5, Södra generous, Östra in line', () => {
    for (const subject of ['SV', 'EN', 'MA']) {
      expect(area('Norra', subject).verdict).toBe('strict');
      expect(area('Södra', subject).verdict).toBe('generous');
      expect(area('Östra', subject).verdict).toBe('in_line');
    }
    const norra = area('Norra', 'MA');
    expect(norra.share_pass_from!).toBeLessThan(norra.share_pass_to! - 0.1);
  });

  it('prints a plain Swedish sentence per area and the verdicts in the table', () => {
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('Åk 5 → åk 6: bedömningarna i åk 5 jämfört med de nationella proven i åk 6');
    // The conclusions are prose, wrapped at the width (100 in a pipe) with their continuation indented: read them as one line.
    expect(table.stdout.replace(/\n +/g, ' ')).toMatch(/Norra: bedömningarna i åk 5 godkänner färre elever \(\d+ %\) än de nationella proven i åk 6 \(\d+ %\), −\d+ procentenheter \(p < 0,001\)\. Bedömningen i åk 5 är strängare\./);
    expect(table.stdout).toMatch(/Södra: bedömningarna i åk 5 godkänner fler elever/);
    expect(table.stdout).toContain('sträng ▼');
    expect(table.stdout).toContain('generös ▲');
    expect(table.stderr).toContain('elev–ämnen länkade mellan åren');
  });

  it('JSON rows carry the documented keys and a consistent 2×2 table', () => {
    const keys = ['area', 'school', 'subject', 'n', 'n_from_only', 'n_to_only', 'share_pass_from', 'share_pass_to', 'diff_pp', 'diff_ci_low', 'diff_ci_high', 'pass_pass', 'pass_fail', 'fail_pass', 'fail_fail', 'p_value', 'verdict', 'suppressed'];
    for (const row of rows) for (const key of keys) expect(row).toHaveProperty(key);
    for (const row of rows.filter((r) => !r.suppressed)) {
      expect(row.pass_pass! + row.pass_fail! + row.fail_pass! + row.fail_fail!).toBe(row.n);
      expect(row.share_pass_from).toBeCloseTo((row.pass_pass! + row.pass_fail!) / row.n!, 12);
    }
    for (const row of rows.filter((r) => r.suppressed)) {
      expect(row.n).toBeNull();
      expect(row.verdict).toBeNull();
    }
  });

  it('keeps ids out and is deterministic', async () => {
    expect(json.stdout).not.toMatch(PERSONNUMMER);
    expect(table.stdout).not.toMatch(PERSONNUMMER);
    const again = await runIn([...DEMO, '--format', 'json']);
    expect(again.stdoutBytes.equals(json.stdoutBytes)).toBe(true);
  });

  it('--lang en and --excel', async () => {
    const en = await once(EN_QUIET);
    expect(en.stdout).toMatch(/Norra: the assessments in year 5 pass fewer pupils/);
    const excel = await runIn([...DEMO, '--excel', '--quiet']);
    expect(excel.stdoutBytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(excel.stdout.split('\r\n')[0]).toMatch(/^\uFEFFOmråde;Skola;Ämne;Nivå;Bedömning;Elever;/);
  });

  it('refuses impossible level pairs', async () => {
    const result = await runIn([...DEMO, '--from', '6', '--to', '5']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('ska-analyze: --to (5) måste vara en senare årskurs än --from (6)\n');
    expect((await runIn([...DEMO, '--from', '6', '--to', '5', '--lang', 'en'])).stderr).toBe('ska-analyze: --to (5) must be a later grade level than --from (6)\n');
  });
});

describe('transition --list-cases', () => {
  it('lists linked pupils whose outcome changed, ids masked unless --show-ids', async () => {
    const masked = await runIn([...DEMO, '--list-cases', '--format', 'json', '--quiet']);
    expect(masked.status).toBe(0);
    const cases = (JSON.parse(masked.stdout) as { cases: { pupil: string; from: string; to: string }[] }).cases;
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => /^elev-\d{4}$/.test(c.pupil) && c.from !== c.to)).toBe(true);
    expect(masked.stdout).not.toMatch(PERSONNUMMER);
    // As many cases as the discordant cells of the totals (pass→fail + fail→pass over the subjects).
    const rows = (JSON.parse((await once(JSON_QUIET)).stdout) as { rows: Row[] }).rows;
    const discordant = rows.filter((r) => r.area === null).reduce((sum, r) => sum + (r.pass_fail ?? 0) + (r.fail_pass ?? 0), 0);
    expect(cases.length).toBe(discordant);
    const shown = await runIn([...DEMO, '--list-cases', '--show-ids', '--format', 'csv', '--quiet']);
    expect(shown.stdout.split('\n')[1]).toMatch(/,\d{12},(pass|fail),(pass|fail),/);
  });

  it('--show-ids alone is refused', async () => {
    const result = await runIn([...DEMO, '--show-ids']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('ska-analyze: --show-ids fungerar bara tillsammans med --list-cases\n');
  });

  it('--by teacher is refused, in Swedish and in English', async () => {
    const result = await runIn([...DEMO, '--by', 'lärare']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('ska-analyze: --by lärare (teacher) går inte att använda med transition (bedömningarna i åk 5 har ingen betygssättande lärare)\n');
    expect((await runIn([...DEMO, '--by', 'teacher', '--lang', 'en'])).stderr).toBe('ska-analyze: --by teacher is not available for transition (år 5 assessments have no grading teacher)\n');
  });
});

describe('transition names the cohorts it pools', () => {
  const POOLED_SV = 'Åk 5 2022/23 → åk 6 2023/24 och åk 5 2023/24 → åk 6 2024/25 (2 årskullar sammanslagna)';

  it('in the table heading (Swedish and English) and, per school year, says they are not pooled', async () => {
    const sv = await runIn([...DEMO, '-q']);
    expect(sv.status).toBe(0);
    expect(sv.stdout.split('\n').slice(0, 3)).toEqual(['Åk 5 → åk 6: bedömningarna i åk 5 jämfört med de nationella proven i åk 6', POOLED_SV, '']);
    const en = await once(EN_QUIET);
    expect(en.stdout.split('\n')[1]).toBe('Year 5 2022/23 → year 6 2023/24 and year 5 2023/24 → year 6 2024/25 (2 cohorts pooled)');
    const perYear = await runIn([...DEMO, '--by', 'school_year,area', '-q']);
    expect(perYear.stdout.split('\n')[1]).toBe('Åk 5 2022/23 → åk 6 2023/24 och åk 5 2023/24 → åk 6 2024/25 (2 årskullar, var för sig)');
    const cases = await runIn([...DEMO, '--list-cases', '-q']);
    expect(cases.stdout.split('\n')[1]).toBe(POOLED_SV);
  });

  it('in JSON meta.cohorts, whose linked counts add up to meta.coverage.linked', async () => {
    const out = await once(JSON_QUIET);
    const meta = (JSON.parse(out.stdout) as { meta: { cohorts: { linked: number }[]; coverage: { linked: number } } }).meta;
    expect(meta.cohorts).toEqual([
      { from_school_year: '2022/23', to_school_year: '2023/24', from_level: 5, to_level: 6, linked: expect.any(Number) },
      { from_school_year: '2023/24', to_school_year: '2024/25', from_level: 5, to_level: 6, linked: expect.any(Number) },
    ]);
    expect(meta.cohorts.reduce((sum, c) => sum + c.linked, 0)).toBe(meta.coverage.linked);
  });

  it('for a tiny inline export: three cohorts, counts only when no cohort is below --min-group', async () => {
    const lines = ['student_id\tschool\tarea\tgrade_level\tschool_year\tsubject\tkind\tresult'];
    let id = 0;
    for (const [y5, y6, n] of [['2021/22', '2022/23', 3], ['2022/23', '2023/24', 2], ['2023/24', '2024/25', 4]] as const) {
      for (let k = 0; k < n; k++) {
        id++;
        lines.push(`elev${id}\tAskolan\tNorra\t5\t${y5}\tMA\tbedömning\t1`, `elev${id}\tAskolan\tNorra\t6\t${y6}\tMA\tprovbetyg\tC`);
      }
    }
    const input = `${lines.join('\n')}\n`;
    const table = await runIn(['transition', '-', '-q'], { input });
    // The line under the title, wrapped at the width (100 in a pipe).
    expect(table.stdout.split('\n\n')[0]?.split('\n').slice(1).join(' ')).toBe('Åk 5 2021/22 → åk 6 2022/23, åk 5 2022/23 → åk 6 2023/24 och åk 5 2023/24 → åk 6 2024/25 (3 årskullar sammanslagna)');
    const cohorts = async (minGroup: string) =>
      (JSON.parse((await runIn(['transition', '-', '--format', 'json', '--min-group', minGroup, '-q'], { input })).stdout) as { meta: { cohorts: { to_school_year: string; linked: number | null }[] } }).meta.cohorts;
    expect((await cohorts('2')).map((c) => [c.to_school_year, c.linked])).toEqual([['2022/23', 3], ['2023/24', 2], ['2024/25', 4]]);
    expect((await cohorts('3')).map((c) => c.linked)).toEqual([null, null, null]);
  });
});
