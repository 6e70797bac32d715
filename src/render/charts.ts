/**
 * Charts for the HTML report: pure functions that return self-contained inline SVG strings (no
 * scripts, no external resources, no web fonts; `font-family: system-ui, sans-serif`).
 *
 * - Accessible: every `<svg>` has `role="img"` and `aria-labelledby` pointing at its own `<title>` and
 *   `<desc>` (ids derived from the `id` option, which must be unique on the page).
 * - Colour-blind safe (Okabe–Ito colours) and legible in greyscale print: the categories also differ in
 *   lightness, hatching, filled/hollow marks or dash pattern, and bars carry text labels.
 * - Every text shown is XML-escaped (`escapeXml`); numbers are formatted by format.ts (Swedish: decimal
 *   comma, "33 %", "+12 procentenheter").
 * - Deterministic: the same input gives the same string (no random ids, no dates).
 * - Fixed width (viewBox 720 wide, height from the number of rows), scales with CSS (`max-width:100%`).
 * - `data-chart="<kind>"` on the svg and a class on every mark (`bar higher`, `dot from`, `point`,
 *   `limit-95`, `line` …) so tests and print CSS can find them. Legend swatches use `legend-*` classes
 *   only and are never counted as marks.
 *
 * Privacy: a chart draws exactly the rows it is given — no figure, label or mark for anything else.
 * Suppressing small groups (and hiding their n) is the caller's job: pass only rows that may be shown,
 * and `null` for suppressed years in a trend. Non-finite numbers (NaN, ±Infinity, null) are skipped,
 * never drawn or printed. An input with nothing drawable gives a small chart saying "Inga grupper att
 * visa" instead of throwing.
 */
import { funnelFlag, Z95, Z998 } from '../analysis/fairness.js';
import { formatCount, formatNumber, formatPoints, formatShare, formatSigned, type Lang } from './format.js';

const CHART_WIDTH = 720;

/** Okabe–Ito colours, plus a light grey-blue that stays light in greyscale. */
const CHART_COLORS = {
  higher: '#E69F00',
  same: '#D5DEE6',
  lower: '#0072B2',
  higherStrong: '#D55E00',
  lowerLight: '#56B4E9',
  within: '#BBBBBB',
  text: '#222222',
  muted: '#555555',
  grid: '#E3E3E3',
  axis: '#777777',
} as const;

/** Line colours for trends (Okabe–Ito without the yellow, which is unreadable on white). */
const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'] as const;
const SERIES_DASHES = ['', '7 4', '2 3', '10 3 2 3'] as const;

interface ChartOptions {
  /** Unique on the page; used for the ids of title, desc, patterns and clip paths. */
  id: string;
  /** Read by screen readers (`<title>`); not drawn, the report's heading shows it. */
  title: string;
  /** Longer text alternative (`<desc>`): say what the chart shows and its main finding. */
  desc: string;
  lang: Lang;
}

type ChartKind = 'share-bars' | 'dumbbell' | 'funnel' | 'trend';

