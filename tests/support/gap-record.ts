/**
 * Paired records for the analysis tests: a pupil's teacher grade and test grade as letters
 * ('' or anything else: none), with the test file's own defaults and each record's overrides.
 */
import type { GapRecord } from '../../src/analysis/pairs.js';
import type { GradeStep } from '../../src/types.js';

const STEP: Readonly<Record<string, GradeStep>> = { F: 0, E: 1, D: 2, C: 3, B: 4, A: 5 };

/**
 * A maker of records P1, P2, … (its own count). `defaults` are the test file's (a function of the
 * record's number where they vary); overrides win over them.
 */
export function gapRecordMaker(defaults: Partial<GapRecord> | ((serial: number) => Partial<GapRecord>) = {}): (grade: string, test: string, over?: Partial<GapRecord>) => GapRecord {
  let serial = 0;
  return (grade, test, over = {}) => {
    serial++;
    return {
      pupil: `P${serial}`,
      school_year: '2024/25',
      grade_level: 9,
      area: 'Norra',
      school: 'Ekskolan',
      class: '9A',
      subject: 'MA',
      gender: 'girl',
      teacher: 'T1',
      ...(typeof defaults === 'function' ? defaults(serial) : defaults),
      grade: STEP[grade] ?? null,
      test: STEP[test] ?? null,
      ...over,
    };
  };
}
