import { describe, expect, it } from 'vitest';
import { mapHeaders } from '../../src/normalise/headers.js';
import { fold, tidy } from '../../src/normalise/text.js';

describe('fold / tidy', () => {
  it('folds case, spaces, punctuation and diacritics', () => {
    expect(fold('Elevens personnummer')).toBe('elevenspersonnummer');
    expect(fold('Skolområde')).toBe('skolomrade');
    expect(fold('Åk')).toBe('ak');
    expect(fold('NP-betyg')).toBe('npbetyg');
  });

  it('tidy trims and collapses inner white space', () => {
    expect(tidy('  Älvskolan \t  F–9 ')).toBe('Älvskolan F–9');
  });
});

describe('mapHeaders: aliases', () => {
  it.each([
    ['ELEVENS PERSONNUMMER', 'student_id'],
    ['Personnr', 'student_id'],
    ['Elev-ID', 'student_id'],
    ['Skolomrade', 'area'],
    ['Skolområde', 'area'],
    ['Åk', 'grade_level'],
    ['Årskurs', 'grade_level'],
    ['År', 'school_year'],
    ['Läsår', 'school_year'],
    ['Provår', 'school_year'],
    ['Ämne', 'subject'],
    ['Kön', 'gender'],
    ['Betyg', 'grade'],
    ['Terminsbetyg', 'grade'],
    ['Provbetyg', 'test'],
    ['Resultat nationellt prov', 'test'],
    ['Omdöme', 'assessment'],
    ['Typ', 'kind'],
    ['Resultat', 'value'],
    ['  skola  ', 'school'],
  ] as const)('%j → %s', (header, field) => {
    expect(mapHeaders([header]).columns).toEqual({ [field]: 0 });
  });

  it('maps a whole header row to column indices', () => {
    const mapping = mapHeaders(['Personnummer', 'Skola', 'Läsår', 'Ämne', 'Betyg', 'Provbetyg']);
    expect(mapping).toEqual({
      columns: { student_id: 0, school: 1, school_year: 2, subject: 3, grade: 4, test: 5 },
      unmatched: [],
      duplicates: [],
    });
  });
});

describe('mapHeaders: unmatched and duplicates', () => {
  it('reports headers that match no field, leaving out blank ones', () => {
    const mapping = mapHeaders(['Personnummer', 'Frånvaro %', '', 'Ämne']);
    expect(mapping.unmatched).toEqual(['Frånvaro %']);
    expect(mapping.columns).toEqual({ student_id: 0, subject: 3 });
  });

  it('the first column wins a field; a later one is reported as a duplicate', () => {
    const mapping = mapHeaders(['Betyg', 'Personnummer', 'Terminsbetyg']);
    expect(mapping.columns.grade).toBe(0);
    expect(mapping.duplicates).toEqual([{ header: 'Terminsbetyg', field: 'grade' }]);
  });
});

describe('mapHeaders: config overrides', () => {
  it('maps a header the aliases do not know', () => {
    const mapping = mapHeaders(['Elevnummer', 'Ämne'], { student_id: 'Elevnummer' });
    expect(mapping.columns).toEqual({ student_id: 0, subject: 1 });
    expect(mapping.unmatched).toEqual([]);
  });

  it('wins over an alias for the same field; the alias column becomes a duplicate', () => {
    const mapping = mapHeaders(['Betyg', 'Slutbetyg'], { grade: 'Slutbetyg' });
    expect(mapping.columns.grade).toBe(1);
    expect(mapping.duplicates).toEqual([{ header: 'Betyg', field: 'grade' }]);
  });

  it('takes a column whose alias names another field (that field then has no column)', () => {
    const mapping = mapHeaders(['Elev', 'Elevens personnummer'], { student_id: 'Elevens personnummer', class: 'Elev' });
    expect(mapping.columns).toEqual({ student_id: 1, class: 0 });
  });

  it('is matched folded (case and spaces)', () => {
    const mapping = mapHeaders(['ELEV NR'], { student_id: 'elevnr' });
    expect(mapping.columns.student_id).toBe(0);
  });

  it('an override naming a header that is not there is ignored', () => {
    const mapping = mapHeaders(['Personnummer'], { student_id: 'Elevnummer' });
    expect(mapping.columns.student_id).toBe(0);
  });
});

describe('two columns for the pupil id', () => {
  it('prefers the personnummer over a local pupil number, and reports the other', () => {
    const mapping = mapHeaders(['Elev-ID', 'Personnummer', 'Ämne']);
    expect(mapping.columns.student_id).toBe(1);
    expect(mapping.duplicates).toEqual([{ header: 'Elev-ID', field: 'student_id' }]);
  });

  it('keeps the first of two equal candidates and reports the second', () => {
    const mapping = mapHeaders(['Betyg', 'Slutbetyg']);
    expect(mapping.columns.grade).toBe(0);
    expect(mapping.duplicates).toEqual([{ header: 'Slutbetyg', field: 'grade' }]);
  });

  it('a config override is never displaced', () => {
    const mapping = mapHeaders(['Elev-ID', 'Personnummer'], { student_id: 'Elev-ID' });
    expect(mapping.columns.student_id).toBe(0);
  });
});
