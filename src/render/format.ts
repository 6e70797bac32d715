/**
 * Number formatting for people (tables, Markdown). Machine formats (JSON, CSV) keep full
 * precision; `--excel` only swaps the decimal mark.
 */
export type Lang = 'sv' | 'en';

/** Swedish uses a decimal comma, a space before %, and a real minus sign. */
export function formatNumber(value: number, decimals: number, lang: Lang): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const sign = value < 0 && Number(fixed) !== 0 ? (lang === 'sv' ? '−' : '-') : '';
  return sign + (lang === 'sv' ? fixed.replace('.', ',') : fixed);
}

export function formatSigned(value: number, decimals: number, lang: Lang): string {
  const text = formatNumber(value, decimals, lang);
  return value > 0 && Number(Math.abs(value).toFixed(decimals)) !== 0 ? `+${text}` : text;
}

export function formatShare(value: number, lang: Lang, decimals = 0): string {
  const number = formatNumber(value * 100, decimals, lang);
  return lang === 'sv' ? `${number} %` : `${number}%`;
}

/** A difference of two shares: "procentenheter" in Swedish. */
export function formatPoints(value: number, lang: Lang, decimals = 0): string {
  return formatSigned(value * 100, decimals, lang);
}

export function formatInterval(low: number, high: number, decimals: number, lang: Lang): string {
  const separator = lang === 'sv' ? '; ' : ', ';
  return `[${formatNumber(low, decimals, lang)}${separator}${formatNumber(high, decimals, lang)}]`;
}

/** 12 345 (sv, thin space) / 12,345 (en). */
export function formatCount(value: number, lang: Lang): string {
  const digits = String(Math.round(value));
  const group = lang === 'sv' ? '\u00a0' : ',';
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, group);
}

/** Display columns of a text: ANSI colour codes take none; every character we print takes one. */
function columnsOf(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/**
 * Prose for a terminal: each line of `text` broken at spaces so that no line is wider than
 * `width` (null: as it is). A word wider than that stays whole on a line of its own; a space
 * before "%" or around a sign (<, >, =, −) is not a break ("95 %", "p < 0,05", "1 − α" stay together). Continuation lines keep the line's own
 * indentation, plus `hang` spaces.
 */
export function wrapText(text: string, width: number | null, hang = 0): string[] {
  if (width === null) return text.split('\n');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (columnsOf(line) <= width) {
      out.push(line);
      continue;
    }
    const indent = /^ */.exec(line)?.[0] ?? '';
    const next = indent.length + hang < width / 2 ? ' '.repeat(indent.length + hang) : indent;
    let current = '';
    let lead = indent;
    for (const word of line.slice(indent.length).split(/(?<![<>=≤≥−]) (?![%<>=≤≥−])/)) {
      if (current === '') current = word;
      else if (columnsOf(lead) + columnsOf(current) + 1 + columnsOf(word) <= width) current += ` ${word}`;
      else {
        out.push(`${lead}${current}`);
        current = word;
        lead = next;
      }
    }
    out.push(`${lead}${current}`);
  }
  return out;
}
