/**
 * Privacy through the CLI: groups with no pupils in the measure, the reason a row is hidden, and
 * --small-groups-only (internal use) on gap, transition, trend and report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn, type RunResult } from './run.js';
import { testPersonnummer } from '../support/personnummer.js';

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
const NOTICE_SV = 'Intern analys: endast små grupper är dolda (ingen sekundär maskering). Får inte publiceras.';
const NOTICE_EN = 'Internal analysis: only small groups are hidden (no complementary suppression). Not for publication.';

const dir = mkdtempSync(join(tmpdir(), 'ska-suppression-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pupil k's synthetic personnummer (tests/support/personnummer.ts). */
const personnummer = (k: number, year = '11'): string => testPersonnummer(k, year);

interface Row {
  area: string | null;
  school: string | null;
  subject: string;
  n: number | null;
  n_grade_only?: number | null;
  suppressed: boolean;
  suppressed_reason: string | null;
}
interface Report {
  meta: { parameters: Record<string, unknown>; suppressed_groups: Record<string, number> };
  rows: Row[];
}

function json(result: RunResult): Report {
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

/** Name → suppressed_reason ("shown" when shown), for the rows of one subject. */
function reasons(rows: readonly Row[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.school ?? r.area ?? 'total', r.suppressed_reason ?? 'shown']));
}

describe('gap: a school with grades but no test (no paired pupil)', () => {
  // år 6 mathematics, Norra: Askolan 12 and Bskolan 11 pupils with grade C and test C; Zskolan 6
  // pupils with a grade and no test. Södra: Sskolan 15. --min-group 10 (the default).
  const file = join(dir, 'gap.csv');
  const withSmall = join(dir, 'gap-small.csv');
  beforeAll(() => {
    const lines = ['Personnummer;Skola;Skolområde;Årskurs;Läsår;Ämne;Betyg;Provbetyg'];
    let k = 0;
    const add = (out: string[], school: string, area: string, n: number, test: boolean) => {
      for (let i = 0; i < n; i++) out.push([personnummer(++k), school, area, '6', '2024/25', 'MA', 'C', test ? 'C' : ''].join(';'));
    };
    add(lines, 'Askolan', 'Norra', 12, true);
    add(lines, 'Bskolan', 'Norra', 11, true);
    add(lines, 'Zskolan', 'Norra', 6, false);
    add(lines, 'Sskolan', 'Södra', 15, true);
    writeFileSync(file, `${lines.join('\n')}\n`);
    // The same with a real small school: Yskolan, 3 pupils with grade and test.
    const small = [...lines];
    add(small, 'Yskolan', 'Norra', 3, true);
    writeFileSync(withSmall, `${small.join('\n')}\n`);
  });

  it('hides nothing: Zskolan has no row, Bskolan (the smallest real school) shows its figures', async () => {
    const report = json(await runIn(['gap', file, '--format', 'json', '-q']));
    // Before, Zskolan (0 paired) was "too small" and rule (a) hid Bskolan as well.
    expect(reasons(report.rows)).toEqual({ total: 'shown', Norra: 'shown', Askolan: 'shown', Bskolan: 'shown', Södra: 'shown', Sskolan: 'shown' });
    const norra = report.rows.find((r) => r.area === 'Norra' && r.school === null)!;
    expect([norra.n, norra.n_grade_only]).toEqual([23, 6]);
    expect(report.meta.suppressed_groups).toEqual({ small_group: 0, complementary: 0 });
    expect(report.meta.parameters.suppression).toBe('full');
  });

  it('with a real small school: it is hidden and so is Bskolan; the table says why on each row', async () => {
    const report = json(await runIn(['gap', withSmall, '--format', 'json', '-q']));
    // Norra 26 = A 12 + B 11 + Y 3: Y is too small; Norra − A − B would give Y, so B (the
    // smaller shown school) is hidden too.
    expect(reasons(report.rows)).toEqual({ total: 'shown', Norra: 'shown', Askolan: 'shown', Bskolan: 'complementary', Yskolan: 'small_group', Södra: 'shown', Sskolan: 'shown' });
    // --wide: every column, each row on one line (by default a narrow terminal may wrap or leave out the note).
    const table = await runIn(['gap', withSmall, '-q', '--wide']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/│\s+Bskolan\s+│\s+\.\. │[^\n]*│ dold för att skydda en liten grupp │\n/);
    expect(table.stdout).toMatch(/│\s+Yskolan\s+│\s+\.\. │[^\n]*│ för få elever\s+│\n/);
    expect(table.stdout).toMatch(/│ Grupp\s+│[^\n]*│ Anmärkning\s+│\n/);
    expect(table.stdout).not.toContain(NOTICE_SV);
    const english = await runIn(['gap', withSmall, '-q', '--lang', 'en', '--wide']);
    expect(english.stdout).toMatch(/│\s+Bskolan\s+│\s+\.\. │[^\n]*│ hidden to protect a small group │\n/);
    expect(english.stdout).toMatch(/│\s+Yskolan\s+│\s+\.\. │[^\n]*│ too few pupils\s+│\n/);
    expect(english.stdout).toMatch(/│ Group\s+│[^\n]*│ Note\s+│\n/);
  });

  it('--small-groups-only hides Yskolan only, says so first, and records it in meta', async () => {
    const report = json(await runIn(['gap', withSmall, '--format', 'json', '-q', '--small-groups-only']));
    expect(reasons(report.rows)).toEqual({ total: 'shown', Norra: 'shown', Askolan: 'shown', Bskolan: 'shown', Yskolan: 'small_group', Södra: 'shown', Sskolan: 'shown' });
    expect(report.meta.parameters.suppression).toBe('small_groups_only');
    expect(report.meta.suppressed_groups).toEqual({ small_group: 1, complementary: 0 });
    const table = await runIn(['gap', withSmall, '--small-groups-only']);
    expect(table.stdout.startsWith(`${NOTICE_SV}\n\nBetyg jämfört med nationella prov\n`)).toBe(true);
    // On stderr too, so a JSON or CSV run says it as well.
    expect(table.stderr).toContain(NOTICE_SV);
    const english = await runIn(['gap', withSmall, '--small-groups-only', '--lang', 'en', '-q']);
    expect(english.stdout.startsWith(`${NOTICE_EN}\n\n`)).toBe(true);
    const csv = await runIn(['gap', withSmall, '--small-groups-only', '--format', 'csv', '-q']);
    expect(csv.stdout).not.toContain(NOTICE_SV);
    expect(csv.stdout.split('\n')[0]).toContain(',suppressed,suppressed_reason,');
  });

  it('is in the help of gap, transition, trend and report', async () => {
    for (const command of ['gap', 'transition', 'trend', 'report']) {
      const help = await runIn([command, '--help']);
      expect(help.stdout.replace(/\s+/g, ' '), command).toContain('--small-groups-only internt bruk: dölj bara grupper under --min-group, ingen sekundär maskering (aldrig för publicering)');
      const english = await runIn([command, '--help', '--lang', 'en']);
      expect(english.stdout.replace(/\s+/g, ' '), command).toContain('--small-groups-only internal use: hide only groups below --min-group, no complementary hiding (never for publication)');
    }
  });
});

