import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/render/sparkline.js';

describe('sparkline', () => {
  it('uses one block per value, from ▁ at the minimum to █ at the maximum', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([8, 1])).toBe('█▁');
  });

  it('rounds to the nearest of the 8 levels', () => {
    // (5 − 0) / 10 · 7 = 3,5 → level 4 (▅); 2,5 / 10 · 7 = 1,75 → level 2 (▃).
    expect(sparkline([0, 10, 5, 2.5])).toBe('▁█▅▃');
    // Negative values scale the same way: −0,2 … 0,3; 0 → 0,2 / 0,5 · 7 = 2,8 → level 3 (▄).
    expect(sparkline([-0.2, 0, 0.3])).toBe('▁▄█');
  });

  it('leaves a space for null and non-finite values, and scales on the others only', () => {
    expect(sparkline([0, 10, null, 5, 2.5])).toBe('▁█ ▅▃');
    expect(sparkline([Number.NaN, 1, Number.POSITIVE_INFINITY, 2])).toBe(' ▁ █');
    expect(sparkline([null, null])).toBe('  ');
  });

  it('draws ▄ when all values are equal, and nothing for no values', () => {
    expect(sparkline([3, 3, 3])).toBe('▄▄▄');
    expect(sparkline([null, 7])).toBe(' ▄');
    expect(sparkline([])).toBe('');
  });

  it('is deterministic', () => {
    const values = [0.81, 0.84, null, 0.79, 0.83];
    expect(sparkline(values)).toBe(sparkline([...values]));
    expect(sparkline(values)).toBe('▄█ ▁▇');
  });
});
