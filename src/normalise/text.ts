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

/**
 * Characters that would act on a terminal or reorder text instead of showing: C0 controls (ESC
 * starts the sequences that recolour or retitle a terminal, BEL rings it), DEL, C1 controls and
 * the bidirectional overrides and isolates.
 */
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from data made safe to show: each control character becomes a visible stand-in (C0 as its
 * Control Picture, ␛ for ESC; DEL as ␡; C1 and direction controls as �), so nothing in a school
 * name can act on the terminal, and the user sees that something odd is there.
 */
export function visible(text: string): string {
  return text.replace(UNSHOWABLE, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}

/** Trim and collapse inner runs of white space, for display values such as school names; controls made visible. */
export function tidy(text: string): string {
  return visible(text.trim().replace(/\s+/g, ' '));
}
