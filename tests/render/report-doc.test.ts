/**
 * The board report on the demo data, as the board reads it: what changed comes first, the full
 * trend tables are in an appendix, every change agrees with the figures beside it, the funnel
 * puts every school in the band its marker and its Tratt cell say, and the units are named.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../cli/run.js';

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '-q'];

let md = '';
let html = '';

beforeAll(async () => {
  const [m, h] = await Promise.all([runIn(['report', ...DEMO, '--format', 'md']), runIn(['report', ...DEMO])]);
  expect(m.status).toBe(0);
  expect(h.status).toBe(0);
  md = m.stdout;
  html = h.stdout;
}, 60_000);

interface MdTable {
  caption: string;
  head: string[];
  rows: string[][];
}

/** Every Markdown table with its bold caption line, cells unescaped of the report's emphasis and indent. */
function tables(text: string): MdTable[] {
  const out: MdTable[] = [];
  const lines = text.split('\n');
  const cells = (line: string) => line.slice(2, -2).split(' | ').map((cell) => cell.replace(/^\*\*(.*)\*\*$/, '$1').replace(/^(?:&nbsp;)+/, '').trim());
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('| ') || !lines[i + 1]?.startsWith('| ---') && !lines[i + 1]?.startsWith('| ---:')) continue;
    const caption = (lines[i - 2] ?? '').replace(/^\*\*(.*)\*\*$/, '$1');
    const head = cells(lines[i]!);
    const rows: string[][] = [];
    for (i += 2; i < lines.length && lines[i]!.startsWith('| '); i++) rows.push(cells(lines[i]!));
    out.push({ caption, head, rows });
  }
  return out;
}

/** "33 %", "+5", "−8", "0" → the number shown; anything else null. */
function shown(cell: string): number | null {
  const m = /^([+−]?\d+(?:,\d+)?)(?: %)?$/.exec(cell);
  return m ? Number(m[1]!.replace('−', '-').replace(',', '.')) : null;
}

