/**
 * Tables that fit the terminal (text-table.ts) and prose wrapped at spaces (format.ts), on tiny
 * inline tables: which columns a width keeps, in which order they give way, and that nothing is
 * ever cut but a group name, with "…".
 */
import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/render/format.js';
import { displayWidth, planTables, renderBlocks, resolveColumns, TextTable, type ColumnSpec, type TableLayout } from '../../src/render/text-table.js';

const COLUMNS: ColumnSpec[] = [
  { key: 'group', head: 'Grupp', priority: 0, shorten: true },
  { key: 'n', head: 'Elever', align: 'right', priority: 0 },
  { key: 'higher', head: 'Högre', align: 'right', priority: 2 },
  { key: 'lower', head: 'Lägre', align: 'right', priority: 2 },
  { key: 'mean', head: 'Medeldiff (95 % KI)', align: 'right' },
  { key: 'std', head: 'Std-diff', align: 'right', priority: 1 },
  { key: 'note', head: 'Anmärkning', priority: 3, wrap: 'words' },
];

function table(rows: readonly string[][] = ROWS): TextTable {
  const t = new TextTable({ columns: COLUMNS });
  for (const row of rows) t.push(row);
  return t;
}

const ROWS = [
  ['Totalt', '388', '14 %', '9 %', '+0,5 [0,2; 0,7]', '', ''],
  ['  Strandvägens skola', '44', '2 %', '5 %', '−0,1 [−0,7; 0,6]', '−0,6', ''],
  ['  Östervångsskolan', '..', '..', '..', '..', '..', 'dold för att skydda en liten grupp'],
];

const render = (layout: TableLayout, tables: TextTable[] = [table()]) => renderBlocks(tables, layout, (shown, total) => [`NOTE ${shown}/${total}`]).join('\n');
const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));
const header = (text: string) => text.split('\n')[1] ?? '';

describe('fitting a table to the width', () => {
  it('wide: every column, exactly as toString draws it, and no note', () => {
    const text = render({ mode: 'wide', width: 40 });
    expect(text).toBe(table().toString());
    expect(header(text)).toContain('Medeldiff (95 % KI)');
    expect(text).not.toContain('NOTE');
  });

  it('fit, room enough: the default columns only (never the ones without a priority), and the note under the table', () => {
    const text = render({ mode: 'fit', width: 200 });
    expect(header(text)).toBe('│ Grupp                │ Elever │ Högre │ Lägre │ Std-diff │ Anmärkning                         │');
    expect(text).not.toContain('Medeldiff');
    expect(text.split('\n').at(-1)).toBe('NOTE 6/7');
  });

  it('drops the least important first, and columns of one priority together (Högre and Lägre)', () => {
    // 22 + 6 + 8 + 3·3 + 1 = 46: group, n and Std-diff; Högre/Lägre would need 16 more.
    const text = render({ mode: 'fit', width: 50 });
    expect(header(text)).toBe('│ Grupp                │ Elever │ Std-diff │');
    expect(widest(text)).toBeLessThanOrEqual(50);
    expect(text).toContain('NOTE 3/7');
  });

  it('keeps a later column that fits when an earlier one does not', () => {
    const t = new TextTable({
      columns: [COLUMNS[0]!, { key: 'wide', head: 'Bred', priority: 1 }, { key: 'small', head: 'Liten', priority: 2 }],
    });
    t.push(['Norra', 'x'.repeat(30), 'ja']);
    // Group 5 + "Liten" 5 + borders 7 = 17; the 30-wide column would make it 50.
    const laidOut = planTables([t], { mode: 'fit', width: 40 });
    expect([...(laidOut.plan?.widths.keys() ?? [])]).toEqual(['group', 'small']);
    expect([laidOut.shown, laidOut.total]).toEqual([2, 3]);
  });

  it('wraps a note at spaces rather than leaving it out, never below 16 columns', () => {
    // Everything but the note takes 20 + 6 + 5 + 5 + 8 + 6·3 + 1 = 63; the note gets the other 19.
    const text = render({ mode: 'fit', width: 82 });
    expect(text).toContain('│ dold för att skydda │');
    expect(text).toContain('│ en liten grupp      │');
    expect(widest(text)).toBe(82);
    for (const line of text.split('\n')) expect(line).not.toMatch(/skyd\s*│\s*$/);
  });

  it('wraps long headings onto two lines before leaving a column out', () => {
    const t = new TextTable({ columns: [COLUMNS[0]!, { key: 'n', head: 'Elever 2024/25', align: 'right', priority: 1 }] });
    t.push(['Norra', '138']);
    // One line: 5 + 14 + 7 = 26; two lines: 5 + 7 + 7 = 19.
    const text = render({ mode: 'fit', width: 20 }, [t]);
    expect(text.split('\n').slice(1, 3)).toEqual(['│ Grupp │  Elever │', '│       │ 2024/25 │']);
    expect(text).toContain('│ Norra │     138 │');
    // A part in brackets stays together.
    const mean = new TextTable({ columns: [COLUMNS[0]!, { key: 'mean', head: 'Medeldiff (95 % KI)', align: 'right' }] });
    mean.push(['Norra', '+0,5']);
    expect(render({ mode: 'pick', keys: ['mean'], width: 22 }, [mean]).split('\n').slice(1, 3)).toEqual(['│ Grupp │ Medeldiff │', '│       │ (95 % KI) │']);
  });

  it('shortens group names with "…" only when the required columns do not fit, keeping the indentation', () => {
    const text = render({ mode: 'fit', width: 25 });
    expect(header(text)).toBe('│ Grupp        │ Elever │');
    expect(text).toContain('│   Strandväg… │');
    expect(text).toContain('│ Totalt       │');
    expect(text).toContain('│   Östervång… │     .. │');
    expect(widest(text)).toBe(25);
    // Never below 12 columns: a terminal narrower than that gets a table wider than itself.
    expect(render({ mode: 'fit', width: 10 })).toContain('│   Strandväg… │');
  });

  it('keeps the paint of a shortened or wrapped cell on every line', () => {
    const t = table([['\u001b[1m  Strandvägens skola\u001b[22m', '44', '', '', '', '', '\u001b[2mdold för att skydda en liten grupp\u001b[22m']]);
    const text = render({ mode: 'fit', width: 28 }, [t]);
    expect(text).toContain('│ \u001b[1m  Strandvägens…\u001b[22m │');
    const wrapped = render({ mode: 'pick', keys: ['note'], width: 46 }, [t]);
    expect(wrapped).toContain('\u001b[2mdold för att skydda\u001b[22m');
    expect(wrapped).toContain('\u001b[2men liten grupp\u001b[22m');
  });

  it('lays out all of a report\'s tables alike: the same columns at the same widths', () => {
    const other = new TextTable({ columns: COLUMNS.slice(0, 6) });
    other.push(['Kort', '1', '1 %', '1 %', '+0,1', '+0,1']);
    const text = render({ mode: 'fit', width: 100 }, [table(), other]);
    const rules = text.split('\n').filter((line) => line.startsWith('┌'));
    expect(rules).toHaveLength(2);
    expect(rules[1]).toBe(rules[0]!.replace(/┬─+┐$/, '┐'));
    expect(text.split('\n').filter((line) => line.startsWith('NOTE'))).toEqual(['NOTE 6/7']);
  });

  it('pick: the columns named, in the table\'s order, the group always; no note; a file (no width) is not fitted', () => {
    const text = render({ mode: 'pick', keys: ['mean', 'n'], width: 100 });
    expect(header(text)).toBe('│ Grupp                │ Elever │ Medeldiff (95 % KI) │');
    expect(text).not.toContain('NOTE');
    expect(header(render({ mode: 'pick', keys: ['note'], width: null }))).toBe('│ Grupp                │ Anmärkning                         │');
  });

  it('breaks a "parts" cell between its parts, never inside one', () => {
    const t = new TextTable({ columns: [COLUMNS[0]!, { key: 'streak', head: 'Samma riktning', priority: 1, wrap: 'parts' }] });
    t.push(['Solåsens skola', '3 år i rad högre än proven; 3 år i rad över kommunen']);
    const text = render({ mode: 'fit', width: 52 }, [t]);
    expect(text).toMatch(/│ Solåsens skola │ 3 år i rad högre än proven; +│\n│ +│ 3 år i rad över kommunen +│/);
    expect(render({ mode: 'fit', width: 48 }, [t])).toContain('│ Solåsens skola │ 3 år i rad högre än proven; │');
  });

  it('every line fits every width from 30 columns up (the table is never wider than the width)', () => {
    for (let width = 30; width <= 160; width++) expect(widest(render({ mode: 'fit', width })), String(width)).toBeLessThanOrEqual(width);
  });
});

