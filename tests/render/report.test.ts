import { describe, expect, it } from 'vitest';
import { funnelCurve } from '../../src/render/report-doc.js';
import { mdText } from '../../src/render/report-md.js';

describe('funnelCurve', () => {
  it('draws ±z·√(s²/n + τ²) with s and τ² the medians over the groups', () => {
    // Chance-alone limit · √n / z: 2, 3, 2.5 → s = 2.5 (z = 1.959963984540054).
    // (limit² − chance limit²) / z²: 0.04, 0.09, 0.0625 (limits built from τ = 0.2, 0.3, 0.25) → τ² = 0.0625.
    const z = 1.959963984540054;
    const point = (n: number, s: number, tau: number) => ({ n, l95: z * Math.sqrt((s * s) / n + tau * tau), l95chance: (z * s) / Math.sqrt(n) });
    const curve = funnelCurve([point(4, 2, 0.2), point(36, 3, 0.3), point(100, 2.5, 0.25)]);
    expect(curve.length).toBe(41);
    expect(curve[0]!.n).toBe(4);
    expect(curve[0]!.l95).toBeCloseTo(z * Math.sqrt(6.25 / 4 + 0.0625), 12);
    expect(curve[0]!.l998).toBeCloseTo(3.090232306167813 * Math.sqrt(6.25 / 4 + 0.0625), 9);
    const last = curve[curve.length - 1]!;
    expect(last.n).toBeCloseTo(105, 12);
    expect(last.l95).toBeCloseTo(z * Math.sqrt(6.25 / 105 + 0.0625), 12);
    expect(funnelCurve([])).toEqual([]);
  });
});

describe('mdText', () => {
  it('keeps a cell a cell: no table break, no raw HTML, no emphasis', () => {
    expect(mdText('A | B <script> *x* _y_ [l](u)\nz')).toBe('A \\| B &lt;script&gt; \\*x\\* \\_y\\_ \\[l\\](u) z');
  });
});
