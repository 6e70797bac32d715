/**
 * A plain box-drawing table for the terminal. Written here rather than taken from cli-table3,
 * whose rendering time grows faster than the number of rows (5 000 rows took 8 s), which a
 * city-sized report reaches easily. Cells may hold ANSI colour codes; widths ignore them.
 * Every character we print (å, ä, ö, −, ▲, ▼, κ) is one column wide.
 *
 * A report's tables are laid out together (`renderBlocks`), so that every table of a report shows
 * the same columns at the same widths. Three layouts:
 * - `wide`: every column, each table as wide as its cells (the layout before fitting existed;
 *   used for files written with -o).
 * - `fit`: the columns a reader needs first (those with a `priority`), fitted to the width: first
 *   long notes wrap onto more lines, then long headings onto two, then the least important columns
 *   are left out, and only when the required ones still do not fit are group names shortened
 *   with "…". A cell is never cut otherwise.
 * - `pick`: the columns the user named (--columns), fitted the same way but never left out.
 */
export type Align = 'left' | 'right';

const ANSI = /\u001b\[[0-9;]*m/g;

/** @internal (also used by tests) */
export function displayWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** One column: its stable key (for --columns), its heading, and how it may give way to a narrow terminal. */
export interface ColumnSpec {
  key: string;
  head: string;
  align?: Align;
  /**
   * Shown by default, and how important: 0 always, then 1, 2, … (columns of one number are kept or
   * left out together, e.g. Högre and Lägre). Without a priority: only with --wide or --columns.
   */
  priority?: number;
  /** The group column: its names may be shortened with "…" when nothing else makes the table fit. */
  shorten?: boolean;
  /**
   * Its cells may take more than one line: `words` breaks at any space (notes), `parts` only
   * between the "; "-separated parts of a cell (each part stays on one line).
   */
  wrap?: 'words' | 'parts';
}

/** How a report's tables are laid out; `width`: where prose is wrapped (null: not wrapped). */
export type TableLayout =
  | { mode: 'wide'; width: number | null }
  | { mode: 'fit'; width: number }
  | { mode: 'pick'; keys: readonly string[]; width: number | null };

/** The layout of a report written to a file: every column, nothing wrapped (as before fitting). */
export const WIDE: TableLayout = { mode: 'wide', width: null };

export class TextTable {
  readonly columns: readonly ColumnSpec[];
  readonly rows: string[][] = [];

  constructor(options: { head: readonly string[]; colAligns?: readonly Align[] } | { columns: readonly ColumnSpec[] }) {
    this.columns =
      'columns' in options
        ? options.columns
        : options.head.map((head, i) => ({ key: String(i), head, align: options.colAligns?.[i] ?? 'left', priority: 0 }));
  }

  push(row: readonly string[]): void {
    this.rows.push([...row]);
  }

  /** Every column, as wide as its widest cell. */
  toString(): string {
    const widths = this.columns.map((column) => displayWidth(column.head));
    for (const row of this.rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i] ?? 0, displayWidth(row[i] ?? ''));
    return this.render({ widths: new Map(this.columns.map((column, i) => [column.key, widths[i] ?? 0])), wrapHeads: false });
  }

  /** The columns of the plan, at its widths. */
  render(plan: TablePlan): string {
    const shown = this.columns.map((column, i) => ({ column, i, width: plan.widths.get(column.key) })).filter((c): c is { column: ColumnSpec; i: number; width: number } => c.width !== undefined);
    const pad = (text: string, width: number, align: Align | undefined) => {
      const room = ' '.repeat(Math.max(0, width - displayWidth(text)));
      return align === 'right' ? room + text : text + room;
    };
    const lines = (cells: readonly string[][]): string[] => {
      const height = Math.max(1, ...cells.map((c) => c.length));
      const out: string[] = [];
      for (let line = 0; line < height; line++) out.push(`│ ${shown.map((c, k) => pad(cells[k]?.[line] ?? '', c.width, c.column.align)).join(' │ ')} │`);
      return out;
    };
    const rule = (left: string, middle: string, right: string) => `${left}${shown.map((c) => '─'.repeat(c.width + 2)).join(middle)}${right}`;
    const head = shown.map((c) => (plan.wrapHeads && displayWidth(c.column.head) > c.width ? packWords(headWords(c.column.head), c.width) : [c.column.head]));
    const out = [rule('┌', '┬', '┐'), ...lines(head), rule('├', '┼', '┤')];
    for (const row of this.rows) out.push(...lines(shown.map((c) => fitCell(row[c.i] ?? '', c.width, c.column))));
    out.push(rule('└', '┴', '┘'));
    return out.join('\n');
  }
}

/** Which columns are shown, and how wide; shared by all the tables of a report. */
export interface TablePlan {
  widths: ReadonlyMap<string, number>;
  wrapHeads: boolean;
}

