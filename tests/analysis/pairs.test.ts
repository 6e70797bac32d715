import { describe, expect, it } from 'vitest';
import { divergentPairs, pairGradesWithTests } from '../../src/analysis/pairs.js';
import { genderResolver, readExports } from '../../src/normalise/ingest.js';

async function store(text: string) {
  const result = await readExports([{ name: 'x.csv', open: async function* () { yield Buffer.from(text); } }], { config: {}, areas: new Map() });
  return result.store;
}

const TEXT = [
  'Personnummer;Skola;Åk;Termin;Ämne;Betyg;Provbetyg;Kön',
  // A: autumn C, spring B, test C → the spring grade is compared (higher).
  '201101019991;S;9;HT24;MA;C;;Flicka',
  '201101019991;S;9;VT25;MA;B;C;Flicka',
  // B: autumn grade only, test D → used (same).
  '201101029982;S;9;HT24;MA;D;;Pojke',
  '201101029982;S;9;VT25;MA;;D;Pojke',
  // C: a grade in a subject without tests.
  '201101039973;S;9;VT25;IDH;A;;Pojke',
  // D: streck as grade, test E → test only.
  '201101049964;S;9;VT25;MA;-;E;Flicka',
  // E: two different spring grades → the grade is left out, the test stays (test only).
  '201101059955;S;9;VT25;MA;A;C;Flicka',
  '201101059955;S;9;VT25;MA;B;;Flicka',
].join('\n');

describe('pairGradesWithTests', () => {
  it('pairs the spring grade, falls back to the autumn one, and accounts for every value', async () => {
    const s = await store(TEXT);
    const { cells, coverage } = pairGradesWithTests(s, genderResolver(s));
    expect(coverage).toMatchObject({
      paired: 4, // A and B, two values each
      test_only: 2, // D (streck grade) and E (conflicting grade)
      grade_only: 0,
      streck: 1,
      no_test_in_subject_level_year: 1, // C's IDH
      autumn_grade_superseded: 1, // A's autumn C
      conflict_left_out: 1,
    });
    const total = new Float64Array(36);
    for (const cell of cells) for (let i = 0; i < 36; i++) total[i]! += cell.counts[i] ?? 0;
    expect(total[4 * 6 + 3]).toBe(1); // A: B against C
    expect(total[2 * 6 + 2]).toBe(1); // B: D against D
    expect(cells.reduce((n, cell) => n + cell.testOnly, 0)).toBe(2);
  });

  it('lists only pupils two steps or more apart', async () => {
    const s = await store(['Personnummer;Skola;Åk;Läsår;Ämne;Betyg;Provbetyg', '201101019991;S;9;2024/25;MA;A;C', '201101029982;S;9;2024/25;MA;B;C'].join('\n'));
    const cases = divergentPairs(s, genderResolver(s));
    expect(cases.map((c) => [c.pupil, c.grade, c.test])).toEqual([['201101019991', 5, 3]]);
  });
});
