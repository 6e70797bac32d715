/**
 * The gap report's JSON is written row by row (render/gap.ts) rather than by JSON.stringify of
 * the whole report; it must be the very same text, whatever the values.
 */
import { describe, expect, it } from 'vitest';
import { analyseGap, type GapResult } from '../../src/analysis/gap.js';
import { cellsFromRecords, type GapRecord } from '../../src/analysis/pairs.js';
import { gapRecordMaker } from '../support/gap-record.js';
import { makePainter } from '../../src/render/color.js';
import { gapRenderers } from '../../src/render/gap.js';
import { flattenGap } from '../../src/render/gap-rows.js';
import type { ReportMeta } from '../../src/meta.js';
import type { BackgroundDimension, Dimension } from '../../src/types.js';

const LETTERS = 'FEDCBA';

const rec = gapRecordMaker((serial) => ({ gender: serial % 2 === 0 ? 'girl' : 'boy' }));

/** Pupils in a few schools (one small, so hidden), every grade against every test grade somewhere. */
function records(): GapRecord[] {
  const out: GapRecord[] = [];
  const schools = ['Ekskolan', 'Björkskolan "B"', 'Åsskolan\\Öst', 'Liten'];
  schools.forEach((school, s) => {
    const pupils = school === 'Liten' ? 3 : 40 + 7 * s;
    for (let i = 0; i < pupils; i++) {
      const test = LETTERS[(i * 5 + s) % 6] as string;
      const grade = LETTERS[Math.min(5, Math.max(0, LETTERS.indexOf(test) + ((i + s) % 3) - 1))] as string;
      out.push(rec(grade, test, { school, area: s < 2 ? 'Norra' : 'Södra 😀', bg_ny: i % 4 === 0 ? 'yes' : 'no' }));
    }
  });
  out.push(rec('C', '', { school: 'Ekskolan' }), rec('', 'B', { school: 'Åsskolan\\Öst', area: 'Södra 😀' }));
  return out;
}

/** Not a real meta: only its text matters here (it is written with JSON.stringify either way). */
const META = { command: 'gap', note: 'å "x"' } as unknown as ReportMeta;

function json(result: GapResult): string {
  const text = gapRenderers.json({ meta: META, result, cases: null, sections: [] }, { lang: 'sv', paint: makePainter(false), excel: false, matrix: false });
  return typeof text === 'string' ? text : [...text].join('');
}

function expected(result: GapResult): string {
  return `${JSON.stringify({ meta: META, rows: flattenGap(result) }, null, 2)}\n`;
}

describe('gap JSON rows', () => {
  const by: Dimension[] = ['school_year', 'grade_level', 'area', 'school', 'subject'];

  it('are JSON.stringify(…, null, 2) of the flat rows, hidden rows and odd names included', () => {
    const result = analyseGap(cellsFromRecords(records()), { by, minGroup: 10, alpha: 0.05 });
    expect(result.groups.some((group) => group.suppressed !== null)).toBe(true);
    expect(json(result)).toBe(expected(result));
  });

  it('are the same with gender and a background column (the adjusted figures)', () => {
    const background: BackgroundDimension[] = ['bg_ny'];
    const result = analyseGap(cellsFromRecords(records(), background), {
      by: [...by, 'gender', ...background],
      minGroup: 3,
      alpha: 0.05,
      adjustFor: background,
      shrink: true,
    });
    expect(json(result)).toBe(expected(result));
  });

  it('write values JSON cannot hold as JSON.stringify does (NaN, ±∞ as null; −0 as 0), and empty objects as {}', () => {
    const result = analyseGap(cellsFromRecords(records()), { by, minGroup: 10, alpha: 0.05 });
    const shown = result.groups.filter((group) => group.figures !== null);
    const [a, b, c] = shown;
    if (!a?.figures || !b?.figures || !c?.figures) throw new Error('too few shown groups');
    a.figures.std_gap = NaN;
    a.figures.std_gap_ci_low = Infinity;
    a.figures.std_gap_ci_high = -Infinity;
    a.figures.mean_diff = -0;
    a.figures.adjusted_for = 'a "quoted"\nline\u0001';
    b.figures.diff_steps = {};
    c.key.school = 'tab\there';
    expect(json(result)).toBe(expected(result));
    // A figure left undefined is written as null (JSON.stringify would leave the key out), as before.
    b.figures.vs_total = undefined as unknown as null;
    const nulls = `${JSON.stringify({ meta: META, rows: flattenGap(result) }, (_key, value: unknown) => (value === undefined ? null : value), 2)}\n`;
    expect(json(result)).toBe(nulls);
  });

  it('with no groups: an empty array', () => {
    const result = analyseGap([], { by, minGroup: 10, alpha: 0.05 });
    expect(json(result)).toBe(expected(result));
  });
});
