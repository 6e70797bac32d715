import { describe, expect, it } from 'vitest';
import { funnelCurve } from '../../src/render/report-doc.js';
import { mdText } from '../../src/render/report-md.js';

describe('funnelCurve', () => {
  it('draws ±z·s/√n with s the median of limit·√n over the groups', () => {
    // limit·√n: 1·√4 = 2, 0.5·√36 = 3, 0.25·√100 = 2.5 → median 2.5 (95 %); 998: 4, 6, 5 → 5.
    const curve = funnelCurve([
      { n: 4, l95: 1, l998: 2 },
      { n: 36, l95: 0.5, l998: 1 },
      { n: 100, l95: 0.25, l998: 0.5 },
    ]);
    expect(curve.length).toBe(41);
    expect(curve[0]).toEqual({ n: 4, l95: 2.5 / 2, l998: 5 / 2 });
    const last = curve[curve.length - 1]!;
    expect(last.n).toBeCloseTo(105, 12);
    expect(last.l95).toBeCloseTo(2.5 / Math.sqrt(105), 12);
    expect(funnelCurve([])).toEqual([]);
  });
});

describe('mdText', () => {
  it('keeps a cell a cell: no table break, no raw HTML, no emphasis', () => {
    expect(mdText('A | B <script> *x* _y_ [l](u)\nz')).toBe('A \\| B &lt;script&gt; \\*x\\* \\_y\\_ \\[l\\](u) z');
  });
});
