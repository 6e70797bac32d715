import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { inSchoolYears, normaliseSchoolYear, parseSchoolYears, schoolYearLabel, startYearOf } from '../../src/normalise/school-year.js';

describe('normaliseSchoolYear: spans (no term)', () => {
  it.each(['2024/25', '2024/2025', '2024-2025', '2024-25', '24/25', '2024–25', ' 2024 / 25 '])('%j → 2024/25', (raw) => {
    expect(normaliseSchoolYear(raw)).toEqual({ label: '2024/25', startYear: 2024, term: null });
  });

  it('1999/00 wraps into the next century', () => {
    expect(normaliseSchoolYear('1999/00')).toEqual({ label: '1999/00', startYear: 1999, term: null });
  });

  it('1999/2000 is the same läsår', () => {
    expect(normaliseSchoolYear('1999/2000')?.label).toBe('1999/00');
  });
});

describe('normaliseSchoolYear: autumn terms', () => {
  it.each(['HT24', 'HT2024', 'HT 2024', 'ht24', 'Hösttermin 2024', 'Höstterminen 2024'])('%j → 2024/25 HT', (raw) => {
    expect(normaliseSchoolYear(raw)).toEqual({ label: '2024/25', startYear: 2024, term: 'HT' });
  });
});

describe('normaliseSchoolYear: spring terms', () => {
  it.each(['VT25', 'VT2025', 'VT 2025', 'vt25', 'Vårtermin 2025', 'Vårterminen 2025'])('%j → 2024/25 VT', (raw) => {
    expect(normaliseSchoolYear(raw)).toEqual({ label: '2024/25', startYear: 2024, term: 'VT' });
  });
});

describe('normaliseSchoolYear: a bare year is the spring term', () => {
  it('2025 → 2024/25 VT', () => {
    expect(normaliseSchoolYear('2025')).toEqual({ label: '2024/25', startYear: 2024, term: 'VT' });
  });

  it('2000 → 1999/00 VT', () => {
    expect(normaliseSchoolYear('2000')).toEqual({ label: '1999/00', startYear: 1999, term: 'VT' });
  });
});

describe('normaliseSchoolYear: a date (an Excel date cell in a Läsår column) gives its läsår and term', () => {
  it.each([
    ['2025-06-10', 2024, 'VT'],
    ['2025-01-07', 2024, 'VT'],
    ['2025-06-30', 2024, 'VT'],
    ['2024-07-01', 2024, 'HT'],
    ['2024-08-19', 2024, 'HT'],
    ['2024-12-31', 2024, 'HT'],
    ['2024-08-19 00:00:00', 2024, 'HT'],
    ['2025-06-10T12:30', 2024, 'VT'],
    ['2000-02-29', 1999, 'VT'],
  ] as const)('%j → %i, %s', (raw, startYear, term) => {
    expect(normaliseSchoolYear(raw)).toEqual({ label: `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`, startYear, term });
  });

  it.each(['2024-13-01', '2024-00-10', '2025-02-29', '2024-06-31', '2024-6-10', '2024-08-19 25'])('%j is not a date → null', (raw) => {
    expect(normaliseSchoolYear(raw)).toBeNull();
  });

  it('a span with a dash is still a span, not a date', () => {
    expect(normaliseSchoolYear('2024-2025')).toEqual({ label: '2024/25', startYear: 2024, term: null });
  });
});

describe('normaliseSchoolYear: not a school year', () => {
  it.each(['2024/26', '2025/24', 'läsår?', '', '   ', '20245', 'HT', 'Termin 3', '1800/01', '1800'])('%j → null', (raw) => {
    expect(normaliseSchoolYear(raw)).toBeNull();
  });
});

describe('schoolYearLabel / startYearOf', () => {
  it('pads the two-digit end year', () => {
    expect(schoolYearLabel(2008)).toBe('2008/09');
  });

  it('wraps at the century', () => {
    expect(schoolYearLabel(1999)).toBe('1999/00');
  });

  it('reads the start year back from a label', () => {
    expect(startYearOf('2024/25')).toBe(2024);
  });
});

