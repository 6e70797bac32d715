/**
 * Folding text for matching: headers, kind values, subject names, grade labels.
 * Case-, space- and diacritic-insensitive: "Elevens personnummer" → "elevenspersonnummer",
 * "Skolområde" → "skolomrade", "Åk" → "ak".
 */
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NOT_ALNUM = /[^a-z0-9]/g;

export function fold(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase().replace(NOT_ALNUM, '');
}

/** Trim and collapse inner runs of white space, for display values such as school names. */
export function tidy(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
