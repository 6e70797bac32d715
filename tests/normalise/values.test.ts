import { describe, expect, it } from 'vitest';
import type { ResultKind } from '../../src/types.js';
import { normaliseGender, normaliseGrade, normaliseGradeLevel, normaliseKind } from '../../src/normalise/values.js';

describe('normaliseGrade: A–F', () => {
  it.each([
    ['A', 5],
    ['B', 4],
    ['C', 3],
    ['D', 2],
    ['E', 1],
    ['F', 0],
  ] as const)('%s → step %i', (raw, step) => {
    expect(normaliseGrade(raw)).toEqual({ status: 'grade', step });
  });

  it('lower case: "a" → A', () => {
    expect(normaliseGrade('a')).toEqual({ status: 'grade', step: 5 });
  });

  it('surrounding spaces: " c " → C', () => {
    expect(normaliseGrade(' c ')).toEqual({ status: 'grade', step: 3 });
  });
});

describe('normaliseGrade: streck and blank → none', () => {
  it.each(['-', '–', '—', '−', ' - ', '', '   '])('%j → none', (raw) => {
    expect(normaliseGrade(raw)).toEqual({ status: 'none' });
  });
});

describe('normaliseGrade: the old scale is invalid', () => {
  it.each(['G', 'VG', 'MVG', 'IG', 'mvg', ' vg '])('%j → old_scale', (raw) => {
    expect(normaliseGrade(raw)).toEqual({ status: 'invalid', reason: 'old_scale' });
  });
});

describe('normaliseGrade: not a grade', () => {
  it.each(['C+', 'Ä', '7', 'AB', 'godkänd', '--'])('%j → not_a_grade', (raw) => {
    expect(normaliseGrade(raw)).toEqual({ status: 'invalid', reason: 'not_a_grade' });
  });
});

describe('normaliseGradeLevel', () => {
  it.each([
    ['6', 6],
    ['Åk 6', 6],
    ['åk6', 6],
    ['ÅK 9', 9],
    ['år 9', 9],
    ['Årskurs 9', 9],
    ['6B', 6],
    ['9a', 9],
    [' 1 ', 1],
  ] as const)('%j → %i', (raw, level) => {
    expect(normaliseGradeLevel(raw)).toBe(level);
  });

  it.each(['10', '0', '', 'Åk', 'B6', 'Klass Röd'])('%j → null', (raw) => {
    expect(normaliseGradeLevel(raw)).toBeNull();
  });
});

describe('normaliseGender', () => {
  it.each(['Flicka', 'flickor', 'F', 'K', 'Kvinna', 'girl', 'Female', 'tjej', '2'])('%j → girl', (raw) => {
    expect(normaliseGender(raw)).toBe('girl');
  });

  it.each(['Pojke', 'pojkar', 'P', 'M', 'Man', 'boy', 'Male', 'kille', '1'])('%j → boy', (raw) => {
    expect(normaliseGender(raw)).toBe('boy');
  });

  it.each(['', 'X', 'okänt', '3'])('%j → null', (raw) => {
    expect(normaliseGender(raw)).toBeNull();
  });
});

describe('normaliseKind', () => {
  it.each([
    ['Terminsbetyg', 'grade'],
    ['Betyg', 'grade'],
    ['Slutbetyg', 'grade'],
    ['Ämnesbetyg', 'grade'],
    ['Provbetyg', 'test'],
    ['Nationellt prov', 'test'],
    ['NP', 'test'],
    ['Resultat nationellt prov', 'test'],
    ['Bedömning', 'assessment'],
    ['Omdöme', 'assessment'],
    ['OMDÖME', 'assessment'],
    ['Kunskapsbedömning', 'assessment'],
  ] as const)('%j → %s', (raw, kind) => {
    expect(normaliseKind(raw)).toBe(kind);
  });

  it.each(['Frånvaro', '', 'Kommentar'])('unknown %j → null', (raw) => {
    expect(normaliseKind(raw)).toBeNull();
  });

  it('uses extra names from the config (keys folded by the caller)', () => {
    const extra = new Map<string, ResultKind>([['np6', 'test']]);
    expect(normaliseKind('NP 6', extra)).toBe('test');
  });

  it('an extra name wins over a built-in one', () => {
    const extra = new Map<string, ResultKind>([['betyg', 'test']]);
    expect(normaliseKind('Betyg', extra)).toBe('test');
  });
});
