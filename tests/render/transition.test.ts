import { describe, expect, it } from 'vitest';
import { cohortName, cohortsText } from '../../src/render/transition.js';

const cohort = (from: string, to: string, fromLevel = 5, toLevel = 6) => ({ from_school_year: from, to_school_year: to, from_level: fromLevel, to_level: toLevel });
const TWO = [cohort('2022/23', '2023/24'), cohort('2023/24', '2024/25')];

describe('cohortsText', () => {
  it('names pooled cohorts in Swedish and English', () => {
    expect(cohortsText(TWO, 'sv')).toBe('Åk 5 2022/23 → åk 6 2023/24 och åk 5 2023/24 → åk 6 2024/25 (2 årskullar sammanslagna)');
    expect(cohortsText(TWO, 'en')).toBe('Year 5 2022/23 → year 6 2023/24 and year 5 2023/24 → year 6 2024/25 (2 cohorts pooled)');
  });

  it('lists three with commas, one alone, and says when each year is shown on its own', () => {
    const three = [cohort('2021/22', '2022/23'), ...TWO];
    expect(cohortsText(three, 'sv')).toBe('Åk 5 2021/22 → åk 6 2022/23, åk 5 2022/23 → åk 6 2023/24 och åk 5 2023/24 → åk 6 2024/25 (3 årskullar sammanslagna)');
    expect(cohortsText([cohort('2021/22', '2024/25', 6, 9)], 'sv')).toBe('Åk 6 2021/22 → åk 9 2024/25 (1 årskull)');
    expect(cohortsText([cohort('2021/22', '2024/25', 6, 9)], 'en')).toBe('Year 6 2021/22 → year 9 2024/25 (1 cohort)');
    expect(cohortsText(TWO, 'sv', false)).toBe('Åk 5 2022/23 → åk 6 2023/24 och åk 5 2023/24 → åk 6 2024/25 (2 årskullar, var för sig)');
    expect(cohortsText(TWO, 'en', false)).toMatch(/\(2 cohorts, shown separately\)$/);
    expect(cohortsText([], 'sv')).toBe('');
    expect(cohortName(TWO[1]!, 'sv')).toBe('åk 5 2023/24 → åk 6 2024/25');
  });
});
