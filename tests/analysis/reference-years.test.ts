/**
 * How far a group's school year is from its reference's (src/analysis/reference-compare.ts
 * farYears), the warning it gets (src/render/reference.ts farYearWarnings) and the stderr lines
 * a run writes (src/commands/references.ts referenceDiagnostics), with the real 2017/18 file.
 */
import { describe, expect, it } from 'vitest';
import { analyseGap } from '../../src/analysis/gap.js';
import { cellsFromRecords, type GapRecord } from '../../src/analysis/pairs.js';
import { gapRecordMaker } from '../support/gap-record.js';
import { FAR_YEARS, compareWithReference, farYears } from '../../src/analysis/reference-compare.js';
import { readReferences, referenceDiagnostics } from '../../src/commands/references.js';
import type { PooledReference, ReferenceMetric } from '../../src/normalise/reference-table.js';
import { farYearWarnings } from '../../src/render/reference.js';


const rec = gapRecordMaker({ subject: 'EN' });

function ref(metric: ReferenceMetric, value: number, schoolYear: string): PooledReference {
  return { school_year: schoolYear, grade_level: 9, subject: 'EN', gender: 'all', metric, value, status: 'ok', raw: null, n: 1000, units: 1, excluded_units: 0, rounded_units: 0, label: 'Ale' };
}

/** Twelve pupils a year in Engelska, år 9: grades and tests that mostly agree. */
function pupils(year: string): GapRecord[] {
  const pairs: [string, string][] = [['C', 'C'], ['B', 'C'], ['E', 'E'], ['D', 'D'], ['A', 'A'], ['C', 'D'], ['E', 'F'], ['C', 'C'], ['B', 'B'], ['D', 'C'], ['E', 'E'], ['C', 'C']];
  return pairs.map(([grade, test]) => rec(grade, test, { school_year: year }));
}

const gap = analyseGap(cellsFromRecords([...pupils('2018/19'), ...pupils('2019/20'), ...pupils('2024/25')]), { by: ['school_year', 'grade_level', 'subject'], minGroup: 1, alpha: 0.05 });

describe('a reference far from the group\'s year', () => {
  it('each row says how many years lie between the group and its reference', () => {
    const comparison = compareWithReference(gap, [ref('share_pass_test', 0.95, '2017/18')], { alpha: 0.05 });
    const apart = new Map(comparison.rows.map((row) => [String(row.key.school_year), row.reference_years_apart]));
    expect(Object.fromEntries(apart)).toEqual({ '2018/19': 1, '2019/20': 2, '2024/25': 7 });
    expect(FAR_YEARS).toBe(2);
    // One year is the usual distance (this spring's figures come in the autumn): not far.
    expect(farYears(comparison.rows).map((far) => [far.school_year, far.reference_school_year, far.years_apart])).toEqual([
      ['2019/20', '2017/18', 2],
      ['2024/25', '2017/18', 7],
    ]);
    // A later reference counts the other way.
    const later = compareWithReference(gap, [ref('share_pass_test', 0.95, '2023/24')], { alpha: 0.05 });
    expect(later.rows.find((row) => row.key.school_year === '2018/19')?.reference_years_apart).toBe(-5);
  });

  it('one warning names every far pair, in Swedish and English; none when the years are close', () => {
    const comparison = compareWithReference(gap, [ref('share_pass_test', 0.95, '2017/18')], { alpha: 0.05 });
    expect(farYearWarnings(comparison, 'sv')).toEqual([
      'Obs! Referensen är från ett annat läsår än grupperna: 2019/20 jämförs med 2017/18 (2 läsår tidigare) och 2024/25 med 2017/18 (7 läsår tidigare). ' +
        'Betygssättningen och proven ändras över tid, så skillnaden mot referensen säger då mindre om gruppernas betyg; använd en referens från samma eller närmast föregående läsår om den finns.',
    ]);
    expect(farYearWarnings(comparison, 'en')[0]).toMatch(/^Note: the reference is from another school year than the groups: 2019\/20 is compared with 2017\/18 \(2 years earlier\) and 2024\/25 with 2017\/18 \(7 years earlier\)\./);
    const close = compareWithReference(gap, [ref('share_pass_test', 0.95, '2017/18'), ref('share_pass_test', 0.95, '2023/24'), ref('share_pass_test', 0.95, '2019/20')], { alpha: 0.05 });
    expect(farYearWarnings(close, 'sv')).toEqual([]);
  });

  it('stderr: the 2017/18 file\'s remark (when read) and the warning (after the comparison), one "ska-analyze:" line each', async () => {
    const { published } = await readReferences(['fixtures/skolverket/np-ak9-2018-kommun.csv'], { unit: 'Ale' });
    if (published === null) throw new Error('expected published figures');
    const comparison = compareWithReference(gap, published.pooled, { alpha: 0.05 });
    const lines = referenceDiagnostics(published, comparison).split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ska-analyze: fixtures\/skolverket\/np-ak9-2018-kommun\.csv: Skolverkets anmärkning om läsåret 2017\/18: Under vårterminen 2018 fanns indikationer/);
    expect(lines[1]).toMatch(/^ska-analyze: Obs! Referensen är från ett annat läsår än grupperna: 2019\/20 jämförs med 2017\/18 \(2 läsår tidigare\) och 2024\/25 med 2017\/18 \(7 läsår tidigare\)\./);
    // Ale 2017/18, Engelska, Samtliga: 96,9 % with test grade A–E.
    expect(comparison.rows.find((row) => row.key.school_year === '2024/25' && row.metric === 'share_pass_test')).toMatchObject({ reference: 0.969, reference_school_year: '2017/18', year_match: 'earlier', reference_years_apart: 7 });
    expect(referenceDiagnostics(published, null).split('\n').filter((line) => line !== '')).toHaveLength(1);
  });
});
