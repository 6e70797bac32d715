/**
 * CSV output. Plain: comma, dot decimals, LF. `--excel`: semicolon, decimal comma, UTF-8 BOM and
 * CRLF, which Swedish Excel and LibreOffice Calc (Swedish settings) open as they are.
 *
 * Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a
 * leading apostrophe; numbers, negative ones included, are written as numbers.
 *
 * `--excel` numbers are plain decimals, never in exponent form: Calc's CSV import reads
 * "7,9e-9" as text unless "Detect special numbers" is ticked (it is not by default), and a
 * hyphen-minus, not U+2212, is what both spreadsheets read as a minus sign.
 */
export interface CsvOptions {
  excel: boolean;
}

export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A finite number as plain decimal digits: 7.9e-9 → "0.0000000079", 1e21 → "1000000000000000000000". */
function plainDecimal(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', rest = '', exponentText = '0'] = match;
  const digits = lead + rest;
  const exponent = Number(exponentText);
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  return sign + (digits.length > exponent + 1 ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}` : digits.padEnd(exponent + 1, '0'));
}

function formatCell(value: CsvValue, options: CsvOptions): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return options.excel ? plainDecimal(value).replace('.', ',') : String(value);
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
