/**
 * The store's compact encodings: a slot's observations as a list with kinds, lines as small
 * steps with a whole line every 64th observation, files by observation range, contexts in 16
 * bits until there are more than 65 536 of them. Each is checked against plain arrays written
 * alongside, on sequences chosen to hit the edges.
 */
import { describe, expect, it } from 'vitest';
import { CONFLICT, KIND_ASSESSMENT, KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, NONE, ResultStore, type KindIndex } from '../../src/normalise/store.js';

const KINDS: readonly KindIndex[] = [KIND_GRADE, KIND_GRADE_AUTUMN, KIND_TEST, KIND_ASSESSMENT];

describe('ResultStore observations', () => {
  it('keeps each kind of a slot apart, whatever order they come in', () => {
    const store = new ResultStore();
    const pupil = store.pupilByNumber(200001019980);
    const slot = store.slotIndex(pupil, store.yearIndex(2024), store.subjectIndex('MA'));
    expect(store.obsOf(KIND_TEST, slot)).toBe(NONE);
    expect(store.add(KIND_TEST, slot, 3, 2, 0, 0, 10)).toBe('added');
    expect(store.add(KIND_ASSESSMENT, slot, 1, 0, 0, 0, 11)).toBe('added');
    expect(store.add(KIND_GRADE, slot, 4, 2, 0, 0, 12)).toBe('added');
    expect(store.obsOf(KIND_GRADE_AUTUMN, slot)).toBe(NONE);
    const out = store.observations(slot, new Int32Array(4));
    expect([...out]).toEqual([2, NONE, 0, 1]);
    expect(KINDS.map((kind) => store.obsOf(kind, slot))).toEqual([2, NONE, 0, 1]);
    expect(store.valueOf(store.obsOf(KIND_GRADE, slot))).toBe(4);
    expect(store.termOf(store.obsOf(KIND_GRADE, slot))).toBe(2);
    expect(store.termOf(store.obsOf(KIND_ASSESSMENT, slot))).toBe(0);
    // The same value again is a duplicate; another value marks a conflict at the first row.
    expect(store.add(KIND_GRADE, slot, 4, 2, 0, 0, 13)).toBe('duplicate');
    expect(store.add(KIND_TEST, slot, 1, 2, 0, 0, 14)).toBe('conflict');
    expect(store.valueOf(store.obsOf(KIND_TEST, slot))).toBe(CONFLICT);
    expect(store.conflictFirsts).toEqual([{ file: 0, line: 10 }]);
    expect(store.obsCount).toBe(3);
  });

  it('gives back every line and file, over steps that do not fit a byte, lines that go back and 64-observation edges', () => {
    const store = new ResultStore();
    const year = store.yearIndex(2024);
    const subject = store.subjectIndex('SV');
    const lines: number[] = [];
    const files: number[] = [];
    let line = 2;
    let file = 0;
    for (let i = 0; i < 1000; i++) {
      // Mostly the next line; now and then a long run of rejected rows, a new file starting over at line 2.
      if (i % 97 === 50) line += 254;
      else if (i % 131 === 7) line += 255 + i;
      else if (i % 211 === 3) {
        file++;
        line = 2;
      } else line += i % 3;
      const pupil = store.pupilByNumber(200001010000 + i);
      const slot = store.slotIndex(pupil, year, subject);
      expect(store.add(KIND_GRADE, slot, i % 6, 0, i % 7, file, line)).toBe('added');
      lines.push(line);
      files.push(file);
    }
    for (let obs = 0; obs < 1000; obs++) {
      expect(store.lineOf(obs)).toBe(lines[obs]);
      expect(store.fileOf(obs)).toBe(files[obs]);
      expect(store.ctxOf(obs)).toBe(obs % 7);
    }
    expect(new Set(files).size).toBeGreaterThan(3);
  });

  it('keeps contexts past 65 535 (the 16-bit array is widened, earlier ones kept)', () => {
    const store = new ResultStore();
    const year = store.yearIndex(2024);
    const subject = store.subjectIndex('EN');
    const contexts = [0, 65535, 7, 65536, 100000, 3];
    contexts.forEach((ctx, i) => {
      const slot = store.slotIndex(store.pupilByNumber(200001010000 + i), year, subject);
      store.add(KIND_TEST, slot, 2, 0, ctx, 0, i + 2);
    });
    expect(contexts.map((_, obs) => store.ctxOf(obs))).toEqual(contexts);
  });

  it('reserve keeps what was stored', () => {
    const store = new ResultStore();
    const year = store.yearIndex(2023);
    const subject = store.subjectIndex('MA');
    for (let i = 0; i < 5000; i++) store.add(KIND_GRADE, store.slotIndex(store.pupilByNumber(200001010000 + (i % 50)), year, subject + 0), i % 6, 0, 1, 0, i + 2);
    store.reserve(100000);
    const slot = store.slotIndex(store.pupilByNumber(200001010003), year, subject);
    expect(store.lineOf(store.obsOf(KIND_GRADE, slot))).toBe(5);
    expect(store.slotCount).toBe(50);
  });
});