/** A cell in a column of this width: as it is when it fits, else shortened or wrapped as its column allows. */
function fitCell(cell: string, width: number, column: ColumnSpec): string[] {
  if (displayWidth(cell) <= width) return [cell];
  const { open, text, close } = splitStyle(cell);
  if (column.shorten) return [`${open}${ellipsis(text, width)}${close}`];
  if (column.wrap) return wrapCell(text, width, column.wrap).map((line) => `${open}${line}${close}`);
  return [cell];
}

/** A cell's leading and trailing colour codes and its text (a cell is painted as a whole, if at all). */
function splitStyle(cell: string): { open: string; text: string; close: string } {
  const open = /^(?:\u001b\[[0-9;]*m)*/.exec(cell)?.[0] ?? '';
  const close = /(?:\u001b\[[0-9;]*m)*$/.exec(cell.slice(open.length))?.[0] ?? '';
  return { open, text: cell.slice(open.length, cell.length - close.length).replace(ANSI, ''), close };
}

/** "    Strandvägens skola" in 16 columns: "    Strandvägen…" (the indentation shows the level: kept while 3 letters fit). */
function ellipsis(text: string, width: number): string {
  const indent = /^ */.exec(text)?.[0] ?? '';
  const name = [...text.slice(indent.length)];
  const kept = width - indent.length - 1 >= 3 ? indent : '';
  return `${kept}${name.slice(0, Math.max(0, width - kept.length - 1)).join('').trimEnd()}…`;
}

/** A heading's words; a part in brackets is one ("Medeldiff", "(95 % KI)"). */
function headWords(head: string): string[] {
  return head.match(/\([^)]*\)|[^\s(]+/g) ?? [head];
}

/** Words packed into lines of at most `width`; a word wider than that stays whole on its own line. */
function packWords(words: readonly string[], width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of words.filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (displayWidth(line) + 1 + displayWidth(word) <= width) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out;
}

function wrapCell(text: string, width: number, how: 'words' | 'parts'): string[] {
  if (how === 'words') return packWords(text.split(' '), width);
  const parts = text.split('; ').map((part, i, all) => (i < all.length - 1 ? `${part};` : part));
  const out: string[] = [];
  for (const part of parts) {
    const last = out.length - 1;
    if (last >= 0 && displayWidth(out[last] ?? '') + 1 + displayWidth(part) <= width) out[last] = `${out[last]} ${part}`;
    else out.push(part);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Planning: which columns, how wide

/** A wrapped note column is never narrower than this (unless its cells are). */
const WRAP_FLOOR = 16;
/** Group names are never shortened below this. */
const GROUP_FLOOR = 12;

interface ColumnStats {
  spec: ColumnSpec;
  head: number;
  headWord: number;
  cell: number;
  /** The narrowest its cells can be wrapped to (wrap columns); else `cell`. */
  cellMin: number;
}

function statsOf(tables: readonly TextTable[]): ColumnStats[] {
  const stats = new Map<string, ColumnStats>();
  for (const table of tables) {
    table.columns.forEach((spec, i) => {
      const known = stats.get(spec.key);
      const s: ColumnStats = known ?? {
        spec,
        head: displayWidth(spec.head),
        headWord: Math.max(...headWords(spec.head).map(displayWidth)),
        cell: 0,
        cellMin: 0,
      };
      for (const row of table.rows) {
        const cell = row[i] ?? '';
        const width = displayWidth(cell);
        s.cell = Math.max(s.cell, width);
        if (spec.wrap === 'words') s.cellMin = Math.max(s.cellMin, ...cell.replace(ANSI, '').split(' ').map(displayWidth), Math.min(width, WRAP_FLOOR));
        else if (spec.wrap === 'parts') s.cellMin = Math.max(s.cellMin, ...cell.replace(ANSI, '').split('; ').map((part) => displayWidth(part) + 1));
      }
      if (!spec.wrap) s.cellMin = s.cell;
      stats.set(spec.key, s);
    });
  }
  // A parts cell of one part needs no room for the ";".
  for (const s of stats.values()) s.cellMin = Math.min(s.cellMin, s.cell);
  return [...stats.values()];
}

const total = (widths: Iterable<number>): number => {
  let sum = 1;
  for (const width of widths) sum += width + 3;
  return sum;
};

/**
 * Widths for these columns within `limit` (null: no limit): each as wide as its cells, the
 * wrapping columns narrowed as far as their cells allow; null when that is still too wide.
 */
function fitWidths(columns: readonly ColumnStats[], limit: number | null, wrapHeads: boolean): Map<string, number> | null {
  const widths = new Map(columns.map((s) => [s.spec.key, Math.max(s.cell, wrapHeads ? s.headWord : s.head)]));
  if (limit === null) return widths;
  let excess = total(widths.values()) - limit;
  for (const s of columns) {
    if (excess <= 0) break;
    if (!s.spec.wrap) continue;
    const width = widths.get(s.spec.key) ?? 0;
    const narrowest = Math.max(s.cellMin, wrapHeads ? s.headWord : s.head);
    const give = Math.min(excess, Math.max(0, width - narrowest));
    widths.set(s.spec.key, width - give);
    excess -= give;
  }
  return excess <= 0 ? widths : null;
}

/** The last resort: group names shortened (never below GROUP_FLOOR); the table may still be too wide. */
function shortenGroups(columns: readonly ColumnStats[], limit: number): Map<string, number> {
  const widths = fitWidths(columns, null, true) ?? new Map<string, number>();
  for (const s of columns) if (s.spec.wrap) widths.set(s.spec.key, Math.max(s.cellMin, s.headWord));
  let excess = total(widths.values()) - limit;
  for (const s of columns) {
    if (excess <= 0 || !s.spec.shorten) continue;
    const width = widths.get(s.spec.key) ?? 0;
    const give = Math.min(excess, Math.max(0, width - Math.max(GROUP_FLOOR, s.head)));
    widths.set(s.spec.key, width - give);
    excess -= give;
  }
  return widths;
}

/** The widest layout of these columns within the limit: one-line headings if possible. */
function bestFit(columns: readonly ColumnStats[], limit: number | null): TablePlan | null {
  const single = fitWidths(columns, limit, false);
  if (single) return { widths: single, wrapHeads: false };
  const wrapped = fitWidths(columns, limit, true);
  return wrapped ? { widths: wrapped, wrapHeads: true } : null;
}

interface LaidOut {
  /** null: each table as wide as its own cells (wide). */
  plan: TablePlan | null;
  /** Columns shown and columns these tables have, for the note under them. */
  shown: number;
  total: number;
}

/**
 * Plan the columns of a report's tables for a layout.
 * @internal (also used by tests)
 */
export function planTables(tables: readonly TextTable[], layout: TableLayout): LaidOut {
  const stats = statsOf(tables);
  if (layout.mode === 'wide' || stats.length === 0) return { plan: null, shown: stats.length, total: stats.length };
  const limit = layout.width;
  const laidOut = (columns: readonly ColumnStats[], plan: TablePlan): LaidOut => ({ plan, shown: columns.length, total: stats.length });
  if (layout.mode === 'pick') {
    const chosen = stats.filter((s) => s.spec.shorten || layout.keys.includes(s.spec.key));
    const plan = bestFit(chosen, limit) ?? (limit === null ? null : { widths: shortenGroups(chosen, limit), wrapHeads: true });
    return plan ? laidOut(chosen, plan) : { plan: null, shown: stats.length, total: stats.length };
  }
  const defaults = stats.filter((s) => s.spec.priority !== undefined);
  const whole = bestFit(defaults, limit);
  if (whole) return laidOut(defaults, whole);
  // Not all: the required columns, then each further priority that still fits, most important first.
  const priorities = [...new Set(defaults.map((s) => s.spec.priority ?? 0))].filter((p) => p > 0).sort((a, b) => a - b);
  let chosen = defaults.filter((s) => s.spec.priority === 0);
  for (const priority of priorities) {
    const candidate = defaults.filter((s) => chosen.includes(s) || s.spec.priority === priority);
    if (bestFit(candidate, limit)) chosen = candidate;
  }
  return laidOut(chosen, bestFit(chosen, limit) ?? { widths: shortenGroups(chosen, layout.width), wrapHeads: true });
}

/** Lines about some columns (a legend entry): shown only when one of them is. */
interface ColumnLines {
  columns: readonly string[];
  lines: readonly string[];
}

export type Block = string | TextTable | ColumnLines;

/**
 * A report's lines with its tables laid out together. When columns were left out, `note` gives
 * the lines that say so, put right under the last table.
 */
export function renderBlocks(blocks: readonly Block[], layout: TableLayout, note: (shown: number, total: number) => readonly string[]): string[] {
  const tables = blocks.filter((block): block is TextTable => block instanceof TextTable);
  const { plan, shown, total: all } = planTables(tables, layout);
  const last = tables.at(-1);
  const out: string[] = [];
  for (const block of blocks) {
    if (typeof block === 'string') out.push(block);
    else if (block instanceof TextTable) {
      out.push(plan ? block.render(plan) : block.toString());
      if (block === last && layout.mode === 'fit' && shown < all) out.push(...note(shown, all));
    } else if (!plan || block.columns.some((key) => plan.widths.has(key))) out.push(...block.lines);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// --columns

/** A column name as typed: lower case, å/ä → a, ö → o, nothing but letters and digits ("Std-diff" → "stddiff"). */
function columnWord(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/κ/g, 'k')
    .replace(/[^a-z0-9]/g, '');
}

/** A command's columns for --columns: each key and the other names it may be given by (its headings, in both languages). */
export interface ColumnName {
  key: string;
  names: readonly string[];
}

/** --columns a,b,c → the keys, or the words that name no column. */
export function resolveColumns(text: string, columns: readonly ColumnName[]): { keys: string[]; unknown: string[] } {
  const keys: string[] = [];
  const unknown: string[] = [];
  for (const raw of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const word = columnWord(raw);
    const column = columns.find((c) => columnWord(c.key) === word) ?? columns.find((c) => c.names.some((name) => columnWord(name) === word));
    if (column) {
      if (!keys.includes(column.key)) keys.push(column.key);
    } else unknown.push(raw);
  }
  return { keys, unknown };
}
