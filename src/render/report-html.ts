/**
 * The board report as one self-contained HTML file: inline CSS and SVG, no script, no network,
 * Swedish, printable (each main section starts a new page). Every text shown is escaped.
 * A `--small-groups-only` report carries its notice under the title and under every section
 * heading; printed, also under every part heading and in the top margin of every page (where
 * the browser prints @page margin boxes).
 */
import { dumbbell, escapeXml, funnelPlot, shareBars, trendLines } from './charts.js';
import type { Block, Chart, DocSection, ReportDoc, Table } from './report-doc.js';

const CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --band: #f4f6f8; --accent: #0a4f8a; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; line-height: 1.45; }
body { margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.9rem; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 1.4rem; margin: 40px 0 8px; padding-top: 8px; border-top: 3px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 28px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 20px; }
.findings { font-size: 1.05rem; padding-left: 1.4em; }
.findings li { margin: 0 0 10px; }
nav ol { columns: 2; padding-left: 1.4em; }
a { color: var(--accent); }
figure { margin: 12px 0 20px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figure svg { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 20px; font-size: 0.92rem; break-inside: auto; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th { background: var(--band); text-align: left; border-bottom: 2px solid #999; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { text-align: left; font-weight: normal; white-space: pre; }
tr.strong th, tr.strong td { font-weight: 700; }
td.hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.75rem; word-break: break-all; }
.note { color: var(--muted); border-left: 4px solid var(--rule); padding: 2px 10px; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.9rem; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  main { max-width: none; padding: 0; }
  section.main { break-before: page; }
  h2, h3 { break-after: avoid; }
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

function chartSvg(chart: Chart): string {
  const base = { id: chart.id, title: chart.title, desc: chart.desc, lang: 'sv' as const };
  switch (chart.type) {
    case 'shareBars':
      return shareBars(chart.rows, base);
    case 'dumbbell':
      return dumbbell(chart.rows, { ...base, fromLabel: chart.fromLabel, toLabel: chart.toLabel });
    case 'funnel':
      return funnelPlot(chart.points, chart.limits, { ...base, xLabel: chart.xLabel, yLabel: chart.yLabel });
    case 'trend':
      return trendLines(chart.series, { ...base, yLabel: chart.yLabel, yFormat: chart.yFormat, zeroLine: chart.zeroLine, categories: chart.categories });
  }
}

function tableHtml(table: Table): string {
  const text = new Set(table.textColumns ?? []);
  const strong = new Set(table.strong ?? []);
  const cls = (index: number) => (index > 0 && !text.has(index) ? ' class="num"' : '');
  const head = table.head.map((cell, index) => `<th scope="col"${cls(index)}>${esc(cell)}</th>`).join('');
  const rows = table.rows
    .map((row, r) => {
      const cells = row
        .map((cell, index) => {
          if (index === 0) return `<th scope="row">${esc(cell)}</th>`;
          const hash = /^[0-9a-f]{64}$/.test(cell) ? ' class="hash"' : cls(index);
          return `<td${hash}>${esc(cell)}</td>`;
        })
        .join('');
      return `<tr${strong.has(r) ? ' class="strong"' : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<table>\n<caption>${esc(table.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
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
  }
}

function sectionHtml(section: DocSection, notice: string | null): string {
  const out = [`<section class="main" id="${esc(section.id)}" aria-labelledby="${esc(section.id)}-h">`, `<h2 id="${esc(section.id)}-h">${esc(section.heading)}</h2>`, ...noticeHtml(notice)];
  for (const block of section.blocks) out.push(blockHtml(block));
  for (const part of section.parts ?? []) {
    out.push(`<h3>${esc(part.heading)}</h3>`, ...noticeHtml(notice, true));
    for (const block of part.blocks) out.push(blockHtml(block));
  }
  out.push('</section>');
  return out.join('\n');
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
${all.map((section) => sectionHtml(section, doc.notice)).join('\n')}
<footer>
${doc.sources.map((line) => `<p>${esc(line)}</p>`).join('\n')}
</footer>
</main>
</body>
</html>
`;
}