describe('parseSchoolYears (--school-years)', () => {
  it.each([
    ['2023/24', '2023/24', [{ from: 2023, to: 2023 }]],
    ['VT24', '2023/24', [{ from: 2023, to: 2023 }]],
    ['HT23', '2023/24', [{ from: 2023, to: 2023 }]],
    ['2024', '2023/24', [{ from: 2023, to: 2023 }]],
    ['2023-24', '2023/24', [{ from: 2023, to: 2023 }]],
    ['2023-2024', '2023/24', [{ from: 2023, to: 2023 }]],
    ['2022/23-2023/24', '2022/23..2023/24', [{ from: 2022, to: 2023 }]],
    ['2022/23–2023/24', '2022/23..2023/24', [{ from: 2022, to: 2023 }]],
    ['2022/2023-2023/2024', '2022/23..2023/24', [{ from: 2022, to: 2023 }]],
    ['VT23-VT24', '2022/23..2023/24', [{ from: 2022, to: 2023 }]],
    ['2022/23..2023/24', '2022/23..2023/24', [{ from: 2022, to: 2023 }]],
    ['2023..2024', '2022/23..2023/24', [{ from: 2022, to: 2023 }]],
    ['..2023/24', '..2023/24', [{ from: null, to: 2023 }]],
    [' .. VT24 ', '..2023/24', [{ from: null, to: 2023 }]],
    ['2023/24..', '2023/24..', [{ from: 2023, to: null }]],
    ['2020/21,2023/24', '2020/21,2023/24', [{ from: 2020, to: 2020 }, { from: 2023, to: 2023 }]],
    ['2023/24,2022/23', '2022/23..2023/24', [{ from: 2022, to: 2023 }]],
    ['2024/25.., ..2020/21, 2021/22', '..2021/22,2024/25..', [{ from: null, to: 2021 }, { from: 2024, to: null }]],
    ['..2022/23,2021/22..', '..', [{ from: null, to: null }]],
    ['2023/24,', '2023/24', [{ from: 2023, to: 2023 }]],
  ] as const)('%j → %s', (text, label, ranges) => {
    const selection = parseSchoolYears(text);
    expect(selection.label).toBe(label);
    expect(selection.ranges).toEqual(ranges);
  });

  it('inSchoolYears: ends included, open ends open', () => {
    const upTo = parseSchoolYears('..2023/24');
    expect([2000, 2022, 2023, 2024].map((year) => inSchoolYears(upTo, year))).toEqual([true, true, true, false]);
    const two = parseSchoolYears('2020/21,2022/23-2023/24');
    expect([2019, 2020, 2021, 2022, 2023, 2024].map((year) => inSchoolYears(two, year))).toEqual([false, true, false, true, true, false]);
    const from = parseSchoolYears('HT24..');
    expect([2023, 2024, 2090].map((year) => inSchoolYears(from, year))).toEqual([false, true, true]);
  });

  it.each([
    ['20x3', '--school-years: "20x3" is not a school year (write 2023/24, VT24 or 2024)'],
    ['2023/24,20x3', '--school-years: "20x3" is not a school year (write 2023/24, VT24 or 2024)'],
    ['..20x3', '--school-years: "20x3" is not a school year (write 2023/24, VT24 or 2024)'],
    ['2022/23..läsår', '--school-years: "läsår" is not a school year (write 2023/24, VT24 or 2024)'],
    ['2022/23-20x3', '--school-years: "2022/23-20x3" is not a school year (write 2023/24, VT24 or 2024)'],
    ['2023/25', '--school-years: "2023/25" is not a school year (write 2023/24, VT24 or 2024)'],
    ['2023/24..2022/23', '--school-years: "2023/24..2022/23" selects nothing (2023/24 is after 2022/23)'],
    ['2022..2023..2024', '--school-years: "2022..2023..2024" has more than one ".." (write 2023/24, VT24 or 2024)'],
    ['..', '--school-years: ".." needs a school year on at least one side, e.g. ..2023/24'],
    ['', '--school-years: give at least one school year, e.g. 2023/24 or ..2023/24'],
    [' , ', '--school-years: give at least one school year, e.g. 2023/24 or ..2023/24'],
    ['2022-2023-2024', '--school-years: "2022-2023-2024" can be read in more than one way; write the range with "..", e.g. 2022/23..2023/24'],
  ])('%j → UsageError', (text, message) => {
    expect(() => parseSchoolYears(text)).toThrow(UsageError);
    expect(() => parseSchoolYears(text)).toThrow(message);
  });
});
