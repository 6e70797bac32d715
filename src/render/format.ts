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