describe('--columns', () => {
  const names = [
    { key: 'higher', names: ['Högre', 'Higher', 'share_higher'] },
    { key: 'std_gap', names: ['Std-diff', 'Std diff'] },
    { key: 'note', names: ['Anmärkning', 'Note'] },
  ];

  it('takes keys, headings in either language, with or without å/ä/ö, in any case', () => {
    expect(resolveColumns('higher, STD-DIFF,anmarkning', names)).toEqual({ keys: ['higher', 'std_gap', 'note'], unknown: [] });
    expect(resolveColumns('Högre,share_higher,std diff', names)).toEqual({ keys: ['higher', 'std_gap'], unknown: [] });
  });

  it('names the words that are no column', () => {
    expect(resolveColumns('higher,planet', names)).toEqual({ keys: ['higher'], unknown: ['planet'] });
  });
});

describe('prose wrapped at spaces', () => {
  it('never breaks inside a word, and a word longer than the width stays whole', () => {
    const lines = wrapText('Se fixtures/demo/exports/nationella_prov_ak6.csv:3346 och rättelsen.', 20);
    expect(lines).toEqual(['Se', 'fixtures/demo/exports/nationella_prov_ak6.csv:3346', 'och rättelsen.']);
  });

  it('keeps "95 %", "p < 0,05" and "1 − α" together, and each line within the width', () => {
    const text = 'utanför 95 %-gränserna där p < 0,05 och nivån 1 − α gäller för alla grupper i kommunen';
    for (let width = 16; width < 60; width++) {
      const lines = wrapText(text, width);
      expect(lines.join(' ')).toBe(text);
      for (const line of lines) {
        expect(line).not.toMatch(/^%|^<|^−|^0,05|^α| [<−=]$/);
        expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      }
    }
  });

  it('indents a continuation as its line, plus the hang; colour codes take no width; null leaves it be', () => {
    expect(wrapText('  Norra: bedömningarna i åk 5 godkänner färre elever', 30, 2)).toEqual(['  Norra: bedömningarna i åk 5', '    godkänner färre elever']);
    expect(wrapText('\u001b[2mett två tre\u001b[22m', 7)).toEqual(['\u001b[2mett två', 'tre\u001b[22m']);
    expect(wrapText('a b\nc', null)).toEqual(['a b', 'c']);
  });
});
