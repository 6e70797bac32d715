import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn, type RunResult } from './run.js';

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
const PERSONNUMMER = /\b(?:19|20)?\d{6}[-+]?\d{4}\b/;
const dir = mkdtempSync(join(tmpdir(), 'ska-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report', () => {
  // The demo's Markdown report, made once and shared by the tests that read it.
  let md: RunResult;
  beforeAll(async () => {
    md = await runIn(['report', ...DEMO, '--format', 'md', '-q']);
  }, 60_000);

  it('writes Markdown with the findings, the tables and the appendix, in Swedish', () => {
    expect(md.status).toBe(0);
    expect(md.stdout.startsWith('# Betyg och nationella prov\n')).toBe(true);
    for (const heading of ['## Det viktigaste', '## Betyg jämfört med nationella prov, 2024/25', '## Från åk 5 till åk 6', '## Över läsåren', '## Bilaga: vad som lästes']) {
      expect(md.stdout).toContain(heading);
    }
    expect(md.stdout).toMatch(/^\| Enhet \| Elever \| Högre \| Lika \| Lägre \| Std-diff \| Tratt \|$/m);
    // A hidden row says why in its Anmärkning column (Tallmyrens skola has fewer than 10 pupils).
    expect(md.stdout).toMatch(/^\| Enhet \| Elever \| Högre \| Lika \| Lägre \| Std-diff \| Tratt \| Anmärkning \|$/m);
    expect(md.stdout).toMatch(/^\| &nbsp;&nbsp;Tallmyrens skola \| \.\. \| \.\. \| \.\. \| \.\. \| \.\. \| \.\. \| för få elever \|$/m);
    expect(md.stdout).toMatch(/^\| &nbsp;&nbsp;Östervångsskolan \| \.\. \| \.\. \| \.\. \| \.\. \| \.\. \| \.\. \| dold för att skydda en liten grupp \|$/m);
    expect(md.stdout).not.toMatch(PERSONNUMMER);
    expect(md.stdout).toContain('procentenheter');
  });

  it('gives the same figures as gap for the latest year', async () => {
    const gap = JSON.parse((await runIn(['gap', ...DEMO, '--format', 'json', '-q'])).stdout) as { rows: Record<string, unknown>[] };
    const row = gap.rows.find((r) => r.school === 'Solåsens skola' && r.subject === 'MA' && r.grade_level === 6 && r.school_year === '2024/25')!;
    const pct = (v: unknown) => `${Math.round((v as number) * 100)} %`;
    expect(md.stdout).toContain(`| &nbsp;&nbsp;Solåsens skola | ${String(row.n)} | ${pct(row.share_higher)} | ${pct(row.share_same)} | ${pct(row.share_lower)} |`);
  });

  it('is byte-identical from run to run, in both formats', async () => {
    expect((await runIn(['report', ...DEMO, '--format', 'md', '-q'])).stdoutBytes.equals(md.stdoutBytes)).toBe(true);
    const a = join(dir, 'a.html');
    const b = join(dir, 'b.html');
    expect((await runIn(['report', ...DEMO, '-o', a, '-q'])).status).toBe(0);
    expect((await runIn(['report', ...DEMO, '-o', b, '-q'])).status).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('writes the HTML to --output, says where on stderr, and keeps stdout empty', async () => {
    const file = join(dir, 'rapport.html');
    const out = await runIn(['report', ...DEMO, '--output', file, '--title', 'Exempelstad <SKA> & "nämnden"']);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(`rapporten skrevs till ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h1>Exempelstad &lt;SKA&gt; &amp; &quot;nämnden&quot;</h1>');
    expect(html).toContain('<html lang="sv">');
  });

  it('puts published figures for this spring beside ours, and keeps a hidden reference value hidden', async () => {
    // A hand-typed reference: share A–E on the test for år 9 Matematik is "..", Svenska 95 %.
    const ref = join(dir, 'referens.csv');
    writeFileSync(ref, 'unit;subject;grade_level;school_year;share_pass_test\nRiket;MA;9;2024/25;..\nRiket;SV;9;2024/25;95\n');
    const out = await runIn(['report', ...DEMO, '--format', 'md', '--reference', ref, '-q']);
    expect(out.status).toBe(0);
    const section = out.stdout.slice(out.stdout.indexOf('## Jämfört med referens'), out.stdout.indexOf('## Över läsåren'));
    expect(section).toContain('### 2024/25 · åk 9 · Matematik');
    expect(section).not.toContain('2023/24 · åk');
    const ma = section.slice(section.indexOf('### 2024/25 · åk 9 · Matematik'), section.indexOf('### 2024/25 · åk 9 · Svenska'));
    expect(ma).toContain('| .. |');
    expect(ma).not.toMatch(/\| \d+(,\d+)? % \| [+−]/);
    const sv = section.slice(section.indexOf('### 2024/25 · åk 9 · Svenska'));
    expect(sv).toContain('95,0 %');
  });

  it('names the cohort it shows and the cohorts transition pools, in the same words as transition', async () => {
    const heading = 'Från åk 5 till åk 6: bedömning mot provresultat, åk 5 2023/24 → åk 6 2024/25';
    expect(md.stdout).toContain(`## ${heading}\n`);
    expect(md.stdout).toContain('**Matematik, åk 5 2023/24 → åk 6 2024/25**');
    const pooled = (await runIn(['transition', ...DEMO, '-q'])).stdout.split('\n')[1]!;
    expect(pooled).toContain('(2 årskullar sammanslagna)');
    expect(md.stdout).toContain(`Här visas bara den senaste årskullen, åk 5 2023/24 → åk 6 2024/25. Kommandot transition slår som standard ihop alla årskullar i exporterna: ${pooled.charAt(0).toLowerCase()}${pooled.slice(1)}.`);
    const html = await runIn(['report', ...DEMO, '-q']);
    expect(html.stdout).toContain(`<h2 id="overgang-h">${heading}</h2>`);
    expect(html.stdout).toContain(`<li><a href="#overgang">${heading}</a></li>`);
  });

  it('exits 4 with one line, and writes no report, when the exports give no figure at all (år 5 assessments only)', async () => {
    const out = await runIn(['report', 'fixtures/demo/exports/bedomningar_ak5.csv', '--format', 'md', '-q']);
    expect(out.status).toBe(4);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^ska-analyze: inga siffror: inget lärarbetyg kunde paras ihop med ett provbetyg .*; och ingen elev kunde länkas från åk 5/);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    // trend says the same, and in English with --lang en (report is Swedish only).
    const trend = await runIn(['trend', 'fixtures/demo/exports/bedomningar_ak5.csv', '-q', '--lang', 'en']);
    expect(trend.status).toBe(4);
    expect(trend.stderr).toMatch(/^ska-analyze: no figures: no teacher grade could be paired .*; and no pupil could be linked from år 5/);
  });

  it('says so plainly when the exports hold no grade–test pairs (år 5 assessments and år 6 tests only)', async () => {
    const out = await runIn(['report', 'fixtures/demo/exports/bedomningar_ak5.csv', 'fixtures/demo/exports/nationella_prov_ak6.csv', '--format', 'md', '-q']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Exporterna innehåller inga elever med både betyg och provbetyg i samma ämne och läsår, så betyg och prov jämförs inte');
    expect(out.stdout).toContain('## Från åk 5 till åk 6');
    expect(out.stdout).not.toContain('läsår .');
    expect(out.stdout).toContain('## Bilaga: vad som lästes');
  });

  it('says why the år 5 → år 6 part is empty when no pupil can be followed (one school year only)', async () => {
    const out = await runIn(['report', ...DEMO, '--school-years', '2024/25', '--format', 'md', '-q']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Inga elever kunde följas från en bedömning i åk 5 till ett prov i åk 6');
  });

  it('offers in --help only what works: no --lang (the report is Swedish); --lang and unknown formats exit 2', async () => {
    const help = await runIn(['report', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--format <format>');
    expect(help.stdout).not.toContain('--lang');
    expect((await runIn(['gap', '--help'])).stdout).toContain('--lang');
    const en = await runIn(['report', ...DEMO, '--lang', 'en', '-q']);
    expect(en.status).toBe(2);
    expect(en.stderr).toContain("unknown option '--lang'");
    expect((await runIn(['report', ...DEMO, '--format', 'pdf', '-q'])).status).toBe(2);
  });
});