const WORDS = {
  sv: {
    empty: 'Inga grupper att visa',
    higher: 'Betyget högre än provbetyget',
    same: 'Samma',
    lower: 'Betyget lägre än provbetyget',
    pp: 'procentenheter',
    ppOne: 'procentenhet',
    strict: 'sträng',
    generous: 'generös',
    in_line: 'i linje',
    within: 'Inom 95 %-gränsen',
    outside95: 'Utanför 95 %-gränsen',
    outside998: 'Utanför 99,8 %-gränsen',
    limit95: '95 %-gräns (z = ±1,96)',
    limit998: '99,8 %-gräns (z = ±3,09)',
    line95: '95 %',
    line998: '99,8 %',
    offScale: 'utanför skalan',
    short: { higher: 'högre', same: 'lika', lower: 'lägre' },
  },
  en: {
    empty: 'No groups to show',
    higher: 'Grade above test grade',
    same: 'Same',
    lower: 'Grade below test grade',
    pp: 'percentage points',
    ppOne: 'percentage point',
    strict: 'strict',
    generous: 'generous',
    in_line: 'in line',
    within: 'Within 95% limits',
    outside95: 'Outside 95% limits',
    outside998: 'Outside 99.8% limits',
    limit95: '95% limit (z = ±1.96)',
    limit998: '99.8% limit (z = ±3.09)',
    line95: '95%',
    line998: '99.8%',
    offScale: 'off the scale',
    short: { higher: 'higher', same: 'same', lower: 'lower' },
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Text and SVG primitives

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escape text for XML/HTML content and attribute values. Also drops the control characters XML 1.0
 * forbids and replaces lone surrogates, so the SVG stays well-formed whatever a file contained.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** A coordinate with at most one decimal, never "-0". */
function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

function isNum(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Ids keep to [A-Za-z0-9_-] and start with a letter, so url(#…) and aria references always work. */
function safeId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `c-${cleaned}`;
}

/** Width of one character in em (see textWidth). */
function charEm(ch: string): number {
  if (ch === ' ' || ch === '\u00a0') return 0.3;
  if ('iljtfrI.,:;!|\'()[]'.includes(ch)) return 0.32;
  if ('mwMW%@'.includes(ch)) return 0.88;
  if (/[A-ZÅÄÖÉÜ]/.test(ch)) return 0.68;
  return 0.58;
}

/** Width in px of `em` ems of text at `size` px. */
function emToPx(em: number, size: number, bold: boolean): number {
  // Calibrated on DejaVu Sans (a wide system-ui fallback), so narrower fonts only leave more room.
  return em * size * 1.1 * (bold ? 1.12 : 1);
}

/**
 * Rough width of text in system-ui at `size` px; errs on the wide side so labels are not clipped.
 * @internal (also used by tests)
 */
export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return emToPx(em, size, bold);
}

/** "Solåsens skola (n = 312)", the name shortened with "…" when needed so that "(n = …)" always shows. */
function labelWithN(label: string, n: number, lang: Lang, maxWidth: number, size: number, bold: boolean): { shown: string; full: string } {
  if (!isNum(n)) {
    return { shown: fitText(label, maxWidth, size, bold), full: label };
  }
  const suffix = ` (n = ${formatCount(n, lang)})`;
  const name = fitText(label, Math.max(40, maxWidth - textWidth(suffix, size, bold)), size, bold);
  return { shown: name + suffix, full: label + suffix };
}

/**
 * Shorten with "…" to fit `maxWidth`; returns the text unchanged when it fits. Keeps the longest
 * prefix (in code points) whose width with "…" fits, trailing white space dropped. One pass: prefix
 * widths only grow, so the scan stops as soon as the prefix alone is too wide.
 * @internal (also used by tests)
 */
export function fitText(text: string, maxWidth: number, size: number, bold = false): string {
  const ellipsis = charEm('…');
  let em = 0;
  let at = 0; // UTF-16 length of the prefix measured so far
  let kept = 0; // UTF-16 length of the longest prefix that fits with "…"
  for (const ch of text) {
    if (!(emToPx(em + ellipsis, size, bold) > maxWidth)) kept = at;
    em += charEm(ch);
    at += ch.length;
    if (emToPx(em, size, bold) > maxWidth) return `${text.slice(0, kept).trimEnd()}…`;
  }
  if (emToPx(em, size, bold) <= maxWidth) return text;
  if (!(emToPx(em + ellipsis, size, bold) > maxWidth)) kept = at;
  return `${text.slice(0, kept).trimEnd()}…`;
}

interface TextAttrs {
  cls: string;
  /** Attributes written right after the class, e.g. `data-point="3"`. */
  data?: string;
  anchor?: 'start' | 'middle' | 'end';
  size?: number;
  bold?: boolean;
  fill?: string;
  /** White outline behind the glyphs, for labels drawn over lines. */
  halo?: boolean;
  transform?: string;
}

/** A `<text>` element; `full` (the untruncated text) becomes a tooltip when it differs. */
function svgText(x: number, y: number, content: string, attrs: TextAttrs, full?: string): string {
  const parts = [`<text class="${attrs.cls}"${attrs.data ? ` ${attrs.data}` : ''} x="${px(x)}" y="${px(y)}"`];
  if (attrs.anchor && attrs.anchor !== 'start') parts.push(` text-anchor="${attrs.anchor}"`);
  if (attrs.size && attrs.size !== 12) parts.push(` font-size="${attrs.size}"`);
  if (attrs.bold) parts.push(' font-weight="600"');
  parts.push(` fill="${attrs.fill ?? CHART_COLORS.text}"`);
  if (attrs.halo) parts.push(' stroke="#FFFFFF" stroke-width="3" stroke-linejoin="round" paint-order="stroke"');
  if (attrs.transform) parts.push(` transform="${attrs.transform}"`);
  const tip = full !== undefined && full !== content ? `<title>${escapeXml(full)}</title>` : '';
  parts.push(`>${escapeXml(content)}${tip}</text>`);
  return parts.join('');
}

function svgOpen(kind: ChartKind, opts: ChartOptions, height: number, extra = ''): string {
  const id = safeId(opts.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${px(height)}" width="${CHART_WIDTH}" height="${px(height)}"` +
    ` role="img" aria-labelledby="${id}-title ${id}-desc" data-chart="${kind}" class="chart chart-${kind}"${extra}` +
    ` font-family="system-ui, sans-serif" font-size="12" style="max-width:100%;height:auto">` +
    `<title id="${id}-title">${escapeXml(opts.title)}</title><desc id="${id}-desc">${escapeXml(opts.desc)}</desc>`
  );
}

/** The chart for an input with nothing to draw. */
function emptyChart(kind: ChartKind, opts: ChartOptions): string {
  return (
    svgOpen(kind, opts, 48, ' data-empty="true"') +
    svgText(CHART_WIDTH / 2, 29, WORDS[opts.lang].empty, { cls: 'empty-message', anchor: 'middle', size: 13, fill: CHART_COLORS.muted }) +
    '</svg>'
  );
}

/** Legend entries laid out left to right (wrapping), each a swatch drawn by `swatch(x, centreY)`. */
function legend(items: readonly { text: string; swatch: (x: number, cy: number) => string; width: number }[], x0: number, y0: number, maxX: number): { svg: string; height: number } {
  const parts: string[] = ['<g class="legend">'];
  let x = x0;
  let y = y0;
  for (const item of items) {
    const text = fitText(item.text, maxX - x0 - item.width - 6, 12);
    const w = item.width + 6 + textWidth(text, 12);
    if (x > x0 && x + w > maxX) {
      x = x0;
      y += 20;
    }
    parts.push(item.swatch(x, y + 8), svgText(x + item.width + 6, y + 12, text, { cls: 'legend-text' }, item.text));
    x += w + 18;
  }
  parts.push('</g>');
  return { svg: parts.join(''), height: y - y0 + 20 };
}

// ---------------------------------------------------------------------------------------------
// Axes

interface Ticks {
  values: number[];
  step: number;
  /** Decimals needed to print the ticks. */
  decimals: number;
}

function stepDecimals(step: number): number {
  let d = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  while (d < 10 && Math.abs(Number(step.toFixed(d)) - step) > step * 1e-9) d++;
  return d;
}

/**
 * Round ticks (1, 2, 2,5, 5 × 10^k) covering [low, high] with about `target` intervals.
 * @internal (also used by tests)
 */
export function niceTicks(low: number, high: number, target = 5): Ticks {
  let lo = low;
  let hi = high;
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const mantissa = raw / magnitude;
  const nice = mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 2.5 ? 2.5 : mantissa <= 5 ? 5 : 10;
  const step = nice * magnitude;
  const decimals = stepDecimals(step);
  const start = Math.floor(lo / step + 1e-9);
  const end = Math.ceil(hi / step - 1e-9);
  const values: number[] = [];
  for (let k = start; k <= end; k++) values.push(Number((k * step).toFixed(decimals)) || 0);
  return { values, step, decimals };
}

// ---------------------------------------------------------------------------------------------
// 1. Shares higher / same / lower: one 100 % stacked bar per row

export interface ShareRow {
  /** Group name, e.g. a school; shown as "label (n = 312)". */
  label: string;
  /** Shares 0–1 of pupils whose teacher grade is higher than / the same as / lower than the test grade. */
  higher: number;
  same: number;
  lower: number;
  /** Paired pupils. Not shown when not finite. */
  n: number;
}

export interface ShareBarsOptions extends ChartOptions {
  /** Legend texts instead of the defaults ("Betyget högre än provbetyget" …). */
  legend?: Partial<Record<ShareCategory, string>>;
  /** Decimals of the percent labels (default 0). */
  decimals?: number;
}

type ShareCategory = 'higher' | 'same' | 'lower';

const SHARE_CATEGORIES: readonly ShareCategory[] = ['higher', 'same', 'lower'];

/**
 * Geometry of the share bars, exported for tests: bars run from x = 10 to x = 710.
 * @internal (also used by tests)
 */
export const SHARE_BARS_LAYOUT = { x0: 10, width: 700, barHeight: 22, rowHeight: 46 } as const;

function shareFill(id: string, category: ShareCategory): string {
  return category === 'higher' ? `url(#${id}-hatch)` : CHART_COLORS[category];
}

const SHARE_TEXT_FILL: Readonly<Record<ShareCategory, string>> = { higher: '#1A1A1A', same: '#1A1A1A', lower: '#FFFFFF' };

/**
 * One horizontal bar per row, split into higher (orange, hatched) / same (light grey-blue) / lower
 * (blue), each segment as wide as its share of the row total (shares need not add up exactly to 1).
 * A percent label is written inside a segment when it fits, else at the right end of the row's label
 * line with the category's name ("lägre 3 %"), so every segment carries its figure. A share of 0 draws no segment; a row with
 * a non-finite share is skipped.
 */
export function shareBars(rows: readonly ShareRow[], opts: ShareBarsOptions): string {
  const valid = rows.filter((row) => SHARE_CATEGORIES.every((c) => isNum(row[c])) && SHARE_CATEGORIES.reduce((sum, c) => sum + Math.max(0, row[c]), 0) > 0);
  if (valid.length === 0) return emptyChart('share-bars', opts);
  const id = safeId(opts.id);
  const words = WORDS[opts.lang];
  const { x0, width, barHeight, rowHeight } = SHARE_BARS_LAYOUT;
  const names: Record<ShareCategory, string> = {
    higher: opts.legend?.higher ?? words.higher,
    same: opts.legend?.same ?? words.same,
    lower: opts.legend?.lower ?? words.lower,
  };

  const swatch = (category: ShareCategory) => (x: number, cy: number) =>
    `<rect class="legend-swatch ${category}" x="${px(x)}" y="${px(cy - 7)}" width="14" height="14" fill="${shareFill(id, category)}" stroke="#555555" stroke-width="0.5"/>`;
  const key = legend(
    SHARE_CATEGORIES.map((category) => ({ text: names[category], swatch: swatch(category), width: 14 })),
    x0,
    6,
    x0 + width,
  );
  const top = 6 + key.height + 8;
  const height = top + valid.length * rowHeight;

  const parts: string[] = [svgOpen('share-bars', opts, height)];
  parts.push(
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="${CHART_COLORS.higher}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#FFFFFF" stroke-opacity="0.45" stroke-width="2"/></pattern></defs>`,
  );
  parts.push(key.svg);

  valid.forEach((row, index) => {
    const y = top + index * rowHeight;
    const total = SHARE_CATEGORIES.reduce((sum, c) => sum + Math.max(0, row[c]), 0);
    const segments = SHARE_CATEGORIES.map((category) => {
      const share = Math.max(0, row[category]) / total;
      const shown = formatShare(share, opts.lang, opts.decimals ?? 0);
      const w = share * width;
      return { category, w, shown, inside: textWidth(shown, 12, true) + 8 <= w };
    }).filter((segment) => segment.w > 0);
    // A segment too narrow for its figure still carries it: named, at the right end of the row's label line.
    const outside = segments.filter((segment) => !segment.inside).map((segment) => `${words.short[segment.category]} ${segment.shown}`).join(' · ');
    const outsideWidth = outside ? textWidth(outside, 12) + 12 : 0;
    const label = labelWithN(row.label, row.n, opts.lang, width - outsideWidth, 13, true);
    parts.push(`<g class="row">`);
    parts.push(svgText(x0, y + 14, label.shown, { cls: 'row-label', size: 13, bold: true }, label.full));
    if (outside) parts.push(svgText(x0 + width, y + 14, outside, { cls: 'value outside', anchor: 'end', fill: CHART_COLORS.text }));
    const barY = y + 20;
    let x = x0;
    for (const { category, w, shown, inside } of segments) {
      parts.push(
        `<rect class="bar ${category}" x="${px(x)}" y="${px(barY)}" width="${px(w)}" height="${barHeight}" fill="${shareFill(id, category)}">` +
          `<title>${escapeXml(`${names[category]}: ${shown}`)}</title></rect>`,
      );
      if (inside) {
        parts.push(svgText(x + w / 2, barY + barHeight / 2 + 4.2, shown, { cls: `value ${category}`, anchor: 'middle', bold: true, fill: SHARE_TEXT_FILL[category] }));
      }
      x += w;
    }
    parts.push(`<rect class="bar-outline" x="${px(x0)}" y="${px(barY)}" width="${px(width)}" height="${barHeight}" fill="none" stroke="#555555" stroke-width="0.5"/>`);
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// 2. Dumbbell: share passing in one year (from) against a later year (to), per area

type Verdict = 'strict' | 'generous' | 'in_line';

export interface DumbbellRow {
  label: string;
  /** Share 0–1 passing at the first point (e.g. år 5 teacher assessment). */
  from: number;
  /** Share 0–1 passing at the second point (e.g. år 6 national test). */
  to: number;
  n: number;
  verdict?: Verdict;
}

export interface DumbbellOptions extends ChartOptions {
  /** Legend text for the hollow dot, e.g. "Åk 5, lärarens bedömning". */
  fromLabel: string;
  /** Legend text for the filled dot, e.g. "Åk 6, nationellt prov". */
  toLabel: string;
  /** Decimals of the shares and of the difference (default 0). */
  decimals?: number;
}

/**
 * The axis runs from x0 to x0 + width, leaving room for "100 %" outside the dots; texts span 8–712.
 * @internal (also used by tests)
 */
export const DUMBBELL_LAYOUT = { x0: 64, width: 592, rowHeight: 50, textLeft: 8, textRight: 712 } as const;

/**
 * One row per area on a 0–100 % axis: a hollow dot at `from`, a filled dot at `to`, a line between
 * them, and at the right "−12 procentenheter · sträng". The difference is from − to (as in the
 * transition report: negative = fewer pass in the first year = strict). A row missing one share
 * draws only the other dot and no difference; a row missing both is skipped.
 */
export function dumbbell(rows: readonly DumbbellRow[], opts: DumbbellOptions): string {
  const valid = rows.filter((row) => isNum(row.from) || isNum(row.to));
  if (valid.length === 0) return emptyChart('dumbbell', opts);
  const words = WORDS[opts.lang];
  const decimals = opts.decimals ?? 0;
  const { x0, width, rowHeight, textLeft, textRight } = DUMBBELL_LAYOUT;
  const xAt = (share: number) => x0 + clamp(share, 0, 1) * width;

  const fromDot = (x: number, cy: number, cls: string) =>
    `<circle class="${cls}" cx="${px(x)}" cy="${px(cy)}" r="6" fill="#FFFFFF" stroke="${CHART_COLORS.higherStrong}" stroke-width="2.5"/>`;
  const toDot = (x: number, cy: number, cls: string) =>
    `<circle class="${cls}" cx="${px(x)}" cy="${px(cy)}" r="6.5" fill="${CHART_COLORS.lower}" stroke="#FFFFFF" stroke-width="1"/>`;
  const key = legend(
    [
      { text: opts.fromLabel, width: 14, swatch: (x, cy) => fromDot(x + 7, cy, 'legend-swatch from') },
      { text: opts.toLabel, width: 14, swatch: (x, cy) => toDot(x + 7, cy, 'legend-swatch to') },
    ],
    textLeft,
    6,
    textRight,
  );
  const top = 6 + key.height + 8;
  const axisY = top + valid.length * rowHeight + 4;
  const height = axisY + 22;

  const parts: string[] = [svgOpen('dumbbell', opts, height), key.svg];
  parts.push('<g class="grid">');
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const x = xAt(tick);
    parts.push(`<line class="gridline" x1="${px(x)}" y1="${px(top)}" x2="${px(x)}" y2="${px(axisY)}" stroke="${CHART_COLORS.grid}"/>`);
    parts.push(svgText(x, axisY + 16, formatShare(tick, opts.lang), { cls: 'tick-label', anchor: 'middle', fill: CHART_COLORS.muted }));
  }
  parts.push(`<line class="axis" x1="${px(x0)}" y1="${px(axisY)}" x2="${px(x0 + width)}" y2="${px(axisY)}" stroke="${CHART_COLORS.axis}"/>`);
  parts.push('</g>');

  valid.forEach((row, index) => {
    const y = top + index * rowHeight;
    const trackY = y + 32;
    parts.push(`<g class="row"${row.verdict ? ` data-verdict="${row.verdict}"` : ''}>`);
    const both = isNum(row.from) && isNum(row.to);
    let right = '';
    if (both) {
      const diff = formatPoints(row.from - row.to, opts.lang, decimals);
      right = `${diff} ${/^[+−-]?1$/.test(diff) ? words.ppOne : words.pp}`;
      if (row.verdict) right += ` · ${words[row.verdict]}`;
    }
    const rightWidth = right ? textWidth(right, 12, row.verdict !== undefined && row.verdict !== 'in_line') + 16 : 0;
    const label = labelWithN(row.label, row.n, opts.lang, textRight - textLeft - rightWidth, 13, true);
    parts.push(svgText(textLeft, y + 14, label.shown, { cls: 'row-label', size: 13, bold: true }, label.full));
    if (right) {
      parts.push(svgText(textRight, y + 14, right, { cls: 'diff', anchor: 'end', bold: row.verdict !== undefined && row.verdict !== 'in_line' }));
    }
    parts.push(`<line class="track" x1="${px(x0)}" y1="${px(trackY)}" x2="${px(x0 + width)}" y2="${px(trackY)}" stroke="${CHART_COLORS.grid}" stroke-width="1"/>`);
    const xf = isNum(row.from) ? xAt(row.from) : null;
    const xt = isNum(row.to) ? xAt(row.to) : null;
    if (xf !== null && xt !== null) {
      parts.push(`<line class="link" x1="${px(xf)}" y1="${px(trackY)}" x2="${px(xt)}" y2="${px(trackY)}" stroke="#888888" stroke-width="3"/>`);
    }
    // Value labels on the outer side of each dot, flipped inwards when the outer side has no room.
    const valueLabel = (x: number, share: number, outwardLeft: boolean, cls: string) => {
      const text = formatShare(share, opts.lang, decimals);
      const w = textWidth(text, 11);
      const leftFits = x - 10 - w >= 0;
      const rightFits = x + 10 + w <= CHART_WIDTH;
      const left = outwardLeft ? leftFits || !rightFits : !rightFits;
      return svgText(left ? x - 10 : x + 10, trackY + 4, text, { cls: `value ${cls}`, anchor: left ? 'end' : 'start', size: 11, fill: CHART_COLORS.muted, halo: true });
    };
    if (xf !== null && isNum(row.from)) {
      parts.push(fromDot(xf, trackY, 'dot from'));
      parts.push(valueLabel(xf, row.from, xt === null || xf <= xt, 'from'));
    }
    if (xt !== null && isNum(row.to)) {
      parts.push(toDot(xt, trackY, 'dot to'));
      parts.push(valueLabel(xt, row.to, xf !== null && xt < xf, 'to'));
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// 3. Funnel plot, standardised: each group's z-score against its own limits, by group size

type FunnelFlag = 'within' | 'above_95' | 'below_95' | 'above_99.8' | 'below_99.8';

export interface FunnelPoint {
  label: string;
  /** Group size (x). */
  n: number;
  /**
   * The group's z-score against its own limits (y): its difference from the standard divided by
   * the spread that chance and ordinary differences between schools give a group of its size.
   * Its flag follows from it (outside ±1,96: outside 95 %; outside ±3,09: outside 99,8 %), so the
   * band a point sits in is always the one its marker shows.
   */
  z: number;
  /** More for the tooltip, e.g. the difference in grade points. */
  detail?: string;
}

export interface FunnelOptions extends ChartOptions {
  xLabel: string;
  yLabel: string;
}

/** CSS class of a point per flag ("above_99.8" is not a usable class name). */
const FUNNEL_FLAG_CLASS: Readonly<Record<FunnelFlag, string>> = {
  within: 'within',
  above_95: 'above-95',
  below_95: 'below-95',
  'above_99.8': 'above-998',
  'below_99.8': 'below-998',
};

const FUNNEL_RADIUS: Readonly<Record<FunnelFlag, number>> = { within: 4, above_95: 4.5, below_95: 4.5, 'above_99.8': 6, 'below_99.8': 6 };

function funnelMark(flag: FunnelFlag, x: number, y: number, cls: string, data = ''): string {
  const at = `${data ? `${data} ` : ''}cx="${px(x)}" cy="${px(y)}" r="${FUNNEL_RADIUS[flag]}"`;
  switch (flag) {
    case 'within':
      return `<circle class="${cls}" ${at} fill="${CHART_COLORS.within}" stroke="#777777" stroke-width="0.8"/>`;
    case 'above_95':
      return `<circle class="${cls}" ${at} fill="#FFFFFF" stroke="${CHART_COLORS.higherStrong}" stroke-width="2.2"/>`;
    case 'below_95':
      return `<circle class="${cls}" ${at} fill="#FFFFFF" stroke="${CHART_COLORS.lower}" stroke-width="2.2"/>`;
    case 'above_99.8':
      return `<circle class="${cls}" ${at} fill="${CHART_COLORS.higherStrong}" stroke="#1A1A1A" stroke-width="1"/>`;
    case 'below_99.8':
      return `<circle class="${cls}" ${at} fill="${CHART_COLORS.lower}" stroke="#1A1A1A" stroke-width="1"/>`;
  }
}

/**
 * A rectangle: x, y its top left corner.
 * @internal (also used by tests)
 */
export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A label to place beside its dot (centre cx, cy, radius r). */
interface LabelRequest {
  cx: number;
  cy: number;
  r: number;
  width: number;
  height: number;
}

interface LabelPlacement {
  box: LabelBox;
  side: 'right' | 'left';
  /** The label was moved off its dot's height: draw a line from the dot to it. */
  leader: boolean;
}

function overlaps(a: LabelBox, b: LabelBox, pad = 0): boolean {
  return a.x < b.x + b.width + pad && b.x < a.x + a.width + pad && a.y < b.y + b.height + pad && b.y < a.y + a.height + pad;
}

/**
 * Greedy label placement: each label beside its own dot (right, else left), moved up or down a line
 * at a time until it overlaps no label placed before it and no obstacle, inside `bounds`. Obstacles
 * marked soft (other points) are avoided when there is room and given up before a label is; hard
 * ones (the limit lines' labels) never are. A label moved off its dot's height gets a leader line.
 * Labels are placed in the order given (the most important first); one with no free place at all
 * is left out (null): its point keeps its tooltip and the chart's text alternative.
 * @internal (also used by tests)
 */
export function placeLabels(requests: readonly LabelRequest[], bounds: LabelBox, obstacles: readonly { box: LabelBox; soft: boolean }[]): (LabelPlacement | null)[] {
  const placed: LabelBox[] = [];
  const inside = (b: LabelBox) => b.x >= bounds.x && b.y >= bounds.y && b.x + b.width <= bounds.x + bounds.width && b.y + b.height <= bounds.y + bounds.height;
  return requests.map((req) => {
    const step = req.height + 1;
    const maxSteps = Math.ceil(bounds.height / step) + 1;
    for (const avoidSoft of [true, false]) {
      for (let k = 0; k <= 2 * maxSteps; k++) {
        // 0, +1, −1, +2, −2 … lines away from the dot's height.
        const dy = k === 0 ? 0 : (k % 2 === 1 ? 1 : -1) * Math.ceil(k / 2) * step;
        for (const side of ['right', 'left'] as const) {
          const x = side === 'right' ? req.cx + req.r + 4 : req.cx - req.r - 4 - req.width;
          const box = { x, y: req.cy + dy - req.height / 2, width: req.width, height: req.height };
          if (!inside(box)) continue;
          if (placed.some((other) => overlaps(box, other, 1))) continue;
          if (obstacles.some((o) => (avoidSoft || !o.soft) && overlaps(box, o.box))) continue;
          placed.push(box);
          return { box, side, leader: dy !== 0 };
        }
      }
    }
    return null;
  });
}

const FUNNEL_LAYOUT = { x0: 70, x1: 700, top: 14, plotHeight: 330 } as const;
/** The y axis covers at least ±4 (so both pairs of lines show) and at most ±10; points beyond are drawn at the edge. */
const FUNNEL_Y_RANGE = { min: 4, max: 10 } as const;

/**
 * A standardised funnel plot: x = group size (linear from 0), y = each group's z-score against its
 * own limits, with fixed lines at ±1,96 (95 %, dashed) and ±3,09 (99,8 %, solid), each labelled.
 * Every group is judged by limits of its own (chance shrinks with its size, ordinary differences
 * between schools do not), so one pair of curves could not show them all; on the z scale they are
 * the same lines for everyone, and the band a dot sits in is the flag it has. One circle per point:
 * grey within, a hollow ring outside 95 %, a large filled dot outside 99,8 % (orange above, blue
 * below). Points outside 95 % are named, each label beside its own dot or joined to it by a line,
 * no two labels overlapping.
 */
export function funnelPlot(points: readonly FunnelPoint[], opts: FunnelOptions): string {
  const valid = points.filter((p) => isNum(p.n) && p.n >= 0 && isNum(p.z));
  if (valid.length === 0) return emptyChart('funnel', opts);
  const id = safeId(opts.id);
  const words = WORDS[opts.lang];
  const { x0, x1, top, plotHeight } = FUNNEL_LAYOUT;
  const y1 = top + plotHeight;

  const maxN = Math.max(...valid.map((p) => p.n));
  const xTicks = niceTicks(0, Math.max(1, maxN * 1.04), 6);
  const xMax = xTicks.values[xTicks.values.length - 1] ?? 1;
  const maxAbs = Math.max(...valid.map((p) => Math.abs(p.z)));
  const extent = clamp(maxAbs * 1.08, FUNNEL_Y_RANGE.min, FUNNEL_Y_RANGE.max);
  const yTicks = niceTicks(-extent, extent, 6);
  const yMax = Math.max(Math.abs(yTicks.values[0] ?? extent), Math.abs(yTicks.values[yTicks.values.length - 1] ?? extent));
  const xAt = (n: number) => x0 + (n / xMax) * (x1 - x0);
  const yAt = (z: number) => top + ((yMax - clamp(z, -yMax, yMax)) / (2 * yMax)) * plotHeight;

  const legendItems = [
    { text: words.within, width: 12, swatch: (x: number, cy: number) => funnelMark('within', x + 6, cy, 'legend-swatch within') },
    { text: words.outside95, width: 30, swatch: (x: number, cy: number) => funnelMark('above_95', x + 6, cy, 'legend-swatch above-95') + funnelMark('below_95', x + 22, cy, 'legend-swatch below-95') },
    { text: words.outside998, width: 32, swatch: (x: number, cy: number) => funnelMark('above_99.8', x + 7, cy, 'legend-swatch above-998') + funnelMark('below_99.8', x + 24, cy, 'legend-swatch below-998') },
    { text: words.limit95, width: 26, swatch: (x: number, cy: number) => `<line class="legend-swatch limit-95" x1="${px(x)}" y1="${px(cy)}" x2="${px(x + 26)}" y2="${px(cy)}" stroke="#444444" stroke-width="1.5" stroke-dasharray="5 4"/>` },
    { text: words.limit998, width: 26, swatch: (x: number, cy: number) => `<line class="legend-swatch limit-998" x1="${px(x)}" y1="${px(cy)}" x2="${px(x + 26)}" y2="${px(cy)}" stroke="#444444" stroke-width="1.5"/>` },
  ];
  const key = legend(legendItems, x0, y1 + 48, x1);
  const height = y1 + 48 + key.height + 4;

  const parts: string[] = [svgOpen('funnel', opts, height)];

  // Grid and axes.
  parts.push('<g class="axes">');
  for (const t of yTicks.values) {
    const y = yAt(t);
    parts.push(`<line class="gridline" x1="${px(x0)}" y1="${px(y)}" x2="${px(x1)}" y2="${px(y)}" stroke="${CHART_COLORS.grid}"/>`);
    parts.push(svgText(x0 - 6, y + 4, formatSigned(t, yTicks.decimals, opts.lang), { cls: 'tick-label', anchor: 'end', fill: CHART_COLORS.muted }));
  }
  for (const t of xTicks.values) {
    const x = xAt(t);
    parts.push(`<line class="tick" x1="${px(x)}" y1="${px(y1)}" x2="${px(x)}" y2="${px(y1 + 4)}" stroke="${CHART_COLORS.axis}"/>`);
    parts.push(svgText(x, y1 + 17, formatCount(t, opts.lang), { cls: 'tick-label', anchor: 'middle', fill: CHART_COLORS.muted }));
  }
  parts.push(`<rect class="frame" x="${px(x0)}" y="${px(top)}" width="${px(x1 - x0)}" height="${px(plotHeight)}" fill="none" stroke="${CHART_COLORS.axis}" stroke-width="0.8"/>`);
  parts.push(svgText((x0 + x1) / 2, y1 + 36, fitText(opts.xLabel, x1 - x0, 12), { cls: 'axis-label', anchor: 'middle' }, opts.xLabel));
  const yMid = top + plotHeight / 2;
  parts.push(svgText(16, yMid, fitText(opts.yLabel, plotHeight, 12), { cls: 'axis-label', anchor: 'middle', transform: `rotate(-90 16 ${px(yMid)})` }, opts.yLabel));
  parts.push('</g>');

  // The zero line and the limits: the same for every group on this scale, each line labelled at its right end.
  const lineLabels: { box: LabelBox; soft: boolean }[] = [];
  parts.push('<g class="limits">');
  parts.push(`<line class="zero" x1="${px(x0)}" y1="${px(yAt(0))}" x2="${px(x1)}" y2="${px(yAt(0))}" stroke="#333333" stroke-width="1.2"/>`);
  for (const [z, cls, dash, text] of [[Z95, 'limit-95', ' stroke-dasharray="5 4"', words.line95], [Z998, 'limit-998', '', words.line998]] as const) {
    for (const [side, sign] of [['upper', 1], ['lower', -1]] as const) {
      const y = yAt(sign * z);
      parts.push(`<line class="${cls} ${side}" x1="${px(x0)}" y1="${px(y)}" x2="${px(x1)}" y2="${px(y)}" stroke="#444444" stroke-width="1.5"${dash}/>`);
      // Above an upper line, below a lower one: outside the band it closes.
      const baseline = side === 'upper' ? y - 4 : y + 12;
      const w = textWidth(text, 11);
      parts.push(svgText(x1 - 4, baseline, text, { cls: `limit-label ${cls}`, anchor: 'end', size: 11, fill: CHART_COLORS.text, halo: true }));
      lineLabels.push({ box: { x: x1 - 4 - w, y: baseline - 9, width: w, height: 12 }, soft: false });
    }
  }
  parts.push('</g>');

  // Points: the within points first, so the flagged ones are drawn on top.
  const located = valid.map((p, index) => ({ p, index, flag: funnelFlag(p.z), x: xAt(p.n), y: yAt(p.z) }));
  const order = (flag: FunnelFlag) => (flag === 'within' ? 0 : flag.endsWith('95') ? 1 : 2);
  parts.push('<g class="points">');
  for (const { p, index, flag, x, y } of [...located].sort((a, b) => order(a.flag) - order(b.flag) || a.index - b.index)) {
    const offScale = Math.abs(p.z) > yMax ? ` (${words.offScale})` : '';
    const tip = `${p.label} (n = ${formatCount(p.n, opts.lang)}): z = ${formatSigned(p.z, 1, opts.lang)}${offScale}${p.detail ? `; ${p.detail}` : ''}`;
    parts.push(funnelMark(flag, x, y, `point ${FUNNEL_FLAG_CLASS[flag]}`, `data-point="${index}"`).replace('/>', `><title>${escapeXml(tip)}</title></circle>`));
  }
  parts.push('</g>');

  // Names of the points outside the 95 % limits, the farthest out placed first.
  const labelled = located.filter((l) => l.flag !== 'within').sort((a, b) => Math.abs(b.p.z) - Math.abs(a.p.z) || a.p.n - b.p.n || a.index - b.index);
  const names = labelled.map((l) => fitText(l.p.label, 190, 11));
  const placements = placeLabels(
    labelled.map((l, k) => ({ cx: l.x, cy: l.y, r: FUNNEL_RADIUS[l.flag], width: textWidth(names[k] ?? '', 11), height: 12 })),
    { x: x0 + 2, y: top + 2, width: x1 - x0 - 4, height: plotHeight - 4 },
    [...lineLabels, ...located.map((l) => ({ box: { x: l.x - FUNNEL_RADIUS[l.flag], y: l.y - FUNNEL_RADIUS[l.flag], width: 2 * FUNNEL_RADIUS[l.flag], height: 2 * FUNNEL_RADIUS[l.flag] }, soft: true }))],
  );
  parts.push('<g class="point-labels">');
  labelled.forEach((l, k) => {
    const placement = placements[k];
    if (!placement) return;
    const { box, side } = placement;
    if (placement.leader) {
      const tx = side === 'right' ? box.x - 1 : box.x + box.width + 1;
      const ty = box.y + box.height / 2;
      const r = FUNNEL_RADIUS[l.flag];
      const d = Math.hypot(tx - l.x, ty - l.y) || 1;
      parts.push(`<line class="leader" data-point="${l.index}" x1="${px(l.x + ((tx - l.x) / d) * r)}" y1="${px(l.y + ((ty - l.y) / d) * r)}" x2="${px(tx)}" y2="${px(ty)}" stroke="#555555" stroke-width="0.8"/>`);
    }
    // A white ground under the name, so a limit line or a dot behind it does not show between its words.
    parts.push(`<rect class="label-ground" x="${px(box.x - 1)}" y="${px(box.y)}" width="${px(box.width + 2)}" height="${px(box.height)}" fill="#FFFFFF" fill-opacity="0.85"/>`);
    parts.push(svgText(side === 'right' ? box.x : box.x + box.width, box.y + 9, names[k] ?? '', { cls: `point-label ${FUNNEL_FLAG_CLASS[l.flag]}`, data: `data-point="${l.index}"`, anchor: side === 'right' ? 'start' : 'end', size: 11, halo: true }, l.p.label));
  });
  parts.push('</g>');

  parts.push(key.svg);
  parts.push('</svg>');
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// 4. Trends over school years

interface TrendPoint {
  /** Category on the x axis, e.g. "2023/24". */
  x: string;
  /** null for a suppressed or missing year: no mark, no text, and the line is broken there. */
  y: number | null;
}

export interface TrendSeries {
  label: string;
  points: readonly TrendPoint[];
}

export interface TrendOptions extends ChartOptions {
  yLabel: string;
  /**
   * 'share': y is 0–1, printed "85 %"; 'pp': y is a difference of two shares (−1–1), printed in
   * procentenheter, signed ("+5"; say so in yLabel); 'points': grade points, printed "0,25" ("+0,25"
   * with zeroLine).
   */
  yFormat: 'share' | 'pp' | 'points';
  /** Draw a line at y = 0 and include 0 in the axis. */
  zeroLine?: boolean;
  /** The x categories in order; default: every x of the series in order of first appearance. */
  categories?: readonly string[];
  /** Decimals of the value labels (default 0 for shares, 2 for points). */
  decimals?: number;
  /** Height of the plot area (default 260; the chart is 46 taller). */
  plotHeight?: number;
}

const TREND_LAYOUT = { x0: 72, top: 16, plotHeight: 260, maxSeriesLabel: 150 } as const;

/** Spread label centres at least `gap` apart, keeping them inside [low, high] where possible. */
function spread(desired: readonly number[], gap: number, low: number, high: number): number[] {
  const order = desired.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const out = order.map((o) => o.y);
  for (let k = 1; k < out.length; k++) out[k] = Math.max(out[k]!, out[k - 1]! + gap);
  const overflow = (out[out.length - 1] ?? high) - high;
  if (overflow > 0) {
    out[out.length - 1] = high;
    for (let k = out.length - 2; k >= 0; k--) out[k] = Math.min(out[k]!, out[k + 1]! - gap);
  }
  for (let k = 0; k < out.length; k++) out[k] = Math.max(out[k]!, low);
  const result = new Array<number>(desired.length);
  order.forEach((o, k) => (result[o.i] = out[k]!));
  return result;
}

/**
 * A line per series over the categories (school years), broken where y is null. Every point gets a
 * dot and its value; the series name sits in the right margin at the height of the line's last point,
 * after a sample of the line. Colours and dash patterns cycle (8 colours × 4 patterns).
 */
export function trendLines(series: readonly TrendSeries[], opts: TrendOptions): string {
  const categories: string[] = opts.categories ? [...opts.categories] : [];
  if (!opts.categories) {
    for (const s of series) for (const p of s.points) if (!categories.includes(p.x)) categories.push(p.x);
  }
  const catIndex = new Map(categories.map((c, i) => [c, i] as const));
  const drawn = series
    .map((s, index) => ({
      label: s.label,
      index,
      points: s.points.filter((p): p is { x: string; y: number } => isNum(p.y) && catIndex.has(p.x)).map((p) => ({ i: catIndex.get(p.x)!, y: p.y })).sort((a, b) => a.i - b.i),
    }))
    .filter((s) => s.points.length > 0);
  if (drawn.length === 0) return emptyChart('trend', opts);

  const share = opts.yFormat === 'share';
  const pp = opts.yFormat === 'pp';
  const decimals = opts.decimals ?? (share || pp ? 0 : 2);
  const signed = !share && opts.zeroLine === true;
  const formatValue = (v: number) => (share ? formatShare(v, opts.lang, decimals) : pp ? formatPoints(v, opts.lang, decimals) : signed ? formatSigned(v, decimals, opts.lang) : formatNumber(v, decimals, opts.lang));

  const ys = drawn.flatMap((s) => s.points.map((p) => p.y));
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (opts.zeroLine) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  const span = hi - lo;
  const pad = span > 0 ? span * 0.08 : share || pp ? 0.05 : Math.max(Math.abs(hi) * 0.1, 0.1);
  lo -= pad;
  hi += pad;
  if (share) {
    lo = Math.max(lo, Math.min(0, ...ys));
    hi = Math.min(hi, Math.max(1, ...ys));
  }
  const ticks = niceTicks(lo, hi, 5);
  const yMin = ticks.values[0] ?? lo;
  const yMax = ticks.values[ticks.values.length - 1] ?? hi;
  const tickText = (t: number) => (share ? formatShare(t, opts.lang, Math.max(0, ticks.decimals - 2)) : pp ? formatPoints(t, opts.lang, Math.max(0, ticks.decimals - 2)) : signed ? formatSigned(t, ticks.decimals, opts.lang) : formatNumber(t, ticks.decimals, opts.lang));

  const { x0, top, maxSeriesLabel } = TREND_LAYOUT;
  const plotHeight = opts.plotHeight !== undefined && isNum(opts.plotHeight) && opts.plotHeight >= 80 ? opts.plotHeight : TREND_LAYOUT.plotHeight;
  const y1 = top + plotHeight;
  const valueWidth = Math.max(...ys.map((v) => textWidth(formatValue(v), 11)));
  const labelWidth = Math.min(maxSeriesLabel, Math.max(...drawn.map((s) => textWidth(s.label, 12))));
  const marginRight = 8 + valueWidth + 12 + 22 + 5 + labelWidth + 6;
  const x1 = CHART_WIDTH - marginRight;
  const inset = 24;
  const xAt = (i: number) => (categories.length <= 1 ? (x0 + x1) / 2 : x0 + inset + (i * (x1 - x0 - 2 * inset)) / (categories.length - 1));
  const yAt = (v: number) => top + ((yMax - v) / (yMax - yMin || 1)) * plotHeight;
  const height = y1 + 30;

  const parts: string[] = [svgOpen('trend', opts, height)];
  parts.push('<g class="axes">');
  for (const t of ticks.values) {
    const y = yAt(t);
    parts.push(`<line class="gridline" x1="${px(x0)}" y1="${px(y)}" x2="${px(x1)}" y2="${px(y)}" stroke="${CHART_COLORS.grid}"/>`);
    parts.push(svgText(x0 - 6, y + 4, tickText(t), { cls: 'tick-label', anchor: 'end', fill: CHART_COLORS.muted }));
  }
  const catWidth = categories.length <= 1 ? x1 - x0 : (x1 - x0 - 2 * inset) / (categories.length - 1);
  categories.forEach((c, i) => {
    parts.push(svgText(xAt(i), y1 + 18, fitText(c, Math.max(30, catWidth - 4), 12), { cls: 'tick-label x', anchor: 'middle', fill: CHART_COLORS.muted }, c));
  });
  parts.push(`<line class="axis" x1="${px(x0)}" y1="${px(y1)}" x2="${px(x1)}" y2="${px(y1)}" stroke="${CHART_COLORS.axis}"/>`);
  const yMid = top + plotHeight / 2;
  parts.push(svgText(16, yMid, fitText(opts.yLabel, plotHeight, 12), { cls: 'axis-label', anchor: 'middle', transform: `rotate(-90 16 ${px(yMid)})` }, opts.yLabel));
  if (opts.zeroLine && yMin <= 0 && yMax >= 0) {
    parts.push(`<line class="zero" x1="${px(x0)}" y1="${px(yAt(0))}" x2="${px(x1)}" y2="${px(yAt(0))}" stroke="#333333" stroke-width="1.2"/>`);
  }
  parts.push('</g>');

  const style = (index: number) => ({ color: SERIES_COLORS[index % SERIES_COLORS.length]!, dash: SERIES_DASHES[index % SERIES_DASHES.length]! });

  // Lines: one polyline per run of consecutive categories with a value.
  for (const s of drawn) {
    const { color, dash } = style(s.index);
    parts.push(`<g class="series" data-series="${s.index}">`);
    let run: { i: number; y: number }[] = [];
    const flush = () => {
      if (run.length >= 2) {
        const pts = run.map((p) => `${px(xAt(p.i))},${px(yAt(p.y))}`).join(' ');
        parts.push(`<polyline class="line" points="${pts}" fill="none" stroke="${color}" stroke-width="2.2"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linejoin="round"/>`);
      }
      run = [];
    };
    for (const p of s.points) {
      const prev = run[run.length - 1];
      if (prev && p.i !== prev.i + 1) flush();
      run.push(p);
    }
    flush();
    for (const p of s.points) {
      parts.push(`<circle class="point" cx="${px(xAt(p.i))}" cy="${px(yAt(p.y))}" r="3.5" fill="${color}" stroke="#FFFFFF" stroke-width="1"><title>${escapeXml(`${s.label}, ${categories[p.i]}: ${formatValue(p.y)}`)}</title></circle>`);
    }
    parts.push('</g>');
  }

  // Value labels right of each dot, moved off the line towards the next point (above it when the line
  // falls, below when it rises), and spread apart per category.
  parts.push('<g class="values">');
  categories.forEach((_, i) => {
    const here = drawn.flatMap((s) => s.points.filter((p) => p.i === i).map((p) => ({ s, y: p.y, next: s.points.find((q) => q.i === i + 1) })));
    if (here.length === 0) return;
    const offset = (h: (typeof here)[number]) => (h.next === undefined || Math.abs(yAt(h.next.y) - yAt(h.y)) < 4 ? 0 : yAt(h.next.y) < yAt(h.y) ? 8 : -7);
    const ys2 = spread(here.map((h) => yAt(h.y) + 4 + offset(h)), 12, top + 4, y1 + 2);
    here.forEach((h, k) => {
      parts.push(svgText(xAt(i) + 6, ys2[k]!, formatValue(h.y), { cls: 'value', size: 11, halo: true, fill: CHART_COLORS.text }));
    });
  });
  parts.push('</g>');

  // Series names in the right margin, at the height of each line's last point.
  const labelX = x1 + 8 + valueWidth + 12;
  const ends = drawn.map((s) => yAt(s.points[s.points.length - 1]!.y));
  const labelYs = spread(ends, 15, top + 4, y1);
  parts.push('<g class="series-labels">');
  drawn.forEach((s, k) => {
    const { color, dash } = style(s.index);
    const y = labelYs[k]!;
    parts.push(`<line class="legend-swatch" x1="${px(labelX)}" y1="${px(y)}" x2="${px(labelX + 22)}" y2="${px(y)}" stroke="${color}" stroke-width="2.2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    parts.push(svgText(labelX + 27, y + 4, fitText(s.label, maxSeriesLabel, 12), { cls: 'series-label' }, s.label));
  });
  parts.push('</g>');
  parts.push('</svg>');
  return parts.join('');
}
