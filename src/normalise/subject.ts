/**
 * Subjects: Skolverket's grundskola codes and Swedish/English names become one code.
 * "Matematik", "MA", "ma", "Matte" → MA; "Svenska som andraspråk", "SVA", "Sv2" → SVA;
 * "Engelska", "EN", "ENG" → EN. Moderna språk and modersmål keep their language code:
 * "M2 GER", "M2-TYS" → "M2 GER"/"M2 TYS" as written (upper-cased, one space).
 * The config file can add names (`subjects: { "Matte åk 6": "MA" }`).
 */
import { fold } from './text.js';

/** Code → Swedish name (as in Skolverket's and Stockholm's school platform lists). */
export const SUBJECT_NAMES: Readonly<Record<string, string>> = {
  SV: 'Svenska',
  SVA: 'Svenska som andraspråk',
  EN: 'Engelska',
  MA: 'Matematik',
  BI: 'Biologi',
  FY: 'Fysik',
  KE: 'Kemi',
  TK: 'Teknik',
  NO: 'Naturorienterande ämnen',
  GE: 'Geografi',
  HI: 'Historia',
  RE: 'Religionskunskap',
  SH: 'Samhällskunskap',
  SO: 'Samhällsorienterande ämnen',
  BL: 'Bild',
  IDH: 'Idrott och hälsa',
  MU: 'Musik',
  SL: 'Slöjd',
  HKK: 'Hem- och konsumentkunskap',
  JU: 'Judiska studier',
  DA: 'Förberedande dansarutbildning',
  TN: 'Teckenspråk för hörande',
  M1: 'Moderna språk, elevens val',
  M2: 'Moderna språk, språkval',
  ML: 'Modersmål',
};

/** English names, for `--lang en`. */
export const SUBJECT_NAMES_EN: Readonly<Record<string, string>> = {
  SV: 'Swedish',
  SVA: 'Swedish as a second language',
  EN: 'English',
  MA: 'Mathematics',
  BI: 'Biology',
  FY: 'Physics',
  KE: 'Chemistry',
  TK: 'Technology',
  NO: 'Science',
  GE: 'Geography',
  HI: 'History',
  RE: 'Religion',
  SH: 'Civics',
  SO: 'Social studies',
  BL: 'Art',
  IDH: 'Physical education and health',
  MU: 'Music',
  SL: 'Crafts',
  HKK: 'Home and consumer studies',
  JU: 'Jewish studies',
  DA: 'Preparatory dance',
  TN: 'Sign language for hearing pupils',
  M1: 'Modern languages, pupil choice',
  M2: 'Modern languages, language choice',
  ML: 'Mother tongue',
};

/** Extra spellings seen in exports. Folded before lookup. */
const EXTRA_ALIASES: Readonly<Record<string, string>> = {
  ENG: 'EN',
  ENGELSKA: 'EN',
  ENGLISH: 'EN',
  SVE: 'SV',
  SWEDISH: 'SV',
  SV2: 'SVA',
  SVAS: 'SVA',
  SVENSKA2: 'SVA',
  SVENSKASOMANDRASPRAK: 'SVA',
  SWEDISHASASECONDLANGUAGE: 'SVA',
  MAT: 'MA',
  MATTE: 'MA',
  MATHS: 'MA',
  MATH: 'MA',
  MATHEMATICS: 'MA',
  BIO: 'BI',
  FYS: 'FY',
  KEM: 'KE',
  TEK: 'TK',
  GEO: 'GE',
  HIS: 'HI',
  REL: 'RE',
  SAM: 'SH',
  IDROTT: 'IDH',
  IDROTTOCHHALSA: 'IDH',
  ID: 'IDH',
  HKK: 'HKK',
  HEMKUNSKAP: 'HKK',
  TRASLOJD: 'SL',
  TEXTILSLOJD: 'SL',
};

const LANGUAGE_SUBJECT = /^(M1|M2|ML|MODERSMAL|MODERNA\s*SPRAK)[\s\-_:,]*([A-Z]{2,4})$/;

const SUBJECT_INDEX: ReadonlyMap<string, string> = (() => {
  const index = new Map<string, string>();
  for (const [code, name] of Object.entries(SUBJECT_NAMES)) {
    index.set(fold(code), code);
    index.set(fold(name), code);
  }
  for (const [code, name] of Object.entries(SUBJECT_NAMES_EN)) index.set(fold(name), code);
  for (const [alias, code] of Object.entries(EXTRA_ALIASES)) index.set(fold(alias), code);
  return index;
})();

/** Build a lookup that includes the config file's own names. */
export function subjectLookup(extra: Readonly<Record<string, string>> = {}): (raw: string) => string | null {
  const own = new Map<string, string>();
  for (const [name, code] of Object.entries(extra)) own.set(fold(name), code.trim().toUpperCase());
  return (raw) => normaliseSubject(raw, own);
}

/** Returns the code, or null when the text is not a subject we know. */
export function normaliseSubject(raw: string, extra: ReadonlyMap<string, string> = new Map()): string | null {
  const text = raw.trim();
  if (text === '') return null;
  const key = fold(text);
  const own = extra.get(key);
  if (own !== undefined) return own;
  const known = SUBJECT_INDEX.get(key);
  if (known !== undefined) return known;
  const plain = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
  const language = LANGUAGE_SUBJECT.exec(plain);
  if (language) {
    const [, prefix = '', lang = ''] = language;
    const base = fold(prefix);
    const code = base === 'modersmal' ? 'ML' : base === 'modernasprak' ? 'M2' : prefix;
    return `${code} ${lang}`;
  }
  return null;
}

/** Display name for a code; language subjects show their language code. */
export function subjectName(code: string, lang: 'sv' | 'en' = 'sv'): string {
  const names = lang === 'en' ? SUBJECT_NAMES_EN : SUBJECT_NAMES;
  const exact = names[code];
  if (exact !== undefined) return exact;
  const [prefix = '', language = ''] = code.split(' ');
  const base = names[prefix];
  return base !== undefined ? `${base} (${language})` : code;
}
