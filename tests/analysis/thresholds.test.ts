import { describe, expect, it } from 'vitest';
import { findBreaches, parseConditions } from '../../src/analysis/thresholds.js';

const KEYS = ['share_higher', 'verdict', 'n', 'diff_pp'];

describe('--fail-on conditions', () => {
  it('parses numbers, words and the operators', () => {
    expect(parseConditions('share_higher>0.25, verdict=strict,n>=10,diff_pp<-0.1,verdict!=in_line,n==3', KEYS)).toEqual([
      { text: 'share_higher>0.25', key: 'share_higher', op: '>', value: 0.25 },
      { text: 'verdict=strict', key: 'verdict', op: '=', value: 'strict' },
      { text: 'n>=10', key: 'n', op: '>=', value: 10 },
      { text: 'diff_pp<-0.1', key: 'diff_pp', op: '<', value: -0.1 },
      { text: 'verdict!=in_line', key: 'verdict', op: '!=', value: 'in_line' },
      { text: 'n==3', key: 'n', op: '=', value: 3 },
    ]);
  });

  it('refuses unknown keys, malformed text and ordering on words', () => {
    expect(() => parseConditions('planet>1', KEYS)).toThrow('"planet" is not a key');
    expect(() => parseConditions('share_higher', KEYS)).toThrow('is not KEY>NUMBER');
    expect(() => parseConditions('verdict>strict', KEYS)).toThrow('> needs a number');
    expect(() => parseConditions(' , ', KEYS)).toThrow('no condition given');
  });

  it('finds breaching groups; hidden groups and nulls never breach', () => {
    const rows = [
      { share_higher: 0.3, verdict: 'strict', suppressed: false },
      { share_higher: 0.2, verdict: 'in_line', suppressed: false },
      { share_higher: null, verdict: null, suppressed: true },
    ];
    const breaches = findBreaches(rows, parseConditions('share_higher>0.25,verdict!=in_line,share_higher<=0.2', KEYS));
    expect(breaches.map((b) => [b.condition.text, b.rows.length])).toEqual([
      ['share_higher>0.25', 1],
      ['verdict!=in_line', 1],
      ['share_higher<=0.2', 1],
    ]);
  });
});
