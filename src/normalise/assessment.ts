/**
 * Year 1–5 assessments (omdömen). They come on several scales; each label becomes
 * pass / fail / missing, and A–F labels keep their grade step as well.
 *
 * Built-in scales (labels matched case-, space- and diacritic-insensitively):
 * - three levels, words: "Ej nått E-nivå" / "Når ännu inte godtagbar kunskapsnivå" (fail),
 *   "Godtagbara kunskaper" (pass), "Mer än godtagbara kunskaper" (pass);
 * - three levels, numbers (Stockholm's school platform): -1 omdöme saknas (missing), 0 (fail),
 *   1 godtagbar (pass), 2 mer än godtagbar (pass);
 * - pass/fail words: Uppnått / Ej uppnått, Når / Når ej, Godkänd / Ej godkänd, Ja / Nej;
 * - A–F, where a municipality records assessed grades (A–E pass, F fail).
 * A blank cell, streck or -1 is a missing omdöme: counted as missing, never as a fail.
 * A scale in the config file (labels in order, which ones pass) is tried before these.
 */
import type { GradeStep } from '../types.js';
import { fold } from './text.js';
import { normaliseGrade } from './values.js';

export type AssessmentParse =
  | { status: 'value'; pass: boolean; step: GradeStep | null; label: string }
  | { status: 'missing' }
  | { status: 'invalid' };

export interface OrdinalScale {
  /** Labels from lowest to highest. */
  labels: readonly string[];
  /** Labels that count as passing. */
  passing: readonly string[];
  /** Labels that mean "no omdöme". */
  missing?: readonly string[];
}

const BUILT_IN: ReadonlyMap<string, { pass: boolean; label: string }> = (() => {
  const entries: [string[], boolean, string][] = [
    [['Ej nått E-nivå', 'Ej nått E nivå', 'Når ännu inte godtagbar kunskapsnivå', 'Når inte godtagbar nivå', 'Ej godtagbara kunskaper', 'Ej godtagbar', 'Inte godtagbara kunskaper', '0'], false, 'ej godtagbar'],
    [['Godtagbara kunskaper', 'Godtagbar', 'Godtagbar kunskapsnivå', 'Når godtagbar nivå', '1'], true, 'godtagbar'],
    [['Mer än godtagbara kunskaper', 'Mer än godtagbar', 'Mer än godtagbar kunskapsnivå', '2'], true, 'mer än godtagbar'],
    [['Uppnått', 'Uppnår', 'Når', 'Godkänd', 'Godkänt', 'Ja', 'Pass', 'Yes'], true, 'uppnått'],
    [['Ej uppnått', 'Inte uppnått', 'Uppnår ej', 'Når ej', 'Når inte', 'Ej godkänd', 'Ej godkänt', 'Nej', 'Fail', 'No'], false, 'ej uppnått'],
  ];
  const map = new Map<string, { pass: boolean; label: string }>();
  for (const [labels, pass, label] of entries) for (const text of labels) map.set(fold(text), { pass, label });
  return map;
})();

const MISSING = new Set(['saknas', 'omdomesaknas', 'ejbedomd', 'ingetomdome', 'na']);

export function assessmentParser(scale?: OrdinalScale): (raw: string) => AssessmentParse {
  const own = new Map<string, { pass: boolean; label: string }>();
  const ownMissing = new Set<string>();
  if (scale) {
    const passing = new Set(scale.passing.map(fold));
    for (const label of scale.labels) own.set(fold(label), { pass: passing.has(fold(label)), label });
    for (const label of scale.missing ?? []) ownMissing.add(fold(label));
  }
  return (raw) => {
    const text = raw.trim();
    // Blank, streck in any dash, and -1 written with any minus sign: no omdöme. ("-1" folds to "1",
    // so the raw text is tested before folding.)
    if (normaliseGrade(text).status === 'none' || /^[-–—−]\s*1$/.test(text)) return { status: 'missing' };
    const key = fold(text);
    if (ownMissing.has(key)) return { status: 'missing' };
    const mine = own.get(key);
    if (mine) return { status: 'value', pass: mine.pass, step: null, label: mine.label };
    if (MISSING.has(key)) return { status: 'missing' };
    const grade = normaliseGrade(text);
    if (grade.status === 'grade') return { status: 'value', pass: grade.step >= 1, step: grade.step, label: text.toUpperCase() };
    const builtIn = BUILT_IN.get(key);
    if (builtIn) return { status: 'value', pass: builtIn.pass, step: null, label: builtIn.label };
    return { status: 'invalid' };
  };
}
