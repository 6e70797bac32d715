/**
 * CSV output. Plain: comma, dot decimals, LF. `--excel`: semicolon, decimal comma, UTF-8 BOM and
 * CRLF, which Swedish Excel opens as it is.
 *
 * Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a
 * leading apostrophe; numbers, negative ones included, are written as numbers.
 */
export interface CsvOptions {
  excel: boolean;
}

export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function formatCell(value: CsvValue, options: CsvOptions): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    const text = String(value);
    return options.excel ? text.replace('.', ',') : text;
  }
  const safe = neutraliseFormula(value);
  const delimiter = options.excel ? ';' : ',';
  return safe.includes(delimiter) || safe.includes('"') || safe.includes('\n') || safe.includes('\r')
    ? `"${safe.replace(/"/g, '""')}"`
    : safe;
}

export function writeCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[], options: CsvOptions): string {
  const delimiter = options.excel ? ';' : ',';
  const newline = options.excel ? '\r\n' : '\n';
  const lines = [header.map((name) => formatCell(name, options)).join(delimiter)];
  for (const row of rows) lines.push(row.map((cell) => formatCell(cell, options)).join(delimiter));
  return (options.excel ? '\uFEFF' : '') + lines.join(newline) + newline;
}