describe('ResultStore slots', () => {
  /** Every (pupil, year, subject) of `keys` looked up in that order: the slots, checked against a plain map. */
  function lookUp(keys: [number, number, number][]): { store: ResultStore; hashed: boolean } {
    const store = new ResultStore();
    const seen = new Map<string, number>();
    // Wrong answers collected, so the check costs one assertion, not three per lookup.
    const wrong: string[] = [];
    for (const [pupil, year, subject] of keys) {
      const slot = store.slotIndex(pupil, year, subject);
      const key = `${pupil},${year},${subject}`;
      const before = seen.get(key);
      if (before === undefined) {
        if (slot !== seen.size) wrong.push(`${key}: new slot ${slot}, expected ${seen.size}`);
        seen.set(key, slot);
      } else if (slot !== before) wrong.push(`${key}: slot ${slot}, expected ${before}`);
      if (store.pupilOf(slot) !== pupil || store.yearOf(slot) !== year || store.subjectOf(slot) !== subject) wrong.push(`${key}: slot ${slot} holds another key`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(store.slotCount).toBe(seen.size);
    return { store, hashed: (store as unknown as { slotTable: unknown }).slotTable !== null };
  }

  const keys: [number, number, number][] = [];
  for (let pupil = 0; pupil < 1500; pupil++) for (let year = 0; year < 4; year++) for (let subject = 0; subject < 16; subject++) keys.push([pupil, year, subject]);
  // Some twice (a grade and a test of the same subject), and one subject code past the direct table.
  for (let pupil = 0; pupil < 1500; pupil += 7) keys.push([pupil, 1, 3], [pupil, 2, 2000]);

  it('a pupil at a time: found through the pupil lists', () => {
    const grouped = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(lookUp(grouped).hashed).toBe(false);
  });

  it('a school year at a time, a pupil at a time within it: each pupil\'s slots in several runs, found again', () => {
    const byYear = [...keys].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    expect(lookUp(byYear).hashed).toBe(false);
  });

  it('in no order: switches to the hash table and finds the same slots', () => {
    let state = 3;
    const shuffled = [...keys];
    for (let i = shuffled.length - 1; i > 0; i--) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const j = state % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as [number, number, number], shuffled[i] as [number, number, number]];
    }
    expect(lookUp(shuffled).hashed).toBe(true);
  });
});

describe('ResultStore observation lists', () => {
  it('finds a slot\'s observations however far apart they were added (16-bit distances and the far ones)', () => {
    const store = new ResultStore();
    const year = store.yearIndex(2024);
    const subject = store.subjectIndex('MA');
    const first = store.slotIndex(store.pupilByNumber(200001010001), year, subject);
    store.add(KIND_GRADE, first, 3, 2, 0, 0, 2);
    // 40 000 other slots in between, then the first slot's test: 40 001 observations back.
    for (let i = 0; i < 40000; i++) store.add(KIND_GRADE, store.slotIndex(store.pupilByNumber(200001020000 + i), year, subject), i % 6, 2, 0, 0, 3 + i);
    store.add(KIND_TEST, first, 4, 2, 0, 0, 50000);
    // And an omdöme right after (1 back from the test).
    store.add(KIND_ASSESSMENT, first, 1, 0, 0, 0, 50001);
    expect(KINDS.map((kind) => store.obsOf(kind, first))).toEqual([0, NONE, 40001, 40002]);
    expect([...store.observations(first, new Int32Array(4))]).toEqual([0, NONE, 40001, 40002]);
    expect(store.lineOf(40001)).toBe(50000);
    expect(store.add(KIND_GRADE, first, 3, 2, 0, 0, 50002)).toBe('duplicate');
    expect(store.add(KIND_TEST, first, 1, 2, 0, 0, 50003)).toBe('conflict');
    expect(store.conflictFirsts).toEqual([{ file: 0, line: 50000 }]);
  });
});