describe('transition: a 6–9 school in the år 5 → 6 analysis (inline exports)', () => {
  // Östra: F–5 schools Hagalund (30 pupils) and Östervång (20) assess år 5 in 2023/24; all 50
  // take the år 6 test in 2025 at Tallbacka 6–9, which also has 4 pupils who moved in (no år 5).
  // Counted at the år 5 school (the default), Tallbacka's only pupils are the 4 unlinked ones.
  const year5 = join(dir, 'ak5.tsv');
  const year6 = join(dir, 'ak6.csv');
  const areas = join(dir, 'omraden.csv');
  beforeAll(() => {
    const five = ['student_id\tschool\tgrade_level\tschool_year\tsubject\tkind\tresult'];
    const six = ['Elev-ID,Skolenhet,Åk,Provår,Ämne,Provbetyg'];
    for (let k = 1; k <= 54; k++) {
      const id = `20${personnummer(k, '13')}`;
      if (k <= 50) five.push([id, k <= 30 ? 'Hagalund' : 'Östervång', '5', '2023/24', 'MA', 'bedömning', '1'].join('\t'));
      six.push([id, 'Tallbacka 6–9', '6', '2025', 'MA', 'C'].join(','));
    }
    writeFileSync(year5, `${five.join('\n')}\n`);
    writeFileSync(year6, `${six.join('\n')}\n`);
    writeFileSync(areas, 'Skola;Skolområde\nHagalund;Östra\nÖstervång;Östra\nTallbacka 6–9;Östra\n');
  });

  it('hides no school: Östervång (20 linked) shows its figures, Tallbacka has no row', async () => {
    const report = json(await runIn(['transition', year5, year6, '--areas', areas, '--format', 'json', '-q']));
    // Before, Tallbacka (0 linked) was "too small", and rule (a) hid Östervång, the smaller school.
    expect(reasons(report.rows)).toEqual({ total: 'shown', Östra: 'shown', Hagalund: 'shown', Östervång: 'shown' });
    expect(report.rows.map((r) => r.n)).toEqual([50, 50, 30, 20]);
    const ostra = report.rows.find((r) => r.area === 'Östra' && r.school === null) as unknown as Record<string, unknown>;
    expect(ostra.n_to_only).toBe(4);
  });
});

