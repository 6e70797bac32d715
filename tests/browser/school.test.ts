/**
 * A school's analysis sheet (report --per-school, the same file as report --school) opened in a
 * real browser (Chromium): it draws, it makes no request, it shows no pupil id, no name and no
 * figure of a group the board report hides (its cases to follow up, --list-cases, have masked ids
 * only), it has room to write in under each of the cycle's questions, and it fits a phone and an
 * A4 page with each heading kept with what follows it.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../cli/run.js';
import { PERSONNUMMER, demoNames, overflow } from './checks.js';
import { SCREENSHOT_DIR, openHtml, saveScreenshot, type OpenedPage } from './chromium.js';

interface El {
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
  querySelectorAll(selector: string): ArrayLike<El>;
}

interface GapRow {
  school_year: string;
  grade_level: number;
  subject: string;
  level: string;
  school: string | null;
  suppressed: boolean;
}

const SCHOOL = 'Solåsens skola';
const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
const SUBJECTS: Readonly<Record<string, string>> = { SV: 'Svenska', SVA: 'Svenska som andraspråk', EN: 'Engelska', MA: 'Matematik', BI: 'Biologi', FY: 'Fysik', KE: 'Kemi', GE: 'Geografi', HI: 'Historia', RE: 'Religionskunskap', SH: 'Samhällskunskap' };

const dir = mkdtempSync(join(tmpdir(), 'ska-school-'));
const sheets = join(dir, 'underlag');
const file = join(sheets, 'solasens-skola.html');
let html = '';

describe('report --per-school: one school\'s sheet in a real browser (Chromium)', () => {
  let opened: OpenedPage;
  let hidden: GapRow[];

  beforeAll(async () => {
    const made = await runIn(['report', ...DEMO, '--reference', 'fixtures/skolverket/np-ak9-2024-kommun.csv', '--reference-unit', 'Stockholm', '--per-school', sheets, '--list-cases', '--quiet']);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(readdirSync(sheets)).toHaveLength(9);
    html = readFileSync(file, 'utf8');
    const gap = JSON.parse((await runIn(['gap', ...DEMO, '--format', 'json', '-q'])).stdout) as { rows: GapRow[] };
    hidden = gap.rows.filter((r) => r.school_year === '2024/25' && r.level === 'school' && r.school === SCHOOL && r.suppressed);
    opened = await openHtml(file, { viewport: { width: 1100, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline with no console errors, page errors or requests, and holds no script', () => {
    const report = opened.report();
    expect(report.pageErrors).toEqual([]);
    expect(report.console).toEqual([]);
    expect(report.requests).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\((?!#)/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('is the school\'s sheet: its title, the sections in order, and charts with marks', async () => {
    expect(await opened.page.locator('h1').textContent()).toBe(`Analysunderlag: ${SCHOOL}`);
    const headings = await opened.page.locator('h2').allTextContents();
    expect(headings[0]).toBe('Det viktigaste');
    const order = ['Betyg jämfört med nationella prov, 2024/25', 'Jämfört med referens', 'Över läsåren', 'Från åk 5 till åk 6', 'Elever att följa upp', 'Skolans analys', 'Bilaga: vad som lästes'];
    const at = order.map((start) => headings.findIndex((h) => h.startsWith(start)));
    expect(at.every((index) => index > 0), headings.join(' | ')).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const charts = await opened.page.$$eval('svg[data-chart]', (svgs: El[]) =>
      svgs.map((svg: El) => ({ kind: svg.getAttribute('data-chart'), width: svg.getBoundingClientRect().width, marks: svg.querySelectorAll('.bar, .dot, .point, .line').length })),
    );
    expect([...new Set(charts.map((c) => c.kind))].sort()).toEqual(['dumbbell', 'share-bars', 'trend']);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(300);
      expect(chart.marks).toBeGreaterThan(0);
    }
    // The planted pattern: Solåsen grades higher than the rest of the municipality.
    const findings = (await opened.page.locator('ol.findings').textContent()) ?? '';
    expect(findings).toMatch(/skolan sätter högre betyg än resten av kommunen vid samma provbetyg/);
  });

  it('shows no personnummer and no pupil or teacher name, also in the cases to follow up (masked ids, not for publication)', async () => {
    const text = (await opened.page.locator('body').textContent()) ?? '';
    expect(text).toContain('Får inte publiceras.');
    const ids = await opened.page.$$eval('#uppfoljning tbody tr th', (ths: El[]) => ths.map((th: El) => (th.textContent ?? '').trim()));
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(id).toMatch(/^elev-\d{4}$/);
    expect(text).not.toMatch(PERSONNUMMER);
    expect(html).not.toMatch(PERSONNUMMER);
    const { pupils, teachers } = demoNames();
    expect(pupils.length).toBeGreaterThan(100);
    for (const name of [...pupils, ...teachers]) expect(html.includes(name), name).toBe(false);
  });

  it('shows no figure of a group the board report hides: ".." with the reason in its row, and absent from every chart', async () => {
    expect(hidden.length).toBeGreaterThan(0);
    const rows = await opened.page.$$eval('#betyg-prov tbody tr', (trs: El[]) => trs.map((tr: El) => Array.from(tr.querySelectorAll('th, td')).map((cell) => (cell.textContent ?? '').trim())));
    const svgText = await opened.page.$$eval('svg', (svgs: El[]) => svgs.map((svg: El) => svg.textContent ?? '').join('\n'));
    for (const group of hidden) {
      const label = `${SUBJECTS[group.subject]}: ${SCHOOL}`;
      const row = rows.find((cells) => cells[0] === label && rows.indexOf(cells) >= 0);
      expect(row, label).toBeDefined();
      const [note, ...figures] = row!.slice(1).reverse();
      for (const cell of figures) expect(cell, row!.join(' | ')).toBe('..');
      expect(note).toMatch(/^(?:för få elever|dold för att skydda en liten grupp)$/);
      expect(svgText).not.toContain(label);
    }
    // The rest of the municipality beside a hidden school would be the total minus it: hidden too.
    const afterHidden = rows.findIndex((cells) => cells[0] === `${SUBJECTS[hidden[0]!.subject]}: ${SCHOOL}`);
    expect(rows[afterHidden + 1]?.[0]).toBe('Resten av kommunen');
    expect(rows[afterHidden + 1]?.slice(1, 5)).toEqual(['..', '..', '..', '..']);
  });

  it('has the cycle\'s four questions, each with empty lines to write on', async () => {
    const questions = await opened.page.locator('#analys h3').allTextContents();
    expect(questions).toEqual(['Vad ser vi?', 'Varför blir det så när vi gör som vi gör?', 'Vad ska vi förändra?', 'Hur ska vi veta att det blir bättre?']);
    const boxes = await opened.page.$$eval('#analys .write', (els: El[]) => els.map((el: El) => ({ height: el.getBoundingClientRect().height, lines: el.querySelectorAll('.line').length, text: (el.textContent ?? '').trim() })));
    expect(boxes).toHaveLength(4);
    for (const box of boxes) {
      expect(box.lines).toBeGreaterThanOrEqual(6);
      expect(box.height).toBeGreaterThan(150);
      expect(box.text).toBe('');
    }
  });

  it('fits a phone (375 px): no sideways scrolling, nothing wider than its box', async () => {
    await opened.page.setViewportSize({ width: 375, height: 800 });
    try {
      const { page, wide } = await overflow(opened);
      expect(wide).toEqual([]);
      expect(page.scroll).toBeLessThanOrEqual(page.client);
      await saveScreenshot(opened.page, 'school-375', { maxHeight: 4000 });
    } finally {
      await opened.page.setViewportSize({ width: 1100, height: 900 });
    }
  });

  it('prints on A4: nothing wider than the page, each main part on a new page, written as a PDF for review', async () => {
    await opened.page.setViewportSize({ width: 688, height: 1000 });
    await opened.page.emulateMedia({ media: 'print' });
    try {
      const { page, wide } = await overflow(opened);
      expect(wide).toEqual([]);
      expect(page.scroll).toBeLessThanOrEqual(page.client);
      // Headings stay with what follows: no page break after a heading, and a heading with its
      // first chart, short table or writing box is kept on one page (a long table may break, after its heading).
      const headings = await opened.page.$$eval('h2, h3', (els: El[]) =>
        els.map((el) => {
          const h = el as unknown as { tagName: string; parentElement: { className: string } | null; nextElementSibling: { tagName: string; className: string } | null };
          const style = (globalThis as unknown as { getComputedStyle(e: unknown): { breakAfter: string; breakInside: string } }).getComputedStyle;
          const parent = h.parentElement;
          return {
            text: el.textContent ?? '',
            tag: h.tagName,
            after: style(el).breakAfter,
            kept: parent !== null && parent.className === 'part' ? style(parent).breakInside : null,
            next: h.nextElementSibling ? `${h.nextElementSibling.tagName.toLowerCase()}.${h.nextElementSibling.className}` : null,
          };
        }),
      );
      expect(headings.length).toBeGreaterThan(10);
      for (const h of headings) {
        expect(h.after, h.text).toBe('avoid');
        expect(h.next, h.text).not.toBeNull();
        if (h.tag === 'H3') expect(h.kept ?? (h.next?.startsWith('table') ? 'long table' : null), h.text).toMatch(/^(?:avoid|long table)$/);
      }
      // Each question is kept with its writing box.
      const questions = await opened.page.$$eval('#analys h3', (els: El[]) =>
        els.map((el) => {
          const style = (globalThis as unknown as { getComputedStyle(e: unknown): { breakInside: string } }).getComputedStyle;
          const parent = (el as unknown as { parentElement: { className: string; querySelector(s: string): unknown } }).parentElement;
          return { part: parent.className, kept: style(parent).breakInside, box: parent.querySelector('.write-part .write') !== null };
        }),
      );
      expect(questions).toEqual(Array.from({ length: 4 }, () => ({ part: 'part', kept: 'avoid', box: true })));
      const pdf = await opened.page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      // The summary, five main parts, the questions and the appendix each start a page.
      expect(pages).toBeGreaterThanOrEqual(7);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(join(SCREENSHOT_DIR, 'school.pdf'), pdf);
    } finally {
      await opened.page.emulateMedia({ media: 'screen' });
      await opened.page.setViewportSize({ width: 1100, height: 900 });
    }
    const path = await saveScreenshot(opened.page, 'school', { maxHeight: 6000 });
    expect(readFileSync(path).length).toBeGreaterThan(10_000);
  });
});
