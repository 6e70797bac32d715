/**
 * Words shown to people, in Swedish (default) and English (`--lang en`).
 */
import type { SuppressionReason } from '../analysis/suppression.js';
import type { Lang } from './format.js';
import type { ColumnName, ColumnSpec } from './text-table.js';

const TEXTS = {
  sv: {
    title: 'Betyg jämfört med nationella prov',
    total: 'Totalt',
    school_year: 'Läsår',
    grade_level: 'Åk',
    area: 'Område',
    school: 'Skola',
    class: 'Klass',
    subject: 'Ämne',
    gender: 'Kön',
    teacher: 'Lärare',
    girl: 'Flickor',
    boy: 'Pojkar',
    yes: 'Ja',
    no: 'Nej',
    group: 'Grupp',
    n: 'Elever',
    higher: 'Högre',
    same: 'Lika',
    lower: 'Lägre',
    net: 'Netto',
    meanDiff: 'Medeldiff (95 % KI)',
    pass: 'Minst E betyg/prov',
    stdGap: 'Std-diff',
    stdGapSteps: 'Std-diff (steg)',
    stdGapAdjusted: 'Std-diff, bakgrund',
    stdGapAdjustedSteps: 'Std-diff, bakgrund (steg)',
    funnel: 'Tratt',
    funnelWithin: 'inom',
    kappa: 'κw',
    vsTotal: 'Mot övriga',
    gradeOnly: 'Utan prov',
    testOnly: 'Utan betyg',
    cmpHigher: 'högre ▲',
    cmpLower: 'lägre ▼',
    cmpInLine: 'i nivå',
    suppressed: '..',
    matrixTitle: 'Betyg (rader) mot provbetyg (kolumner)',
    stepsTitle: 'Skillnad i betygssteg (betyg − prov)',
    level: 'åk',
    casesTitle: 'Elever vars betyg och provbetyg skiljer två steg eller mer',
    pupil: 'Elev',
    grade: 'Betyg',
    test: 'Provbetyg',
    diff: 'Steg',
    noGroups: 'Inga elever med både betyg och provbetyg hittades.',
    legend: [
      'Högre/Lika/Lägre: andel av eleverna med både betyg och provbetyg (A–F) vars betyg är högre än, lika med eller lägre än provbetyget.',
      'Netto: andel högre minus andel lägre (procentenheter). Medeldiff: betygspoäng (A=20, B=17,5, C=15, D=12,5, E=10, F=0), betyg minus prov.',
      'Std-diff: medeldiffen minus den som resten av kommunens betygssättning per provbetyg ger för gruppens mix av provbetyg (takeffekten borttagen; flickor mot flickor, pojkar mot pojkar). Tratt: std-diffen mot gränserna för slump plus vanliga skillnader mellan skolor; högre/lägre utanför 95 %, ▲▲/▼▼ utanför 99,8 %. En flagga betyder ovanligt, inte fel: se README, Rättvisa jämförelser.',
      'κw: kvadratiskt viktad kappa (1 = full överensstämmelse). Mot övriga: medeldiffen jämförd med resten av kommunen (Welchs t-test, α = {alpha}). Med många grupper ger slumpen flaggor: se meta.multiple_comparisons och p_adj i JSON.',
      '..: ingen siffra; Anmärkning säger varför: för få elever (färre än {min}), eller dold för att skydda en liten grupp (den skulle annars kunna räknas fram ur en summa; sekundär maskering).',
    ],
  },
  en: {
    title: 'Teacher grades compared with national tests',
    total: 'Total',
    school_year: 'Year',
    grade_level: 'Level',
    area: 'Area',
    school: 'School',
    class: 'Class',
    subject: 'Subject',
    gender: 'Gender',
    teacher: 'Teacher',
    girl: 'Girls',
    boy: 'Boys',
    yes: 'Yes',
    no: 'No',
    group: 'Group',
    n: 'Pupils',
    higher: 'Higher',
    same: 'Same',
    lower: 'Lower',
    net: 'Net',
    meanDiff: 'Mean diff (95% CI)',
    pass: '≥ E grade/test',
    stdGap: 'Std diff',
    stdGapSteps: 'Std diff (steps)',
    stdGapAdjusted: 'Std diff, background',
    stdGapAdjustedSteps: 'Std diff, background (steps)',
    funnel: 'Funnel',
    funnelWithin: 'within',
    kappa: 'κw',
    vsTotal: 'Vs rest',
    gradeOnly: 'No test',
    testOnly: 'No grade',
    cmpHigher: 'higher ▲',
    cmpLower: 'lower ▼',
    cmpInLine: 'in line',
    suppressed: '..',
    matrixTitle: 'Teacher grade (rows) by test grade (columns)',
    stepsTitle: 'Difference in grade steps (grade − test)',
    level: 'year',
    casesTitle: 'Pupils whose grade and test grade differ by two steps or more',
    pupil: 'Pupil',
    grade: 'Grade',
    test: 'Test',
    diff: 'Steps',
    noGroups: 'No pupils with both a teacher grade and a test grade were found.',
    legend: [
      'Higher/Same/Lower: share of pupils with both a grade and a test grade (A–F) whose grade is above, equal to or below the test grade.',
      'Net: share higher minus share lower (percentage points). Mean diff: grade points (A=20, B=17.5, C=15, D=12.5, E=10, F=0), grade minus test.',
      'Std diff: the mean difference minus what the rest of the municipality\'s grading per test grade predicts for the group\'s mix of test grades (ceiling effect removed; girls against girls, boys against boys). Funnel: std diff against the limits for chance plus ordinary differences between schools; higher/lower outside 95 %, ▲▲/▼▼ outside 99.8 %. A flag means unusual, not wrong: see the README, Fair comparisons.',
      'κw: quadratic-weighted kappa (1 = full agreement). Vs rest: the mean difference compared with the rest of the municipality (Welch t-test, α = {alpha}). With many groups chance raises flags: see meta.multiple_comparisons and p_adj in JSON.',
      '..: no figure; Note says why: too few pupils (fewer than {min}), or hidden to protect a small group (it could otherwise be worked out from a total by subtraction; complementary suppression).',
    ],
  },
} as const;