describe('--small-groups-only on the demo data', () => {
  let full: Report;
  let internal: Report;
  let everything: Report;
  beforeAll(async () => {
    full = json(await runIn(['transition', ...DEMO, '--format', 'json', '-q']));
    internal = json(await runIn(['transition', ...DEMO, '--format', 'json', '-q', '--small-groups-only']));
    // --min-group 1 hides nothing (no group has fewer than 1 linked pupil), so it gives every n.
    everything = json(await runIn(['transition', ...DEMO, '--format', 'json', '-q', '--min-group', '1']));
  });

  it('transition: the same small groups hidden, none for protection; the others show their n', () => {
    expect(full.meta.parameters.suppression).toBe('full');
    expect(internal.meta.parameters.suppression).toBe('small_groups_only');
    expect(full.meta.suppressed_groups.complementary).toBeGreaterThan(0);
    expect(internal.meta.suppressed_groups).toEqual({ small_group: full.meta.suppressed_groups.small_group, complementary: 0 });
    const key = (r: Row) => `${r.area}|${r.school}|${r.subject}`;
    const n = new Map(everything.rows.map((r) => [key(r), r.n]));
    const fullReason = new Map(full.rows.map((r) => [key(r), r.suppressed_reason]));
    for (const row of internal.rows) {
      expect(row.suppressed_reason, key(row)).toBe(fullReason.get(key(row)) === 'small_group' ? 'small_group' : null);
      if (!row.suppressed) expect(row.n, key(row)).toBe(n.get(key(row)));
    }
    const ostervang = internal.rows.find((r) => r.school === 'Östervångsskolan' && r.subject === 'EN')!;
    expect(fullReason.get(key(ostervang))).toBe('complementary');
    expect(ostervang.n).toBe(n.get(key(ostervang)));
  });

  it('transition and trend tables start with the notice; without the option they do not have it', async () => {
    const transition = await runIn(['transition', ...DEMO, '-q', '--small-groups-only']);
    expect(transition.stdout.startsWith(`${NOTICE_SV}\n\nÅk 5 → åk 6:`)).toBe(true);
    const trend = await runIn(['trend', ...DEMO, '-q', '--small-groups-only']);
    expect(trend.stdout.startsWith(`${NOTICE_SV}\n\nBetyg jämfört med nationella prov, 2022/23–2024/25\n`)).toBe(true);
    const trendJson = json(await runIn(['trend', ...DEMO, '-q', '--small-groups-only', '--format', 'json']));
    expect(trendJson.meta.parameters.suppression).toBe('small_groups_only');
    expect(trendJson.meta.suppressed_groups.complementary).toBe(0);
    const plain = await runIn(['trend', ...DEMO, '-q', '--wide']);
    expect(plain.stdout).not.toContain(NOTICE_SV);
    expect(plain.stdout).toMatch(/│\s+Östervångsskolan\s+│\s+\.\. │[^\n]*│ dold för att skydda en liten grupp │\n/);
    expect((json(await runIn(['trend', ...DEMO, '-q', '--format', 'json']))).meta.parameters.suppression).toBe('full');
  });
});

describe('report: full protection unless --small-groups-only is given to report itself', () => {
  let plain: RunResult;
  let internal: RunResult;
  let html: RunResult;
  beforeAll(async () => {
    plain = await runIn(['report', ...DEMO, '--format', 'md', '-q']);
    internal = await runIn(['report', ...DEMO, '--format', 'md', '-q', '--small-groups-only']);
    html = await runIn(['report', ...DEMO, '-q', '--small-groups-only']);
  });

  it('without the option: complementary hiding, the reason on the row, no notice', async () => {
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^\| &nbsp;&nbsp;Östervångsskolan \| \.\. \|[^\n]*\| dold för att skydda en liten grupp \|$/m);
    expect(plain.stdout).not.toContain('Intern analys');
    const page = await runIn(['report', ...DEMO, '-q']);
    expect(page.stdout).not.toContain('Intern analys');
    expect(page.stdout).not.toContain('class="internal');
    expect(page.stdout).not.toContain('@top-center');
  });

  it('Markdown: the notice at the top, no row hidden to protect another', () => {
    expect(internal.status).toBe(0);
    expect(internal.stdout.startsWith(`# Betyg och nationella prov\n\n> **${NOTICE_SV}**\n\n`)).toBe(true);
    expect(internal.stdout).not.toContain('dold för att skydda en liten grupp');
    expect(internal.stdout).toMatch(/^\| &nbsp;&nbsp;Tallmyrens skola \| \.\. \|[^\n]*\| för få elever \|$/m);
    expect(internal.stdout).toMatch(/^\| &nbsp;&nbsp;Östervångsskolan \| \d+ \| \d+ % \|/m);
  });

  it('HTML: the notice under the title and every section heading, in print under every part heading and in every page margin', () => {
    expect(html.status).toBe(0);
    const page = html.stdout;
    const count = (re: RegExp) => (page.match(re) ?? []).length;
    const sections = count(/<section class="main"/g);
    expect(sections).toBeGreaterThanOrEqual(5);
    expect(count(/<p class="internal" role="note">Intern analys: endast små grupper är dolda \(ingen sekundär maskering\)\. Får inte publiceras\.<\/p>/g)).toBe(1 + sections);
    expect(count(/<h2 id="[^"]+-h">[^<]*<\/h2>\n<p class="internal" role="note">/g)).toBe(sections);
    const parts = count(/<h3>/g);
    expect(parts).toBeGreaterThan(0);
    expect(count(/<h3>[^<]*<\/h3>\n<p class="internal print-only" role="note">Intern analys/g)).toBe(parts);
    expect(page).toContain(`@page { @top-center { content: "${NOTICE_SV}";`);
    expect(page).toMatch(/@media print \{\n {2}\.internal\.print-only \{ display: block; \}/);
  });
});
