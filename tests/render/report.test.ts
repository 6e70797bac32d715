import { describe, expect, it } from 'vitest';
import type { TrendMetric, TrendSeries } from '../../src/analysis/trend.js';
import { ppText } from '../../src/render/report-doc.js';
import { mdText } from '../../src/render/report-md.js';
import { formatChange, formatMetric } from '../../src/render/trend.js';

/** A series with one metric over two school years, and the change between them as trend computes it. */
function series(metric: TrendMetric, before: number, after: number, sign: 'up' | 'down' | 'stable' | null = 'stable'): TrendSeries {
  const point = (year: string, value: number) => ({ school_year: year, n: 40, suppressed: null, estimates: { [metric]: { value, low: null, high: null, scale: 'share' as const } }, direction: null, relative: null, change: {} });
  return {
    analysis: 'gap',
    key: { school: 'Solåsens skola' },
    level: 'school',
    points: [point('2023/24', before), point('2024/25', after)],
    change_prev: { [metric]: { from: '2023/24', to: '2024/25', change: after - before, low: null, high: null, sign } },
    change_period: {},
    streak: { years: 0, direction: null },
    streak_relative: { years: 0, direction: null },
  };
}

describe('formatChange', () => {
  it('is the difference of the figures shown beside it, not the rounded difference', () => {
    // 10,4 % → 9,6 %: both shown as 10 %; the change is 0, not −1.
    expect([formatMetric('share_higher', 0.104, 'sv'), formatMetric('share_higher', 0.096, 'sv')]).toEqual(['10 %', '10 %']);
    expect(formatChange('share_higher', series('share_higher', 0.104, 0.096), 'sv')).toBe('0');
    // 33,4 % → 35,6 %: shown 33 % and 36 %, so +3 (the change itself rounds to +2).
    expect(formatChange('share_higher', series('share_higher', 0.334, 0.356, 'up'), 'sv')).toBe('+3▲');
    // Points with one decimal: 0,24 → 0,36 shown 0,2 and 0,4: +0,2 (the change rounds to +0,1).
    expect(formatChange('mean_diff', series('mean_diff', 0.24, 0.36), 'sv')).toBe('+0,2');
    // Differences of shares (år 5 − år 6) in procentenheter: −8,4 → −9,6 shown −8 and −10: −2, with its sign.
    expect(formatChange('diff_pp', series('diff_pp', -0.084, -0.096, 'down'), 'sv')).toBe('−2▼');
  });

  it('adds the short unit of a share\'s change when asked (the terminal table), never to grade points', () => {
    expect(formatChange('share_higher', series('share_higher', 0.2, 0.25), 'sv', { unit: true })).toBe('+5 p.e.');
    expect(formatChange('diff_pp', series('diff_pp', 0.01, 0.02), 'en', { unit: true })).toBe('+1 pp');
    expect(formatChange('std_gap', series('std_gap', 0.2, 0.5), 'sv', { unit: true })).toBe('+0,3');
  });

  it('agrees with the shown figures for every pair of shares on a fine grid', () => {
    let disagreements = 0;
    for (let a = 0; a <= 1000; a += 7) {
      for (let b = 0; b <= 1000; b += 13) {
        const before = a / 1000;
        const after = b / 1000;
        const shown = (text: string) => Number(text.replace(' %', '').replace('−', '-'));
        const change = Number(formatChange('share_higher', series('share_higher', before, after), 'sv').replace('−', '-'));
        if (shown(formatMetric('share_higher', after, 'sv')) - shown(formatMetric('share_higher', before, 'sv')) !== change) disagreements++;
      }
    }
    expect(disagreements).toBe(0);
  });

  it('is empty without a change', () => {
    const s = series('share_higher', 0.2, 0.3);
    expect(formatChange('share_higher', { ...s, change_prev: {} }, 'sv')).toBe('');
  });
});

describe('ppText', () => {
  it('says procentenhet in the singular for exactly one, with the figure as shown', () => {
    expect(ppText(0.01)).toBe('+1 procentenhet');
    expect(ppText(-0.0104)).toBe('−1 procentenhet');
    expect(ppText(0.014)).toBe('+1 procentenhet');
    expect(ppText(0.11)).toBe('+11 procentenheter');
    expect(ppText(-0.05)).toBe('−5 procentenheter');
    expect(ppText(0.001)).toBe('0 procentenheter');
  });
});

describe('mdText', () => {
  it('keeps a cell a cell: no table break, no raw HTML, no emphasis', () => {
    expect(mdText('A | B <script> *x* _y_ [l](u)\nz')).toBe('A \\| B &lt;script&gt; \\*x\\* \\_y\\_ \\[l\\](u) z');
  });
});
