/**
 * A plain box-drawing table for the terminal. Written here rather than taken from cli-table3,
 * whose rendering time grows faster than the number of rows (5 000 rows took 8 s), which a
 * city-sized report reaches easily. Cells may hold ANSI colour codes; widths ignore them.
 * Every character we print (å, ä, ö, −, ▲, ▼, κ) is one column wide.
 */
export type Align = 'left' | 'right';

const ANSI = /\u001b\[[0-9;]*m/g;

/** @internal (also used by tests) */
export function displayWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export class TextTable {
  private readonly rows: string[][] = [];

  constructor(private readonly options: { head: readonly string[]; colAligns?: readonly Align[] }) {}

  push(row: readonly string[]): void {
    this.rows.push([...row]);
  }

  toString(): string {
    const { head } = this.options;
    const columns = head.length;
    const widths = head.map((cell) => displayWidth(cell));
    for (const row of this.rows) {
      for (let i = 0; i < columns; i++) widths[i] = Math.max(widths[i] ?? 0, displayWidth(row[i] ?? ''));
    }
    const align = (text: string, i: number): string => {
      const pad = ' '.repeat((widths[i] ?? 0) - displayWidth(text));
      return this.options.colAligns?.[i] === 'right' ? pad + text : text + pad;
    };
    const line = (cells: readonly string[]) => `│ ${Array.from({ length: columns }, (_, i) => align(cells[i] ?? '', i)).join(' │ ')} │`;
    const rule = (left: string, middle: string, right: string) => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}`;
    const out = [rule('┌', '┬', '┐'), line(head), rule('├', '┼', '┤')];
    for (const row of this.rows) out.push(line(row));
    out.push(rule('└', '┴', '┘'));
    return out.join('\n');
  }
}