export type Texts = (typeof TEXTS)['sv'] | (typeof TEXTS)['en'];

export function texts(lang: Lang): Texts {
  return TEXTS[lang];
}

/** Why a row shows no figures, in words (tables and reports; JSON and CSV keep the codes). */
const HIDDEN_REASON: Readonly<Record<SuppressionReason, Readonly<Record<Lang, string>>>> = {
  small_group: { sv: 'för få elever', en: 'too few pupils' },
  complementary: { sv: 'dold för att skydda en liten grupp', en: 'hidden to protect a small group' },
};

export function hiddenReason(reason: SuppressionReason, lang: Lang): string {
  return HIDDEN_REASON[reason][lang];
}

/** The column that says why a row shows no figures. */
export const NOTE_HEAD: Readonly<Record<Lang, string>> = { sv: 'Anmärkning', en: 'Note' };

/** A group or year with no pupils in the measure (SCB's "–": nothing to report). */
export const NO_PUPILS: Readonly<Record<Lang, string>> = { sv: 'inga elever', en: 'no pupils' };

/** Printed on every human-readable output of a `--small-groups-only` run. */
export const INTERNAL_NOTICE: Readonly<Record<Lang, string>> = {
  sv: 'Intern analys: endast små grupper är dolda (ingen sekundär maskering). Får inte publiceras.',
  en: 'Internal analysis: only small groups are hidden (no complementary suppression). Not for publication.',
};

/** Column names of the figures a comparison shows. */
export const GAP_METRIC_LABELS: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  share_higher: { sv: 'Högre', en: 'Higher' },
  share_same: { sv: 'Lika', en: 'Same' },
  share_lower: { sv: 'Lägre', en: 'Lower' },
  net_gap: { sv: 'Netto', en: 'Net' },
  mean_diff: { sv: 'Medeldiff', en: 'Mean diff' },
  std_gap: { sv: 'Std-diff', en: 'Std diff' },
  share_pass_grade: { sv: 'Minst E betyg', en: '≥ E grade' },
  share_pass_test: { sv: 'Minst E prov', en: '≥ E test' },
};

export const TRANSITION_METRIC_LABELS: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  share_pass_from: { sv: 'Godkänt före', en: 'Pass earlier' },
  share_pass_to: { sv: 'Godkänt senare', en: 'Pass later' },
  diff_pp: { sv: 'Skillnad', en: 'Difference' },
};

/** Under a fitted table: how many columns it shows, and how to see the others. */
export function columnsNote(shown: number, total: number, width: number | null, lang: Lang): string {
  const fit = width === null ? '' : lang === 'sv' ? `, för ${width} tecken` : `, for ${width} characters`;
  return lang === 'sv' ? `${shown} av ${total} kolumner visas${fit}; --wide visar alla, --columns väljer.` : `${shown} of ${total} columns shown${fit}; --wide shows all, --columns picks.`;
}

/**
 * A table's columns for --columns: each key, with its Swedish and English headings (also without
 * what they say in brackets, "Medeldiff (95 % KI)" → "Medeldiff") and other names it may be given by.
 */
export function columnNames(sv: readonly ColumnSpec[], en: readonly ColumnSpec[], aliases: Readonly<Record<string, readonly string[]>> = {}): ColumnName[] {
  const names = new Map<string, string[]>();
  for (const column of [...sv, ...en]) {
    const list = names.get(column.key) ?? [];
    list.push(column.head, column.head.replace(/\s*\(.*\)\s*$/, ''));
    names.set(column.key, list);
  }
  return [...names].map(([key, list]) => ({ key, names: [...new Set([...list, ...(aliases[key] ?? [])])] }));
}
