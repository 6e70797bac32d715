import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumbbell, escapeXml, funnelPlot, shareBars, trendLines, type FunnelPoint } from '../../src/render/charts.js';
import { openHtmlString, saveScreenshot, type OpenedPage } from './chromium.js';

/** The little of the DOM the page functions use (the project compiles without the DOM library). */
interface El {
  tagName: string;
  textContent: string | null;
  firstChild: { textContent: string | null } | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number; width: number; height: number };
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
}

const EVIL = '<script>alert(1)</script> & "x"';

const shares = [
  { label: 'Solåsens skola', higher: 0.31, same: 0.55, lower: 0.14, n: 312 },
  { label: 'Hagalunds skola', higher: 0.08, same: 0.6, lower: 0.32, n: 1204 },
  { label: EVIL, higher: 0.5, same: 0.5, lower: 0, n: 41 },
  { label: 'Björkbackens skola med ett mycket långt namn som inte får plats på en rad i diagrammet alls', higher: 0.02, same: 0.9, lower: 0.08, n: 88 },
];

const areas = [
  { label: 'Norra', from: 0.71, to: 0.86, n: 410, verdict: 'strict' as const },
  { label: 'Södra', from: 0.93, to: 0.81, n: 388, verdict: 'generous' as const },
  { label: 'Västra', from: 0.84, to: 0.86, n: 205, verdict: 'in_line' as const },
  { label: 'Östra', from: 0.03, to: 0.99, n: 12 },
];

// Three schools close together far out, so their names must be moved apart.
const funnelPoints: FunnelPoint[] = [
  { label: 'Solåsens skola', n: 55, z: 3.6 },
  { label: 'Hagalunds skola', n: 50, z: -3.3 },
  { label: EVIL, n: 60, z: 3.5 },
  { label: 'Björkängsskolan (svenska som andraspråk)', n: 58, z: 3.4 },
  { label: 'Ekbackens skola', n: 120, z: 2.1 },
  { label: 'Granbergs skola', n: 140, z: -2 },
  ...Array.from({ length: 10 }, (_, i) => ({ label: `Skola ${i + 1}`, n: 20 + i * 25, z: ((i % 5) - 2) * 0.6 })),
];

const trend = [
  { label: 'Matematik', points: [{ x: '2020/21', y: 0.81 }, { x: '2021/22', y: 0.84 }, { x: '2022/23', y: null }, { x: '2023/24', y: 0.79 }, { x: '2024/25', y: 0.83 }] },
  { label: 'Svenska', points: [{ x: '2020/21', y: 0.9 }, { x: '2021/22', y: 0.91 }, { x: '2022/23', y: 0.89 }, { x: '2023/24', y: 0.92 }, { x: '2024/25', y: 0.9 }] },
  { label: 'Engelska', points: [{ x: '2020/21', y: null }, { x: '2021/22', y: 0.88 }, { x: '2022/23', y: 0.9 }, { x: '2023/24', y: 0.87 }, { x: '2024/25', y: null }] },
  { label: EVIL, points: [{ x: '2020/21', y: 0.62 }, { x: '2021/22', y: 0.66 }, { x: '2022/23', y: 0.7 }, { x: '2023/24', y: 0.68 }, { x: '2024/25', y: 0.72 }] },
];

const charts = [
  shareBars(shares, { id: 'andelar', title: 'Betyg jämfört med provbetyg per skola', desc: 'Andel elever vars betyg är högre, lika eller lägre än provbetyget.', lang: 'sv' }),
  dumbbell(areas, { id: 'overgang', title: 'Godkända åk 5 och åk 6', desc: 'Andel godkända i åk 5 (bedömning) och åk 6 (nationellt prov) per område.', lang: 'sv', fromLabel: 'Åk 5, lärarens bedömning', toLabel: 'Åk 6, nationellt prov' }),
  funnelPlot(funnelPoints, { id: 'tratt', title: 'Trattdiagram', desc: 'Standardiserad skillnad mot gruppstorlek.', lang: 'sv', xLabel: 'Antal elever med både betyg och provbetyg', yLabel: 'Standardiserad skillnad (betygspoäng)' }),
  trendLines(trend, { id: 'trend', title: 'Andel godkända över tid', desc: 'Andel godkända per ämne och läsår.', lang: 'sv', yLabel: 'Andel med minst E', yFormat: 'share' }),
  shareBars([], { id: 'tom', title: 'Tomt', desc: 'Inga grupper.', lang: 'sv' }),
];

const html = `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>${escapeXml('Diagram – test')}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 24px; max-width: 760px; color: #222; }
  figure { margin: 0 0 32px; }
  @media print { figure { break-inside: avoid; } }
</style>
</head>
<body>
<h1>Diagram</h1>
${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}
</body>
</html>
`;

