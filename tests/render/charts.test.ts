import { describe, expect, it } from 'vitest';
import {
  dumbbell,
  DUMBBELL_LAYOUT,
  escapeXml,
  fitText,
  funnelPlot,
  niceTicks,
  placeLabels,
  shareBars,
  SHARE_BARS_LAYOUT,
  textWidth,
  trendLines,
  type FunnelPoint,
  type LabelBox,
  type ShareRow,
  type TrendSeries,
} from '../../src/render/charts.js';

const EVIL = '<script>alert(1)</script> & "x"';
const EVIL_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;';
const base = { title: 'Titel', desc: 'Beskrivning', lang: 'sv' as const };

/** Number of elements whose class attribute is exactly `cls`. */
function count(svg: string, tag: string, cls: string): number {
  return svg.split(`<${tag} class="${cls}"`).length - 1;
}

/** Attributes x and width of the bar segments, in order. */
function segments(svg: string): { cls: string; x: number; width: number }[] {
  return [...svg.matchAll(/<rect class="bar (\w+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({ cls: m[1]!, x: Number(m[2]), width: Number(m[3]) }));
}

const points: FunnelPoint[] = [
  { label: 'Solåsens skola', n: 55, z: 3.6 },
  { label: 'Hagalunds skola', n: 50, z: -3.3 },
  { label: 'Ekbackens skola', n: 120, z: 2.1, detail: 'Std-diff +0,4 betygspoäng' },
  { label: 'Granbergs skola', n: 140, z: -2 },
  { label: 'Skola 1', n: 30, z: 0.5 },
  { label: 'Skola 2', n: 200, z: -1.9 },
];
const funnelOpts = { ...base, id: 'tratt', xLabel: 'Antal elever', yLabel: 'Standardiserad skillnad' };

const series: TrendSeries[] = [
  { label: 'Matematik', points: [{ x: '2021/22', y: 0.81 }, { x: '2022/23', y: null }, { x: '2023/24', y: 0.79 }, { x: '2024/25', y: 0.83 }] },
  { label: 'Svenska', points: [{ x: '2021/22', y: 0.9 }, { x: '2022/23', y: 0.12345 }, { x: '2023/24', y: Number.NaN }, { x: '2024/25', y: 0.9 }] },
];
const trendOpts = { ...base, id: 'trend', yLabel: 'Andel godkända', yFormat: 'share' as const };

describe('escapeXml', () => {
  it('escapes markup characters and drops characters XML forbids', () => {
    expect(escapeXml(EVIL)).toBe(EVIL_ESCAPED);
    expect(escapeXml("O'Brien\u0000\u0007 skola")).toBe('O&apos;Brien skola');
    expect(escapeXml('a\uD800b')).toBe('a\uFFFDb');
    expect(escapeXml('Åkerö skola – åk 6')).toBe('Åkerö skola – åk 6');
  });
});

describe('every chart', () => {
  const charts = {
    'share-bars': shareBars([{ label: EVIL, higher: 0.3, same: 0.5, lower: 0.2, n: 40 }], { ...base, id: 'a', title: EVIL, desc: EVIL }),
    dumbbell: dumbbell([{ label: EVIL, from: 0.7, to: 0.8, n: 40, verdict: 'strict' }], { ...base, id: 'b', title: EVIL, desc: EVIL, fromLabel: EVIL, toLabel: EVIL }),
    funnel: funnelPlot([{ label: EVIL, n: 40, z: 3.5 }], { ...funnelOpts, id: 'c', title: EVIL, desc: EVIL, xLabel: EVIL, yLabel: EVIL }),
    trend: trendLines([{ label: EVIL, points: [{ x: EVIL, y: 0.5 }, { x: '2024/25', y: 0.6 }] }], { ...trendOpts, id: 'd', title: EVIL, desc: EVIL, yLabel: EVIL }),
  };

  it('shows a hostile school name only escaped', () => {
    for (const [kind, svg] of Object.entries(charts)) {
      expect(svg, kind).not.toContain('<script');
      expect(svg, kind).not.toContain('"x"');
      expect(svg, kind).toContain(EVIL_ESCAPED);
      // Every "<" opens an element: svg, title, desc, defs, … — never text.
      expect([...svg.matchAll(/<\/?([a-zA-Z]+)/g)].every((m) => /^(svg|title|desc|defs|pattern|clipPath|rect|line|polyline|circle|text|g)$/.test(m[1]!)), kind).toBe(true);
    }
  });

  it('is an accessible, self-contained svg with its kind and unique ids', () => {
    for (const [kind, svg] of Object.entries(charts)) {
      const id = svg.match(/<title id="([^"]+)-title">/)![1]!;
      expect(svg).toMatch(new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 [\\d.]+"`));
      expect(svg).toContain(`role="img" aria-labelledby="${id}-title ${id}-desc" data-chart="${kind}"`);
      expect(svg).toContain(`<desc id="${id}-desc">`);
      expect(svg).toContain('font-family="system-ui, sans-serif"');
      expect(svg.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:|href=|<script|<style|@import|NaN|undefined|null|Infinity/);
      expect(svg.endsWith('</svg>')).toBe(true);
    }
    expect(shareBars([], { ...base, id: '1 bad id' })).toContain('aria-labelledby="c-1-bad-id-title c-1-bad-id-desc"');
  });

  it('is deterministic', () => {
    const rows: ShareRow[] = [{ label: 'A', higher: 0.3, same: 0.5, lower: 0.2, n: 40 }];
    expect(shareBars(rows, { ...base, id: 'x' })).toBe(shareBars(structuredClone(rows), { ...base, id: 'x' }));
    expect(funnelPlot(points, funnelOpts)).toBe(funnelPlot(structuredClone(points), funnelOpts));
    expect(trendLines(series, trendOpts)).toBe(trendLines(structuredClone(series), trendOpts));
    expect(dumbbell([{ label: 'N', from: 0.7, to: 0.8, n: 9 }], { ...base, id: 'd', fromLabel: 'f', toLabel: 't' })).toBe(
      dumbbell([{ label: 'N', from: 0.7, to: 0.8, n: 9 }], { ...base, id: 'd', fromLabel: 'f', toLabel: 't' }),
    );
  });

  it('says "Inga grupper att visa" when there is nothing to draw', () => {
    const empty = [
      shareBars([], { ...base, id: 'e1' }),
      shareBars([{ label: 'A', higher: Number.NaN, same: 0.5, lower: 0.5, n: 10 }], { ...base, id: 'e2' }),
      dumbbell([{ label: 'A', from: Number.NaN, to: Number.NaN, n: 10 }], { ...base, id: 'e3', fromLabel: 'f', toLabel: 't' }),
      funnelPlot([], { ...funnelOpts, id: 'e4' }),
      trendLines([{ label: 'A', points: [{ x: '2024/25', y: null }] }], { ...trendOpts, id: 'e5' }),
    ];
    for (const svg of empty) {
      expect(svg).toContain('data-empty="true"');
      expect(svg).toContain('>Inga grupper att visa</text>');
      expect(svg).not.toContain('>A');
    }
    expect(trendLines([], { ...trendOpts, id: 'e6', lang: 'en' })).toContain('>No groups to show</text>');
  });
});

describe('shareBars', () => {
  const opts = { ...base, id: 'andelar' };

  it('draws segments proportional to the shares on a 700 px bar', () => {
    expect(SHARE_BARS_LAYOUT).toMatchObject({ x0: 10, width: 700 });
    const svg = shareBars(
      [
        { label: 'A', higher: 0.25, same: 0.5, lower: 0.25, n: 40 },
        { label: 'B', higher: 0.2, same: 0.3, lower: 0.5, n: 10 },
        // Shares that do not add up to 1 are taken relative to their sum: 1 : 1 : 2.
        { label: 'C', higher: 1, same: 1, lower: 2, n: 10 },
      ],
      opts,
    );
    expect(segments(svg)).toEqual([
      { cls: 'higher', x: 10, width: 175 },
      { cls: 'same', x: 185, width: 350 },
      { cls: 'lower', x: 535, width: 175 },
      { cls: 'higher', x: 10, width: 140 },
      { cls: 'same', x: 150, width: 210 },
      { cls: 'lower', x: 360, width: 350 },
      { cls: 'higher', x: 10, width: 175 },
      { cls: 'same', x: 185, width: 175 },
      { cls: 'lower', x: 360, width: 350 },
    ]);
  });

  it('labels rows with n and segments with Swedish percentages when they fit', () => {
    const svg = shareBars(
      [
        { label: 'Solåsens skola', higher: 1 / 3, same: 0.64, lower: 0.02667, n: 312 },
        { label: 'Hagalunds skola', higher: 0.125, same: 0.875, lower: 0, n: 1204 },
      ],
      opts,
    );
    expect(svg).toContain('>Solåsens skola (n = 312)</text>');
    expect(svg).toContain('>Hagalunds skola (n = 1\u00a0204)</text>');
    expect(svg).toContain('>33 %</text>');
    expect(svg).toContain('>64 %</text>');
    expect(svg).toContain('>13 %</text>');
    // 2,7 % of 700 px = 18,7 px: too narrow for "3 %", which is written, named, at the right end of the row's label line.
    expect(svg).not.toMatch(/<text class="value lower"[^>]*>3 %<\/text>/);
    expect(svg).toMatch(/<text class="value outside" x="710" y="[\d.]+" text-anchor="end" fill="#222222">lägre 3 %<\/text>/);
    expect(svg).toContain('<title>Betyget lägre än provbetyget: 3 %</title>');
    // Only the narrow one: Hagalunds skola's segments all carry their figures inside.
    expect(count(svg, 'text', 'value outside')).toBe(1);
    // A zero share draws no segment.
    expect(count(svg, 'rect', 'bar higher')).toBe(2);
    expect(count(svg, 'rect', 'bar lower')).toBe(1);
    // Legend swatches are not marks.
    expect(count(svg, 'rect', 'legend-swatch higher')).toBe(1);
    expect(svg).toContain('>Betyget högre än provbetyget</text>');
    expect(shareBars([{ label: 'A', higher: 0.125, same: 0.875, lower: 0, n: 5 }], { ...opts, decimals: 1 })).toContain('>12,5 %</text>');
  });

  it('gives every segment its figure: inside when it fits, else beside the name, and the name makes room', () => {
    const long = 'Björkbackens skola med ett mycket långt namn som inte får plats på en rad i diagrammet alls, inte ens på en bred skärm';
    const svg = shareBars([{ label: long, higher: 0.01, same: 0.97, lower: 0.02, n: 300 }], opts);
    const outside = /<text class="value outside"[^>]*>([^<]+)<\/text>/.exec(svg)?.[1];
    expect(outside).toBe('högre 1 % · lägre 2 %');
    expect(svg).toContain('>97 %</text>');
    const name = /<text class="row-label"[^>]*>([^<]*)<title>/.exec(svg)?.[1] ?? '';
    expect(name).toMatch(/… \(n = 300\)$/);
    // The name ends before the figures begin.
    expect(SHARE_BARS_LAYOUT.x0 + textWidth(name, 13, true)).toBeLessThan(SHARE_BARS_LAYOUT.x0 + SHARE_BARS_LAYOUT.width - textWidth(outside!, 12));
  });

  it('shortens a long name but always shows n', () => {
    const long = 'Björkbackens skola med ett mycket långt namn som inte får plats på en rad i diagrammet alls';
    const svg = shareBars([{ label: long.repeat(2), higher: 0.3, same: 0.4, lower: 0.3, n: 88 }], opts);
    expect(svg).toMatch(/>Björkbackens skola[^<]*… \(n = 88\)<title>/);
    expect(svg).toContain(`<title>${long.repeat(2)} (n = 88)</title>`);
  });
});

describe('dumbbell', () => {
  const opts = { ...base, id: 'overgang', fromLabel: 'Åk 5, bedömning', toLabel: 'Åk 6, prov' };

  it('draws two dots, a link and the difference from − to in procentenheter with the verdict', () => {
    const svg = dumbbell(
      [
        { label: 'Norra', from: 0.71, to: 0.86, n: 410, verdict: 'strict' },
        { label: 'Södra', from: 0.93, to: 0.81, n: 388, verdict: 'generous' },
        { label: 'Västra', from: 0.84, to: 0.86, n: 205, verdict: 'in_line' },
        { label: 'Östra', from: 0.5, to: 0.5, n: 12 },
      ],
      opts,
    );
    expect(count(svg, 'circle', 'dot from')).toBe(4);
    expect(count(svg, 'circle', 'dot to')).toBe(4);
    expect(count(svg, 'line', 'link')).toBe(4);
    expect(svg).toContain('>−15 procentenheter · sträng</text>');
    expect(svg).toContain('>+12 procentenheter · generös</text>');
    expect(svg).toContain('>−2 procentenheter · i linje</text>');
    expect(svg).toContain('>0 procentenheter</text>');
    // One is singular: "+1 procentenhet".
    expect(dumbbell([{ label: 'A', from: 0.51, to: 0.5, n: 40 }], opts)).toContain('>+1 procentenhet</text>');
    expect(dumbbell([{ label: 'A', from: 0.5, to: 0.51, n: 40 }], { ...opts, decimals: 1 })).toContain('>−1,0 procentenheter</text>');
    expect(svg).toContain('>Norra (n = 410)</text>');
    expect(svg).toContain('>71 %</text>');
    // x = 64 + share · 592.
    expect(DUMBBELL_LAYOUT).toMatchObject({ x0: 64, width: 592 });
    expect(svg).toContain('<circle class="dot from" cx="484.3"');
    expect(svg).toContain('<circle class="dot to" cx="573.1"');
    expect(svg).toContain('>Åk 5, bedömning</text>');
    expect(svg).toContain('>100 %</text>');
  });

  it('draws only the dot it has and no difference when one share is missing', () => {
    const svg = dumbbell([{ label: 'Norra', from: Number.NaN, to: 0.4, n: Number.NaN, verdict: 'strict' }], { ...opts, decimals: 1 });
    expect(count(svg, 'circle', 'dot from')).toBe(0);
    expect(count(svg, 'circle', 'dot to')).toBe(1);
    expect(count(svg, 'line', 'link')).toBe(0);
    expect(svg).not.toContain('procentenheter');
    expect(svg).toContain('>Norra</text>');
    expect(svg).toContain('>40,0 %</text>');
  });

  it('uses English words with lang en', () => {
    const svg = dumbbell([{ label: 'North', from: 0.6, to: 0.655, n: 10, verdict: 'strict' }], { ...opts, lang: 'en', decimals: 1 });
    expect(svg).toContain('>-5.5 percentage points · strict</text>');
  });
});

/** The funnel's marks: each point's class, y and index; the y of each limit line. */
function funnelGeometry(svg: string) {
  const dots = [...svg.matchAll(/<circle class="point ([\w-]+)" data-point="(\d+)" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"/g)].map((m) => ({ cls: m[1]!, index: Number(m[2]), cx: Number(m[3]), cy: Number(m[4]), r: Number(m[5]) }));
  const line = (cls: string) => Number(new RegExp(`<line class="${cls}" x1="[\\d.]+" y1="([\\d.]+)"`).exec(svg)![1]);
  return { dots, upper998: line('limit-998 upper'), upper95: line('limit-95 upper'), lower95: line('limit-95 lower'), lower998: line('limit-998 lower'), zero: line('zero') };
}

describe('funnelPlot', () => {
  it('draws one circle per point, the fixed lines at ±1,96 and ±3,09 with their labels, and names the points outside 95 %', () => {
    const svg = funnelPlot([...points, { label: 'Trasig', n: Number.NaN, z: 1 }, { label: 'Trasig 2', n: 10, z: Number.NaN }], funnelOpts);
    expect(svg.match(/<circle class="point /g)).toHaveLength(6);
    expect(count(svg, 'circle', 'point above-998')).toBe(1);
    expect(count(svg, 'circle', 'point below-998')).toBe(1);
    expect(count(svg, 'circle', 'point above-95')).toBe(1);
    expect(count(svg, 'circle', 'point below-95')).toBe(1);
    expect(count(svg, 'circle', 'point within')).toBe(2);
    for (const cls of ['limit-95 upper', 'limit-95 lower', 'limit-998 upper', 'limit-998 lower']) expect(count(svg, 'line', cls)).toBe(1);
    expect(svg).toMatch(/<line class="limit-95 upper" x1="70" y1="[\d.]+" x2="700" y2="[\d.]+" stroke="#444444" stroke-width="1.5" stroke-dasharray="5 4"\/>/);
    expect(count(svg, 'line', 'zero')).toBe(1);
    // Each line says which limit it is, in the plot (greyscale: the dash pattern and the words).
    expect(svg.match(/<text class="limit-label limit-95"[^>]*>95 %<\/text>/g)).toHaveLength(2);
    expect(svg.match(/<text class="limit-label limit-998"[^>]*>99,8 %<\/text>/g)).toHaveLength(2);
    expect(svg).toContain('>95 %-gräns (z = ±1,96)</text>');
    expect(svg.match(/<text class="point-label /g)).toHaveLength(4);
    for (const name of ['Solåsens skola', 'Hagalunds skola', 'Ekbackens skola', 'Granbergs skola']) expect(svg).toContain(`>${name}</text>`);
    expect(svg).not.toContain('>Skola 1</text>');
    expect(svg).not.toContain('Trasig');
    expect(svg).toContain('<title>Ekbackens skola (n = 120): z = +2,1; Std-diff +0,4 betygspoäng</title>');
    // Swedish tick labels: signed, a real minus; n with a space for thousands.
    expect(svg).toContain('>+4</text>');
    expect(svg).toContain('>−4</text>');
    expect(svg).toContain('>150</text>');
  });

  it('puts every point in the band its marker shows: the lines are the limits each point was judged by', () => {
    // z just inside and just outside each limit, at sizes from 3 to 900 pupils.
    const zs = [-3.2, -3.1, -3.08, -2, -1.97, -1.95, 0, 1.95, 1.97, 2, 3.08, 3.1, 3.2, 5, -7, 12];
    const many: FunnelPoint[] = zs.map((z, i) => ({ label: `Skola ${i}`, n: 3 + i * 60, z }));
    const svg = funnelPlot(many, funnelOpts);
    const g = funnelGeometry(svg);
    expect(g.dots).toHaveLength(zs.length);
    for (const dot of g.dots) {
      const band = dot.cy < g.upper998 ? 'above-998' : dot.cy < g.upper95 ? 'above-95' : dot.cy > g.lower998 ? 'below-998' : dot.cy > g.lower95 ? 'below-95' : 'within';
      expect(dot.cls, `z = ${zs[dot.index]}`).toBe(band);
    }
    // z = 12 is beyond the ±10 scale: drawn at the edge, its tooltip says so.
    expect(svg).toContain('<title>Skola 15 (n = 903): z = +12,0 (utanför skalan)</title>');
  });

  it('places each name beside its own dot, or joined to it by a leader line, with no two names overlapping', () => {
    // A crowd: 14 flagged schools of about the same size and z, so names must be moved apart.
    const crowd: FunnelPoint[] = [
      ...Array.from({ length: 8 }, (_, i) => ({ label: `Högskolan nummer ${i + 1}`, n: 60 + (i % 3), z: 2.2 + i * 0.05 })),
      ...Array.from({ length: 6 }, (_, i) => ({ label: `Lågskolan ${i + 1}`, n: 118 + i, z: -3.3 - i * 0.04 })),
      ...Array.from({ length: 20 }, (_, i) => ({ label: `Skola ${i}`, n: 10 + i * 6, z: ((i % 7) - 3) * 0.5 })),
    ];
    const svg = funnelPlot(crowd, { ...funnelOpts, id: 'trangsel' });
    const g = funnelGeometry(svg);
    const labels = [...svg.matchAll(/<text class="point-label [\w-]+" data-point="(\d+)" x="([\d.]+)" y="([\d.]+)"(?: text-anchor="(end)")? font-size="11"[^>]*>([^<]*)<title>|<text class="point-label [\w-]+" data-point="(\d+)" x="([\d.]+)" y="([\d.]+)"(?: text-anchor="(end)")? font-size="11"[^>]*>([^<]*)<\/text>/g)].map((m) => {
      const [index, x, y, end, text] = m[1] !== undefined ? [m[1], m[2], m[3], m[4], m[5]] : [m[6], m[7], m[8], m[9], m[10]];
      const width = textWidth(text!, 11);
      return { index: Number(index), box: { x: end ? Number(x) - width : Number(x), y: Number(y) - 9, width, height: 12 }, end: end !== undefined };
    });
    expect(labels).toHaveLength(14);
    const leaders = new Map([...svg.matchAll(/<line class="leader" data-point="(\d+)" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/g)].map((m) => [Number(m[1]), { x1: Number(m[2]), y1: Number(m[3]), x2: Number(m[4]), y2: Number(m[5]) }]));
    expect(leaders.size).toBeGreaterThan(0);
    for (const [k, a] of labels.entries()) {
      for (const b of labels.slice(k + 1)) {
        const apart = a.box.x + a.box.width <= b.box.x || b.box.x + b.box.width <= a.box.x || a.box.y + a.box.height <= b.box.y || b.box.y + b.box.height <= a.box.y;
        expect(apart, `${a.index} and ${b.index}`).toBe(true);
      }
      const dot = g.dots.find((d) => d.index === a.index)!;
      expect(dot.cls).not.toBe('within');
      const leader = leaders.get(a.index);
      const edgeX = a.end ? a.box.x + a.box.width : a.box.x;
      if (leader) {
        // From the rim of its own dot to the near edge of its own name.
        expect(Math.hypot(leader.x1 - dot.cx, leader.y1 - dot.cy)).toBeCloseTo(dot.r, 0);
        expect(Math.abs(leader.x2 - edgeX)).toBeLessThan(2);
        expect(leader.y2).toBeGreaterThanOrEqual(a.box.y);
        expect(leader.y2).toBeLessThanOrEqual(a.box.y + a.box.height);
      } else {
        // Right beside its dot, at its height.
        expect(Math.abs(edgeX - dot.cx)).toBeLessThan(dot.r + 6);
        expect(dot.cy).toBeGreaterThan(a.box.y);
        expect(dot.cy).toBeLessThan(a.box.y + a.box.height);
      }
    }
  });
});

describe('placeLabels', () => {
  it('never overlaps two labels and keeps them inside the bounds, however crowded', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const bounds: LabelBox = { x: 70, y: 14, width: 630, height: 330 };
    for (let round = 0; round < 20; round++) {
      const requests = Array.from({ length: 5 + round * 2 }, () => ({ cx: 70 + random() * 630, cy: 14 + (random() < 0.5 ? random() * 40 : random() * 330), r: 5, width: 40 + random() * 120, height: 12 }));
      const obstacles = [{ box: { x: 650, y: 100, width: 40, height: 12 }, soft: false }];
      const placed = placeLabels(requests, bounds, obstacles);
      const boxes = placed.flatMap((p) => (p ? [p.box] : []));
      // Crowded rounds may leave a label out, but never most of them.
      expect(boxes.length).toBeGreaterThan(requests.length / 2);
      for (const [k, a] of boxes.entries()) {
        expect(a.x).toBeGreaterThanOrEqual(bounds.x);
        expect(a.y).toBeGreaterThanOrEqual(bounds.y);
        expect(a.x + a.width).toBeLessThanOrEqual(bounds.x + bounds.width);
        expect(a.y + a.height).toBeLessThanOrEqual(bounds.y + bounds.height);
        expect(a.x + a.width <= 650 || a.x >= 690 || a.y + a.height <= 100 || a.y >= 112, 'a hard obstacle').toBe(true);
        for (const b of boxes.slice(k + 1)) expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
      }
      placed.forEach((p, i) => {
        if (!p) return;
        const req = requests[i]!;
        // Beside its own dot (right or left of it); moved vertically only with a leader.
        expect(p.side === 'right' ? p.box.x - req.cx : req.cx - (p.box.x + p.box.width)).toBeCloseTo(req.r + 4, 6);
        expect(p.leader).toBe(Math.abs(p.box.y + p.box.height / 2 - req.cy) > 1e-9);
      });
    }
  });

  it('keeps a label at its dot when there is room', () => {
    const [p] = placeLabels([{ cx: 100, cy: 100, r: 4, width: 50, height: 12 }], { x: 0, y: 0, width: 400, height: 300 }, []);
    expect(p).toEqual({ box: { x: 108, y: 94, width: 50, height: 12 }, side: 'right', leader: false });
  });
});

describe('niceTicks', () => {
  it('picks round steps', () => {
    expect(niceTicks(0, 312)).toEqual({ values: [0, 100, 200, 300, 400], step: 100, decimals: 0 });
    expect(niceTicks(-0.7, 0.7, 6)).toEqual({ values: [-0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75], step: 0.25, decimals: 2 });
    expect(niceTicks(0.6, 0.95).values).toEqual([0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(5, 5).values.length).toBeGreaterThan(1);
  });
});

describe('trendLines', () => {
  it('draws no mark and no value for null or NaN and breaks the line there', () => {
    const svg = trendLines(series, trendOpts);
    // 8 values given, one null and one NaN.
    expect(count(svg, 'circle', 'point')).toBe(6);
    expect(count(svg, 'text', 'value')).toBe(6);
    // Matematik: 2021/22 alone (a dot, no line), then 2023/24–2024/25; Svenska: 2021/22–2022/23, 2024/25 alone.
    expect(count(svg, 'polyline', 'line')).toBe(2);
    expect(svg).toContain('>81 %</text>');
    expect(svg).toContain('>12 %</text>');
    expect(svg).toContain('>Matematik</text>');
    expect(svg).toContain('>2022/23</text>');
    expect(svg).not.toMatch(/NaN|null/);
    // The categories are in the given order.
    const years = [...svg.matchAll(/<text class="tick-label x"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(years).toEqual(['2021/22', '2022/23', '2023/24', '2024/25']);
  });

  it('prints a difference of shares in procentenheter, signed, never as "%"', () => {
    const svg = trendLines([{ label: 'Norra', points: [{ x: '2023/24', y: -0.104 }, { x: '2024/25', y: 0.05 }] }], { ...trendOpts, yFormat: 'pp', zeroLine: true, yLabel: 'Skillnad (procentenheter)' });
    expect(svg).toContain('>−10</text>');
    expect(svg).toContain('>+5</text>');
    expect(svg).toContain('>0</text>');
    expect(svg).toContain('>Skillnad (procentenheter)</text>');
    expect(svg).not.toMatch(/%<\/text>|%<title>/);
    expect(count(svg, 'line', 'zero')).toBe(1);
  });

  it('formats grade points signed with a zero line, and cycles colours and dashes', () => {
    const many: TrendSeries[] = Array.from({ length: 9 }, (_, i) => ({ label: `Serie ${i}`, points: [{ x: 'VT24', y: (i - 4) / 10 }, { x: 'VT25', y: (4 - i) / 8 }] }));
    const svg = trendLines(many, { ...trendOpts, yFormat: 'points', zeroLine: true });
    expect(count(svg, 'line', 'zero')).toBe(1);
    expect(svg).toContain('>−0,40</text>');
    expect(svg).toContain('>+0,50</text>');
    expect(svg).toContain('>0,00</text>');
    expect(count(svg, 'polyline', 'line')).toBe(9);
    const styles = [...svg.matchAll(/<polyline class="line" points="[^"]+" fill="none" stroke="(#\w+)" stroke-width="2.2"(?: stroke-dasharray="([^"]+)")?/g)].map((m) => `${m[1]} ${m[2] ?? ''}`);
    expect(new Set(styles.slice(0, 8)).size).toBe(8);
    expect(styles[8]).toBe(styles[0]);
    expect(svg).toContain('stroke-dasharray="7 4"');
  });
});

describe('fitText', () => {
  /** The earlier algorithm (re-measures the whole prefix per character removed), kept as the reference. */
  function referenceFitText(text: string, maxWidth: number, size: number, bold = false): string {
    if (textWidth(text, size, bold) <= maxWidth) return text;
    const chars = Array.from(text);
    while (chars.length > 0 && textWidth(`${chars.join('')}…`, size, bold) > maxWidth) chars.pop();
    return `${chars.join('').trimEnd()}…`;
  }

  it('fits a 200 000-character label: a prefix with "…", within the width', () => {
    const label = `Ekbackens skola ${'Långa namnet '.repeat(200_000 / 13)}`.slice(0, 200_000);
    expect(label).toHaveLength(200_000);
    for (const [maxWidth, size, bold] of [[300, 12, false], [640, 13, true], [40, 11, false]] as const) {
      const shown = fitText(label, maxWidth, size, bold);
      expect(shown.endsWith('…')).toBe(true);
      expect(label.startsWith(shown.slice(0, -1))).toBe(true);
      expect(textWidth(shown, size, bold)).toBeLessThanOrEqual(maxWidth);
      // The next character would not have fitted (trailing spaces aside).
      const prefix = shown.slice(0, -1);
      const next = label.slice(0, label.slice(prefix.length).search(/\S/) + prefix.length + 1);
      expect(textWidth(`${next}…`, size, bold)).toBeGreaterThan(maxWidth);
    }
    const svg = shareBars([{ label, higher: 0.2, same: 0.7, lower: 0.1, n: 312 }], { ...base, id: 'lang' });
    const shown = /<text class="row-label"[^>]*>([^<]*)<title>/.exec(svg)?.[1] ?? '';
    expect(shown).toMatch(/^Ekbackens skola .*… \(n = 312\)$/);
    expect(shown.length).toBeLessThan(200);
  });

  it('cuts ordinary labels exactly as the earlier algorithm did', () => {
    const labels = [
      'Ekbackens skola',
      'Björkängsskolan',
      'Solåsens skola (n = 312)',
      'Hagalunds skola och förskoleklass, Västra området',
      'Betyget högre än provbetyget',
      'Utanför 99,8 %-gränsen',
      'Åk 5, lärarens bedömning',
      'Standardiserad skillnad i betygspoäng mot riket',
      'Mmmm WWW %%% @@@ iiii llll',
      'Skola   med   mellanslag   ',
      'Émile Übergs skola\u00a0Norr',
      'Skola 🏫 med emoji 👩‍🏫 och fler',
      '',
      'x',
    ];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = Array.from('abcdeåäöABCÅÄÖ iljtfrI.,:;!|()mwMW%@0123456789\u00a0…🏫');
    for (let k = 0; k < 60; k++) {
      labels.push(Array.from({ length: Math.floor(random() * 80) }, () => alphabet[Math.floor(random() * alphabet.length)]!).join(''));
    }
    let cut = 0;
    for (const label of labels) {
      for (const size of [11, 12, 13]) {
        for (const bold of [false, true]) {
          for (const maxWidth of [-5, 0, 5, 8, 20, 40, 57.3, 100, 150, 200, 313.5, 600, 700, Number.NaN]) {
            const expected = referenceFitText(label, maxWidth, size, bold);
            expect(fitText(label, maxWidth, size, bold), JSON.stringify({ label, maxWidth, size, bold })).toBe(expected);
            if (expected !== label) cut++;
          }
        }
      }
    }
    expect(cut).toBeGreaterThan(500);
  });
});
