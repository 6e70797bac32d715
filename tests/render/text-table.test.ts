import { describe, expect, it } from 'vitest';
import { displayWidth, TextTable } from '../../src/render/text-table.js';

describe('TextTable', () => {
  it('draws a box with aligned columns, ignoring colour codes in widths', () => {
    const table = new TextTable({ head: ['Grupp', 'Elever'], colAligns: ['left', 'right'] });
    table.push(['Östra', '\u001b[33m12\u001b[39m']);
    table.push(['  Ån', '3']);
    expect(table.toString()).toBe(
      ['┌───────┬────────┐', '│ Grupp │ Elever │', '├───────┼────────┤', '│ Östra │     \u001b[33m12\u001b[39m │', '│   Ån  │      3 │', '└───────┴────────┘'].join('\n'),
    );
  });

  it('measures display width without ANSI codes', () => {
    expect(displayWidth('\u001b[1mhögre ▲\u001b[22m')).toBe(7);
  });

  it('renders thousands of rows quickly (linear, unlike cli-table3)', () => {
    const table = new TextTable({ head: ['a', 'b'] });
    for (let i = 0; i < 20000; i++) table.push([`row ${i}`, String(i)]);
    expect(table.toString().split('\n')).toHaveLength(20004);
  });
});
