/**
 * The board report as Markdown: the same findings and tables as the HTML, for pasting into a
 * document. Charts are named (they are in the HTML version); their figures are in the tables.
 */
import type { Block, DocSection, ReportDoc, Table } from './report-doc.js';
import { visible } from '../normalise/text.js';

/**
 * A table cell or a line of text: no raw HTML, no table breaks, no stray emphasis, no control characters.
 * @internal (also used by tests)
 */
export function mdText(text: string): string {
  return visible(text.replace(/\r?\n/g, ' ')).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/([*_`[\]])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** The placeholder of a section for the reader's own text. */
const WRITE_HERE = '_(Skriv skolans text här.)_';

function tableMd(table: Table): string {
  const text = new Set(table.textColumns ?? []);
  const strong = new Set(table.strong ?? []);
  const align = table.head.map((_, index) => (index > 0 && !text.has(index) ? '---:' : '---'));
  const lines = [`**${mdText(table.caption)}**`, '', `| ${table.head.map(mdText).join(' | ')} |`, `| ${align.join(' | ')} |`];
  table.rows.forEach((row, r) => {
    const cells = row.map((cell, index) => {
      const value = mdText(index === 0 ? cell.trim() : cell);
      const indented = index === 0 && /^\s+/.test(cell) ? `&nbsp;&nbsp;${value}` : value;
      return strong.has(r) && value !== '' ? `**${indented}**` : indented;
    });
    lines.push(`| ${cells.join(' | ')} |`);
  });
  return lines.join('\n');
}

function blockMd(block: Block): string {
  switch (block.kind) {
    case 'chart':
      return `*Diagram i HTML-versionen: ${mdText(block.chart.title)}.*`;
    case 'table':
      return tableMd(block.table);
    case 'text':
      return mdText(block.text);
    case 'note':
      return `> ${mdText(block.text)}`;
    case 'write':
      return `${mdText(block.prompt)}\n\n${WRITE_HERE}`;
  }
}

function sectionMd(section: DocSection): string {
  const out = [`## ${mdText(section.heading)}`];
  for (const block of section.blocks) out.push(blockMd(block));
  for (const part of section.parts ?? []) {
    out.push(`### ${mdText(part.heading)}`);
    for (const block of part.blocks) out.push(blockMd(block));
  }
  return out.join('\n\n');
}

export function renderReportMarkdown(doc: ReportDoc): string {
  const findings = doc.findings.length > 0 ? doc.findings.map((finding, index) => `${index + 1}. ${mdText(finding)}`).join('\n') : '1. Inga grupper skiljer sig tydligt från resten av kommunen.';
  const notice = doc.notice === null ? [] : [`> **${mdText(doc.notice)}**`];
  const parts = [`# ${mdText(doc.title)}`, ...notice, mdText(doc.subtitle), '## Det viktigaste', findings, ...[...doc.sections, ...doc.appendix].map(sectionMd), '---', ...doc.sources.map(mdText)];
  return `${parts.join('\n\n')}\n`;
}
