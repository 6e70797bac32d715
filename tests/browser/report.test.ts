/**
 * The board report opened in a real browser (Chromium): it draws, it makes no request,
 * and it shows no pupil id, no name and no figure of a hidden group.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../cli/run.js';
import { demoNames } from './checks.js';
import { SCREENSHOT_DIR, openHtml, saveScreenshot, type OpenedPage } from './chromium.js';

interface El {
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
  querySelectorAll(selector: string): ArrayLike<El>;
}

const dir = mkdtempSync(join(tmpdir(), 'ska-report-'));
const file = join(dir, 'rapport.html');
// Made in the first beforeAll, in-process.
let html = '';

describe('report --format html in a real browser (Chromium)', () => {
  let opened: OpenedPage;

  beforeAll(async () => {
    const made = await runIn(['report', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--reference', 'fixtures/skolverket/np-ak9-2024-kommun.csv', '--reference-unit', 'Stockholm', '--output', file, '--quiet']);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    html = readFileSync(file, 'utf8');
    opened = await openHtml(file, { viewport: { width: 1100, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline with no console errors, page errors or requests', async () => {
    const report = opened.report();
    expect(report.pageErrors).toEqual([]);
    expect(report.console).toEqual([]);
    expect(report.requests).toEqual([]);
    // Self-contained: no script, no external reference of any kind.
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\((?!#)/i);
  });

  it('draws every kind of chart with marks', async () => {
    const charts = await opened.page.$$eval('svg[data-chart]', (svgs: El[]) =>
      svgs.map((svg: El) => ({ kind: svg.getAttribute('data-chart'), width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height, marks: svg.querySelectorAll('.bar, .dot, .point, .line').length })),
    );
    const kinds = new Set(charts.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['dumbbell', 'funnel', 'share-bars', 'trend']);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(300);
      expect(chart.height).toBeGreaterThan(60);
      expect(chart.marks).toBeGreaterThan(0);
    }
    // Dumbbells: one per subject with år 5 assessments (SV, SVA, EN, MA at most), each with the three areas at most.
    const dots = await opened.page.locator('svg[data-chart="dumbbell"] circle.dot.to').count();
    expect(dots).toBeGreaterThanOrEqual(9);
  });

  it('leads with the findings and shows the planted patterns', async () => {
    const findings = await opened.page.locator('ol.findings li').allTextContents();
    expect(findings.length).toBeGreaterThanOrEqual(3);
    expect(findings.length).toBeLessThanOrEqual(5);
    const all = findings.join('\n');
    expect(all).toMatch(/Norra: bedömningarna i åk 5 godkänner färre/);
    expect(all).toMatch(/Södra: bedömningarna i åk 5 godkänner fler/);
    expect(all).toMatch(/Solåsens skola .* högre betyg än provresultaten motiverar/);
  });

  it('shows no personnummer and no pupil or teacher name', async () => {
    const text = (await opened.page.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/\b(?:19|20)?\d{6}[-+]?\d{4}\b/);
    expect(html).not.toMatch(/\b(?:19|20)?\d{6}[-+]?\d{4}\b/);
    const { pupils, teachers } = demoNames();
    expect(pupils.length).toBeGreaterThan(100);
    for (const name of [...pupils, ...teachers]) expect(html.includes(name), name).toBe(false);
  });

  it('shows no figure for a hidden group: Tallmyrens skola (too small) is ".." (or "–", no pupils) in every table, says why, and is absent from every chart', async () => {
    const rows = await opened.page.$$eval('tbody tr', (trs: El[]) =>
      trs.map((tr: El) => Array.from(tr.querySelectorAll('th, td')).map((cell) => (cell.textContent ?? '').trim())),
    );
    const tallmyren = rows.filter((cells) => cells[0] === 'Tallmyrens skola');
    expect(tallmyren.length).toBeGreaterThan(3);
    for (const cells of tallmyren) {
      const [note, ...figures] = cells.slice(1).reverse();
      for (const cell of figures) expect(['..', '–', ''], cells.join(' | ')).toContain(cell);
      // The last column says why: too few pupils (in a trend table with the years it covers).
      expect(note, cells.join(' | ')).toMatch(/^(?:för få elever(?: \((?:alla läsår|[\d/, ]+)\))?|)$/);
    }
    expect(tallmyren.some((cells) => cells[cells.length - 1]?.startsWith('för få elever'))).toBe(true);
    const svgText = await opened.page.$$eval('svg', (svgs: El[]) => svgs.map((svg: El) => svg.textContent ?? '').join('\n'));
    expect(svgText).not.toContain('Tallmyren');
  });

  it('ends with the row accounting and the run manifest', async () => {
    const appendix = (await opened.page.locator('#redovisning').textContent()) ?? '';
    expect(appendix).toMatch(/Alla 30\s477 lästa rader/);
    expect(appendix).toMatch(/[0-9a-f]{64}/);
    expect(appendix).toContain('betyg_ak6_ak9.csv');
  });

  it('shows the published figures beside ours, with Skolverket named as their source', async () => {
    const section = (await opened.page.locator('#referens').textContent()) ?? '';
    expect(section).toContain('Jämfört med referens: Stockholm (2023/24)');
    expect(section).toContain('procentenheter');
    expect(section).not.toMatch(/\bpp\b/);
    const footer = (await opened.page.locator('footer').textContent()) ?? '';
    expect(footer).toContain('Källa: Skolverket. Egen bearbetning av data från Skolverket');
  });

  it('prints to A4 (print styles: a page per part), written as a PDF for review', async () => {
    await opened.page.emulateMedia({ media: 'print' });
    const nav = await opened.page.locator('nav').isVisible();
    expect(nav).toBe(false);
    const pdf = await opened.page.pdf({ format: 'A4', printBackground: true });
    await opened.page.emulateMedia({ media: 'screen' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    // Summary, five main parts and the appendix each start a page; the tables run over several.
    expect(pages).toBeGreaterThanOrEqual(7);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'report.pdf'), pdf);
  });

  it('writes a screenshot for review (the first screens; the whole report is in the PDF)', async () => {
    const path = await saveScreenshot(opened.page, 'report', { maxHeight: 6000 });
    expect(readFileSync(path).length).toBeGreaterThan(10_000);
  });
});