describe('the board report on the demo data', () => {
  it('leads with the findings and what changed since last year, and puts the full trend tables in an appendix', () => {
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    expect(headings[0]).toBe('Det viktigaste');
    expect(headings[1]).toBe('Förändring sedan förra läsåret');
    const at = (prefix: string) => headings.findIndex((h) => h.startsWith(prefix));
    expect(at('Betyg jämfört med nationella prov')).toBeGreaterThan(1);
    expect(at('Över läsåren')).toBeGreaterThan(at('Från åk 5 till åk 6'));
    expect(at('Bilaga: trender per läsår')).toBe(headings.length - 2);
    expect(at('Bilaga: vad som lästes')).toBe(headings.length - 1);
    const appendix = md.indexOf('## Bilaga: trender per läsår');
    const trendTables = tables(md).filter((t) => t.caption.includes('per läsår'));
    // 15 grade level × subject strata and 4 år 5 → 6 subjects, each a table, all in the appendix.
    expect(trendTables).toHaveLength(19);
    for (const t of trendTables) expect(md.indexOf(`**${t.caption}**`), t.caption).toBeGreaterThan(appendix);
    // "Över läsåren" draws only the subjects where something changed clearly, and names the rest.
    const over = md.slice(md.indexOf('## Över läsåren'), appendix);
    const charts = [...over.matchAll(/^\*Diagram i HTML-versionen: (.+)\.\*$/gm)].map((m) => m[1]!);
    expect(charts.length).toBeGreaterThan(0);
    expect(charts.length).toBeLessThan(trendTables.length);
    expect(over).toMatch(/Ingen sådan förändring i andelen högre betyg i [^.]*engelska åk 6/);
  });

  it('lists the clear changes since last year near the top, each as the figures beside it give it', () => {
    const section = md.slice(md.indexOf('## Förändring sedan förra läsåret'), md.indexOf('## Betyg jämfört med nationella prov'));
    expect(section).toMatch(/Sedan 2023\/24 har statistiskt säkert \(95 %\) ändrats: \d+ av \d+ grupper i andelen med högre betyg än provbetyg \(slumpen ensam ger omkring \d+\) och \d+ av \d+ grupper i skillnaden mellan godkänt i åk 5 och åk 6 \(slumpen ensam ger omkring \d+\)\./);
    const changes = tables(section);
    expect(changes.length).toBeGreaterThan(0);
    for (const t of changes) {
      expect(t.head).toEqual(['Enhet', 'Ämne', '2023/24', '2024/25', 'Förändring (procentenheter)']);
      for (const row of t.rows) {
        expect(row[4], row.join(' | ')).toMatch(/[▲▼]$/);
        expect(shown(row[4]!.replace(/[▲▼]$/, '')), row.join(' | ')).toBe(shown(row[3]!)! - shown(row[2]!)!);
      }
    }
  });

  it('gives in every trend table a change that the two figures before it add up to, in procentenheter', () => {
    let checked = 0;
    for (const t of tables(md).filter((table) => table.caption.includes('per läsår'))) {
      const change = t.head.indexOf('Förändring (procentenheter)');
      expect(change, t.caption).toBeGreaterThan(2);
      for (const row of t.rows) {
        const cell = row[change]!.replace(/[▲▼]$/, '');
        if (cell === '') continue;
        const [before, after] = [shown(row[change - 2]!), shown(row[change - 1]!)];
        expect(before, row.join(' | ')).not.toBeNull();
        expect(shown(cell), `${t.caption}: ${row.join(' | ')}`).toBe(after! - before!);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('says in the Tratt column which side and which limit, and puts each school of the funnel in the band its marker and its row say', () => {
    const words = new Set(['', '..', 'inom', 'högre, utanför 95 %', 'lägre, utanför 95 %', 'högre, utanför 99,8 %', 'lägre, utanför 99,8 %']);
    const gapTables = tables(md).filter((t) => t.head.includes('Tratt'));
    expect(gapTables.length).toBeGreaterThan(10);
    const flagged = { 6: new Map<string, number>(), 9: new Map<string, number>() };
    for (const t of gapTables) {
      const tratt = t.head.indexOf('Tratt');
      const level = / åk (\d)/.exec(t.caption)?.[1] as '6' | '9';
      for (const row of t.rows) {
        expect(words.has(row[tratt]!), row.join(' | ')).toBe(true);
        // School rows only (the funnel draws schools): not the municipality, not the areas.
        if (['Kommunen', 'Norra', 'Södra', 'Östra'].includes(row[0]!) || row[tratt] === '' || row[tratt] === '..') continue;
        const cls = { inom: 'within', 'högre, utanför 95 %': 'above-95', 'lägre, utanför 95 %': 'below-95', 'högre, utanför 99,8 %': 'above-998', 'lägre, utanför 99,8 %': 'below-998' }[row[tratt]!]!;
        flagged[level].set(cls, (flagged[level].get(cls) ?? 0) + 1);
      }
    }
    expect(md).not.toMatch(/(?:över|under) (?:95|99,8) %/);
    for (const level of [6, 9] as const) {
      const svg = new RegExp(`<svg[^>]*aria-labelledby="funnel-${level}-title[\\s\\S]*?</svg>`).exec(html)?.[0] ?? '';
      const line = (cls: string) => Number(new RegExp(`<line class="${cls}" x1="[\\d.]+" y1="([\\d.]+)"`).exec(svg)![1]);
      const [u998, u95, l95, l998] = [line('limit-998 upper'), line('limit-95 upper'), line('limit-95 lower'), line('limit-998 lower')];
      const marks = new Map<string, number>();
      for (const m of svg.matchAll(/<circle class="point ([\w-]+)" data-point="\d+" cx="[\d.]+" cy="([\d.]+)"/g)) {
        const cy = Number(m[2]);
        const band = cy < u998 ? 'above-998' : cy < u95 ? 'above-95' : cy > l998 ? 'below-998' : cy > l95 ? 'below-95' : 'within';
        expect(m[1], `åk ${level}`).toBe(band);
        marks.set(band, (marks.get(band) ?? 0) + 1);
      }
      expect(marks, `åk ${level}`).toEqual(flagged[level]);
    }
  });

  it('names its units: procentenheter for differences of shares, in the singular for one, never "%"', () => {
    expect(md).not.toMatch(/(?:^|[^\d,])[+−]?1 procentenheter/m);
    expect(html).not.toMatch(/(?:^|[^\d,])[+−]?1 procentenheter/m);
    // The år 5 → 6 trend charts: a difference in procentenheter, ticks and values without "%".
    const transitionCharts = [...html.matchAll(/<svg[^>]*aria-labelledby="trend-transition-[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(transitionCharts.length).toBeGreaterThan(0);
    for (const svg of transitionCharts) {
      expect(svg).toContain('>Skillnad (procentenheter)</text>');
      expect(svg).not.toMatch(/%<\/text>/);
    }
  });
});
