/**
 * The board report as one self-contained HTML file: inline CSS and SVG, no script, no network,
 * Swedish. Printed on A4 each main section starts a new page (a short one marked `continues` follows
 * the one before), a heading stays with what it introduces and a short table is never split; on a
 * narrow screen long paths wrap and a table is shown row by row, so nothing is ever clipped or
 * scrolls sideways. Every text shown is escaped.
 * A `--small-groups-only` report carries its notice under the title and under every section
 * heading; printed, also under every part heading and in the top margin of every page (where
 * the browser prints @page margin boxes).
 */
import { dumbbell, escapeXml, funnelPlot, shareBars, trendLines } from './charts.js';
import type { Block, Chart, DocSection, ReportDoc, Table } from './report-doc.js';

/** The trend charts' plot height: lower than a chart alone would have, so that four fit on a printed page. */
const TREND_PLOT_HEIGHT = 160;

/** A table with at most this many rows is kept on one printed page (a longer one breaks, its head repeated). */
const KEEP_ROWS = 16;

const CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --band: #f4f6f8; --accent: #0a4f8a; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; line-height: 1.45; -webkit-text-size-adjust: 100%; }
body { margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; overflow-wrap: break-word; }
h1 { font-size: 1.9rem; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 1.4rem; margin: 40px 0 8px; padding-top: 8px; border-top: 3px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 28px 0 6px; }
h1, h2, h3, p, li, caption { overflow-wrap: anywhere; }
.subtitle { color: var(--muted); margin: 0 0 20px; }
.findings { font-size: 1.05rem; padding-left: 1.4em; }
.findings li { margin: 0 0 10px; }
nav ol { columns: 2; padding-left: 1.4em; }
a { color: var(--accent); }
figure { margin: 12px 0 20px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figure svg { width: 100%; height: auto; display: block; }
.part { break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 20px; font-size: 0.92rem; break-inside: auto; }
table.keep { break-inside: avoid; }
tr { break-inside: avoid; }
caption { text-align: left; font-weight: 600; padding: 4px 0; break-after: avoid; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; overflow-wrap: break-word; }
thead th { background: var(--band); text-align: left; border-bottom: 2px solid #999; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th.num { white-space: normal; }
tbody th { text-align: left; font-weight: normal; }
tr.indent-1 th { padding-left: calc(8px + 1em); }
tr.indent-2 th { padding-left: calc(8px + 2em); }
tr.strong th, tr.strong td { font-weight: 700; }
td.hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.75rem; word-break: break-all; }
.note { color: var(--muted); border-left: 4px solid var(--rule); padding: 2px 10px; }
.write-part { break-inside: avoid; }
.write { border: 1px solid #999; border-radius: 4px; padding: 0 12px 12px; margin: 4px 0 20px; }
.write .line { height: 2.2em; border-bottom: 1px solid #c8c8c8; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.9rem; border-top: 1px solid var(--rule); padding-top: 8px; }
@media (max-width: 600px) {
  main { padding: 16px 12px 32px; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.2rem; }
  nav ol { columns: 1; }
  /* A table too wide for a phone is shown row by row: the name, then each figure with its column's name. */
  table.data, table.data caption, table.data tbody, table.data tr, table.data th, table.data td { display: block; width: auto; }
  table.data thead { display: none; }
  table.data tbody tr { border-bottom: 1px solid var(--rule); padding: 4px 0; }
  table.data tbody th { border: 0; padding: 2px 0; font-weight: 600; }
  table.data tr.indent-1, table.data tr.indent-2 { padding-left: 1em; }
  table.data tr.indent-1 th, table.data tr.indent-2 th { padding-left: 0; }
  table.data td { display: inline-block; border: 0; padding: 0 12px 0 0; text-align: left; white-space: normal; max-width: 100%; }
  table.data td::before { content: attr(data-label) ": "; color: var(--muted); font-weight: normal; }
  table.data td:empty { display: none; }
}
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  html { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section.main { break-before: page; }
  section.main[data-continues] { break-before: auto; }
  h2 { margin-top: 0; }
  section.main[data-continues] h2 { margin-top: 16px; }
  h2, h3, figcaption { break-after: avoid; }
  h1 { font-size: 1.6rem; }
  .subtitle { margin-bottom: 12px; }
  .findings { font-size: 0.95rem; margin: 8px 0; }
  .findings li { margin-bottom: 4px; }
  table { font-size: 0.85rem; }
  th, td { padding: 3px 6px; }
  section[data-appendix] table { font-size: 0.75rem; line-height: 1.25; margin-bottom: 14px; }
  section[data-appendix] th, section[data-appendix] td { padding: 2px 5px; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
}
`;

/** A CSS string literal: nothing in it can end the string or the style element. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/</g, '\\3c ').replace(/\r?\n/g, ' ')}"`;
}

/** The notice's styles; printed, also in the top margin of every page. */
function noticeCss(notice: string): string {
  return `.internal { color: #8a0010; border: 2px solid #8a0010; font-weight: 700; padding: 4px 10px; margin: 8px 0 12px; }
.internal.print-only { display: none; }
@media print {
  .internal.print-only { display: block; }
  @page { @top-center { content: ${cssString(notice)}; color: #8a0010; font-weight: 700; font-size: 9pt; } }
}
`;
}

function noticeHtml(notice: string | null, printOnly = false): string[] {
  return notice === null ? [] : [`<p class="internal${printOnly ? ' print-only' : ''}" role="note">${esc(notice)}</p>`];
}

function esc(text: string): string {
  return escapeXml(text);
}

/** Longer than this, a run of text with no space gets break opportunities (a path, a file name, a hash). */
const LONG_TOKEN = 16;

/** Long words of the report's column heads, with where they may be hyphenated on a narrow screen. */
const SOFT_HYPHENS: Readonly<Record<string, string>> = { procentenheter: 'procent\u00ADenheter', betygspoäng: 'betygs\u00ADpoäng', Anmärkning: 'Anmärk\u00ADning', Förändring: 'För\u00ADändring' };

/**
 * Text for a table cell that may wrap anywhere it needs to on a narrow page: after / \\ _ . , ; - and
 * a colon not followed by a digit (file:line stays whole) inside a long run of text with no space
 * (a path), and every LONG_TOKEN characters
 * where a run has no such mark, so nothing is clipped and no table is wider than its page. Names
 * and numbers keep their ordinary line breaks (they are not cut to make room); in a column head a
 * few long words may be hyphenated (soft hyphens). Escaped.
 */
function breakable(text: string, head = false): string {
  return text
    .split(/(\s+)/)
    .map((token) => {
      const word = head ? SOFT_HYPHENS[token.replace(/[()]/g, '')] : undefined;
      if (word) return esc(token.replace(/[^()]+/, word));
      if (token.length <= LONG_TOKEN) return esc(token);
      const pieces = token.split(/(?<=[/\\_.,;-])|(?<=:)(?!\d)/).flatMap((piece) => piece.match(new RegExp(`[^]{1,${LONG_TOKEN}}`, 'gu')) ?? []);
      return pieces.map(esc).join('<wbr>');
    })
    .join('');
}

function chartSvg(chart: Chart): string {
  const base = { id: chart.id, title: chart.title, desc: chart.desc, lang: 'sv' as const };
  switch (chart.type) {
    case 'shareBars':
      return shareBars(chart.rows, base);
    case 'dumbbell':
      return dumbbell(chart.rows, { ...base, fromLabel: chart.fromLabel, toLabel: chart.toLabel });
    case 'funnel':
      return funnelPlot(chart.points, { ...base, xLabel: chart.xLabel, yLabel: chart.yLabel });
    case 'trend':
      return trendLines(chart.series, { ...base, yLabel: chart.yLabel, yFormat: chart.yFormat, zeroLine: chart.zeroLine, categories: chart.categories, plotHeight: TREND_PLOT_HEIGHT });
  }
}

/** A short table is kept on one printed page; a long one may break between rows. */
function tableHtml(table: Table): string {
  const text = new Set(table.textColumns ?? []);
  const strong = new Set(table.strong ?? []);
  const cls = (index: number) => (index > 0 && !text.has(index) ? ' class="num"' : '');
  const head = table.head.map((cell, index) => `<th scope="col" role="columnheader"${cls(index)}>${breakable(cell, true)}</th>`).join('');
  // Each cell names its column (data-label): on a narrow screen a row is shown as "Högre: 23 %, Lika: …".
  const label = (index: number) => ` data-label="${esc(table.head[index] ?? '')}"`;
  const rows = table.rows
    .map((row, r) => {
      // A name indented by leading spaces (a school under its area) is indented by CSS, so it wraps as a whole.
      const first = row[0] ?? '';
      const depth = Math.min(2, Math.floor((first.length - first.trimStart().length) / 2));
      const cells = row
        .map((cell, index) => {
          if (index === 0) return `<th scope="row" role="rowheader">${breakable(cell.trimStart())}</th>`;
          if (/^[0-9a-f]{64}$/.test(cell)) return `<td class="hash" role="cell"${label(index)}>${esc(cell)}</td>`;
          return `<td${cls(index)} role="cell"${label(index)}>${text.has(index) ? breakable(cell) : esc(cell)}</td>`;
        })
        .join('');
      const classes = [...(strong.has(r) ? ['strong'] : []), ...(depth > 0 ? [`indent-${depth}`] : [])];
      return `<tr role="row"${classes.length > 0 ? ` class="${classes.join(' ')}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  const keep = table.rows.length <= KEEP_ROWS ? ' keep' : '';
  return `<table class="data${keep}" role="table">\n<caption>${esc(table.caption)}</caption>\n<thead><tr role="row">${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'chart':
      return `<figure data-chart-id="${esc(block.chart.id)}">\n<figcaption>${esc(block.chart.title)}</figcaption>\n${chartSvg(block.chart)}\n</figure>`;
    case 'table':
      return tableHtml(block.table);
    case 'text':
      return `<p>${esc(block.text)}</p>`;
    case 'note':
      return `<p class="note">${esc(block.text)}</p>`;
    case 'write':
      // Ruled lines as elements, not a background: browsers leave backgrounds out when printing.
      return `<div class="write-part">\n<p>${esc(block.prompt)}</p>\n<div class="write" role="group" aria-label="${esc(block.label)}">${'<div class="line"></div>'.repeat(Math.max(1, block.lines))}</div>\n</div>`;
  }
}

/**
 * A section; each sub-section's heading is printed together with its first block (a chart or a
 * short table), so no heading is left alone at the foot of a page.
 */
function sectionHtml(section: DocSection, notice: string | null, appendix: boolean): string {
  const data = `${section.continues ? ' data-continues' : ''}${appendix ? ' data-appendix' : ''}`;
  const out = [`<section class="main"${data} id="${esc(section.id)}" aria-labelledby="${esc(section.id)}-h">`, `<h2 id="${esc(section.id)}-h">${esc(section.heading)}</h2>`, ...noticeHtml(notice)];
  for (const block of section.blocks) out.push(blockHtml(block));
  for (const part of section.parts ?? []) {
    const [first, ...rest] = part.blocks;
    // A long table may break, so it is not kept with the heading (the heading's break-after still holds).
    const keep = first !== undefined && !(first.kind === 'table' && first.table.rows.length > KEEP_ROWS);
    out.push(keep ? '<div class="part">' : '', `<h3>${esc(part.heading)}</h3>`, ...noticeHtml(notice, true));
    if (first) out.push(blockHtml(first));
    if (keep) out.push('</div>');
    for (const block of rest) out.push(blockHtml(block));
  }
  out.push('</section>');
  return out.filter((line) => line !== '').join('\n');
}

export function renderReportHtml(doc: ReportDoc): string {
  const all = [...doc.sections, ...doc.appendix];
  const nav = all.map((section) => `<li><a href="#${esc(section.id)}">${esc(section.heading)}</a></li>`).join('\n');
  const findings = doc.findings.length > 0 ? doc.findings.map((finding) => `<li>${esc(finding)}</li>`).join('\n') : '<li>Inga grupper skiljer sig tydligt från resten av kommunen.</li>';
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.title)}</title>
<style>${CSS}${doc.notice === null ? '' : noticeCss(doc.notice)}</style>
</head>
<body>
<main>
<header>
<h1>${esc(doc.title)}</h1>
<p class="subtitle">${esc(doc.subtitle)}</p>
${noticeHtml(doc.notice).map((line) => `${line}\n`).join('')}</header>
<section id="sammanfattning" aria-labelledby="sammanfattning-h">
<h2 id="sammanfattning-h">Det viktigaste</h2>
<ol class="findings">
${findings}
</ol>
<nav aria-label="Innehåll">
<ol>
${nav}
</ol>
</nav>
</section>
${[...doc.sections.map((section) => sectionHtml(section, doc.notice, false)), ...doc.appendix.map((section) => sectionHtml(section, doc.notice, true))].join('\n')}
<footer>
${doc.sources.map((line) => `<p>${esc(line)}</p>`).join('\n')}
</footer>
</main>
</body>
</html>
`;
}