describe('charts in a real browser (Chromium)', () => {
  let opened: OpenedPage;

  beforeAll(async () => {
    opened = await openHtmlString(html);
  }, 30_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('renders without console errors, page errors or network requests', async () => {
    await opened.page.waitForLoadState('load');
    const report = opened.report();
    expect(report.pageErrors).toEqual([]);
    expect(report.console).toEqual([]);
    expect(report.requests).toEqual([]);
  });

  it('gives every chart a visible size and an accessible name from its own title and desc', async () => {
    const boxes = await opened.page.$$eval('svg[data-chart]', (svgs: El[]) =>
      svgs.map((svg: El) => {
        const rect = svg.getBoundingClientRect();
        const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
        return {
          kind: svg.getAttribute('data-chart'),
          width: rect.width,
          height: rect.height,
          role: svg.getAttribute('role'),
          labelled: ids.map((id: string) => svg.querySelector(`#${id}`)?.tagName ?? null),
        };
      }),
    );
    expect(boxes.map((b) => b.kind)).toEqual(['share-bars', 'dumbbell', 'funnel', 'trend', 'share-bars']);
    for (const box of boxes) {
      expect(box.width).toBeGreaterThan(100);
      expect(box.height).toBeGreaterThan(20);
      expect(box.role).toBe('img');
      expect(box.labelled).toEqual(['title', 'desc']);
    }
  });

  it('draws the expected number of marks', async () => {
    const count = (selector: string) => opened.page.locator(selector).count();
    // 4 rows × 3 segments, minus the zero "lower" share of the third row.
    expect(await count('svg[data-chart="share-bars"] rect.bar')).toBe(11);
    expect(await count('svg[data-chart="share-bars"] rect.bar.higher')).toBe(4);
    expect(await count('svg[data-chart="dumbbell"] circle.dot.from')).toBe(4);
    expect(await count('svg[data-chart="dumbbell"] circle.dot.to')).toBe(4);
    expect(await count('svg[data-chart="dumbbell"] line.link')).toBe(4);
    expect(await count('svg[data-chart="funnel"] circle.point')).toBe(funnelPoints.length);
    expect(await count('svg[data-chart="funnel"] circle.point.above-998')).toBe(3);
    expect(await count('svg[data-chart="funnel"] text.point-label')).toBe(6);
    expect(await count('svg[data-chart="funnel"] g.limits line.limit-95')).toBe(2);
    expect(await count('svg[data-chart="funnel"] g.limits line.limit-998')).toBe(2);
    // 20 values given, 3 of them null.
    expect(await count('svg[data-chart="trend"] circle.point')).toBe(17);
    expect(await count('svg[data-chart="trend"] text.value')).toBe(17);
    // Matematik breaks at 2022/23 (2 runs), Svenska 1, Engelska 1, the fourth 1.
    expect(await count('svg[data-chart="trend"] polyline.line')).toBe(5);
    expect(await opened.page.locator('svg[data-empty="true"]').textContent()).toContain('Inga grupper att visa');
  });

  it('shows a hostile school name as text, never as markup', async () => {
    expect(await opened.page.locator('script').count()).toBe(0);
    const labels = await opened.page.locator('svg[data-chart="share-bars"] text.row-label').allTextContents();
    expect(labels).toContain(`${EVIL} (n = 41)`);
  });

  it('keeps every text inside its chart (nothing clipped at the edges)', async () => {
    const outside = await opened.page.$$eval('svg[data-chart]', (svgs: El[]) =>
      svgs.flatMap((svg: El) => {
        const box = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll('text'))
          .map((text: El) => ({ text: text.firstChild?.textContent ?? '', r: text.getBoundingClientRect() }))
          .filter(({ r }) => r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
          .map(({ text }) => `${svg.getAttribute('data-chart')}: ${text}`);
      }),
    );
    expect(outside).toEqual([]);
  });

  it('sets each funnel name by its own dot (or joined to it by a line), no two names overlapping, as drawn', async () => {
    const drawn = await opened.page.$$eval('svg[data-chart="funnel"]', (svgs: El[]) =>
      svgs.flatMap((svg: El) => {
        const rect = (el: El) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        };
        return Array.from(svg.querySelectorAll('text.point-label')).map((label: El) => {
          const index = label.getAttribute('data-point');
          const dot = svg.querySelector(`circle.point[data-point="${index}"]`);
          const leader = svg.querySelector(`line.leader[data-point="${index}"]`);
          return { index, label: rect(label), dot: dot ? rect(dot) : null, leader: leader ? rect(leader) : null };
        });
      }),
    );
    expect(drawn).toHaveLength(6);
    for (const [k, a] of drawn.entries()) {
      for (const b of drawn.slice(k + 1)) {
        const apart = a.label.right <= b.label.left || b.label.right <= a.label.left || a.label.bottom <= b.label.top || b.label.bottom <= a.label.top;
        expect(apart, `labels ${a.index} and ${b.index} overlap`).toBe(true);
      }
      expect(a.dot, `label ${a.index} has its dot`).not.toBeNull();
      const dot = a.dot!;
      const cy = (dot.top + dot.bottom) / 2;
      if (a.leader) {
        // The line spans from its dot to its name.
        expect(a.leader.left <= dot.right + 1 && a.leader.right >= dot.left - 1).toBe(true);
        expect(Math.min(Math.abs(a.leader.left - a.label.right), Math.abs(a.leader.right - a.label.left))).toBeLessThan(3);
      } else {
        const gap = Math.max(a.label.left - dot.right, dot.left - a.label.right);
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThan(8);
        expect(cy).toBeGreaterThan(a.label.top - 2);
        expect(cy).toBeLessThan(a.label.bottom + 2);
      }
    }
    expect(drawn.some((d) => d.leader !== null)).toBe(true);
  });

  it('saves a screenshot', async () => {
    const path = await saveScreenshot(opened.page, 'charts');
    expect(path).toMatch(/test-results\/screenshots\/charts\.png$/);
  });
});
