/**
 * One school's analysis sheet (analysunderlag, `report --school`, `--per-school`), in Swedish:
 * the school's grades against the tests beside the rest of the municipality (and the published
 * figures with --reference), its years, its pupils' år 5 → 6 transition as sending and as
 * receiving school, the cases to follow up when asked, and the yearly cycle's questions with
 * room for the school's own text. The HTML and Markdown renderers of the board report draw it.
 *
 * Only figures the municipality's report shows (or that cannot reveal what it hides) reach it:
 * - the school's own rows are the rows of the same analysis as the board report, with the same
 *   hidden groups;
 * - "Kommunen totalt" is the board report's total row;
 * - "Resten av kommunen" (total minus the school) only where that cannot isolate a hidden group
 *   (restOfMunicipality);
 * - the other attribution of the transition (receiving when the report counts pupils where they
 *   were in år 5, and the other way round) comes protected (commands/report-school.ts).
 */
import type { GapFigures, GapGroup, GapResult } from '../analysis/gap.js';
import type { GroupKey } from '../analysis/groups.js';
import type { ReferenceComparison } from '../analysis/reference-compare.js';
import type { SuppressionReason } from '../analysis/suppression.js';
import { cohortFor, type TransitionFigures, type TransitionGroup, type TransitionResult } from '../analysis/transition.js';
import type { TrendResult, TrendSeries } from '../analysis/trend.js';
import type { ReportMeta } from '../meta.js';
import { MISSING_VALUE } from '../analysis/pairs.js';
import { GRADE_LETTERS, type GradeLetter } from '../types.js';
import type { DumbbellRow, ShareRow, TrendSeries as ChartSeries } from './charts.js';
import { formatCount, formatInterval, formatShare, formatSigned } from './format.js';
import { hiddenReason, INTERNAL_NOTICE, NO_PUPILS } from './labels.js';
import { referenceAttribution, referenceDocSection, type ReferenceInfo } from './reference.js';
import {
  accountingSection,
  funnelText,
  joinList,
  LEVEL_WORD,
  lower,
  NONE,
  ppText,
  strataOf,
  subject,
  SUPPRESSED,
  withNotes,
  type Block,
  type DocSection,
  type ReportDoc,
  type Table,
} from './report-doc.js';
import { cohortName } from './transition.js';
import { changeUnit, formatChange, formatMetric, streakText } from './trend.js';

/** Why a row of the other attribution shows nothing: the usual reasons, or `moved` (see report-school.ts). */
type ViewReason = SuppressionReason | 'moved';

/** A school's row in the other attribution of the transition, protected. */
export interface ViewGroup {
  key: GroupKey;
  n: number;
  suppressed: ViewReason | null;
  figures: TransitionFigures | null;
}

/** A pupil whose grade and test grade differ by two steps or more (id masked). */
export interface SchoolGapCase {
  pupil: string;
  school_year: string;
  grade_level: string | number;
  class: string;
  subject: string;
  grade: GradeLetter;
  test: GradeLetter;
  diff_steps: number;
}

/** A linked pupil whose pass/fail changed between the two sides (id masked). */
export interface SchoolTransitionCase {
  pupil: string;
  /** The later side's school year. */
  school_year: string;
  subject: string;
  class: string;
  fromPass: boolean;
  toPass: boolean;
  /** The pupil was at this school on the earlier side, the later side, or both. */
  here: 'from' | 'to' | 'both';
}

export interface SchoolDocInput {
  school: string;
  meta: ReportMeta;
  /** --title (the document is titled "<title>: <school>"); null: "Analysunderlag". */
  title: string | null;
  gap: GapResult;
  /** The transition as in the board report (by school_year, area, school, subject), attributed to `link.attributeTo`. */
  transition: TransitionResult;
  /** The other attribution, the school's rows by school_year and subject; null when nothing could be linked. */
  other: readonly ViewGroup[] | null;
  trend: TrendResult;
  link: { fromLevel: number; toLevel: number; attributeTo: 'from' | 'to' };
  /** Published figures (--reference), the latest year's rows. */
  reference: { comparison: ReferenceComparison; info: ReferenceInfo } | null;
  /** --list-cases: the school's pupils to follow up; null when not asked for. */
  cases: { gap: SchoolGapCase[]; transition: SchoolTransitionCase[] } | null;
}

// ---------------------------------------------------------------------------------------------
// The rest of the municipality

/** Total minus the school: shown, none (the school is the stratum's only one), or hidden. */
type RestFigure = { kind: 'shown'; n: number; higher: number; same: number; lower: number } | { kind: 'none' } | { kind: 'hidden' };

/**
 * "Resten av kommunen" for one school in one stratum: the municipality total minus the school,
 * from their grade matrices. Shown only when anyone could already get it from the board report
 * (the school and the total are both shown) and it cannot isolate a hidden group: the rest has
 * at least `minGroup` pupils, and the hidden schools in it are none, or at least two with at
 * least `minGroup` pupils together. (With one hidden school in the rest, the rest minus the
 * shown schools would be that school; with two small ones, their sum would be a group under
 * `minGroup`.) `groups`: every group of the stratum (one school year, grade level and subject).
 */
function restOfMunicipality(groups: readonly GapGroup[], school: GapGroup, minGroup: number): RestFigure {
  const total = groups.find((g) => g.level === 'total');
  if (!total || total.n - school.n <= 0) return { kind: 'none' };
  if (!total.figures || !school.figures) return { kind: 'hidden' };
  const others = groups.filter((g) => g.level === 'school' && g !== school && g.n > 0);
  const hidden = others.filter((g) => g.suppressed !== null);
  const hiddenPupils = hidden.reduce((sum, g) => sum + g.n, 0);
  const n = total.n - school.n;
  if (n < minGroup || (hidden.length > 0 && (hidden.length < 2 || hiddenPupils < minGroup))) return { kind: 'hidden' };
  const tm = total.figures.matrix;
  const sm = school.figures.matrix;
  let higher = 0;
  let same = 0;
  let lowerCount = 0;
  GRADE_LETTERS.forEach((grade, g) => {
    GRADE_LETTERS.forEach((test, t) => {
      const count = tm[grade][test] - sm[grade][test];
      if (g > t) higher += count;
      else if (g === t) same += count;
      else lowerCount += count;
    });
  });
  return { kind: 'shown', n, higher: higher / n, same: same / n, lower: lowerCount / n };
}

// ---------------------------------------------------------------------------------------------
// Words

const REST = 'resten av kommunen';
const TOTAL = 'kommunen totalt';
const REST_HIDDEN = hiddenReason('complementary', 'sv');

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function levelOf(key: GroupKey): string {
  return `${LEVEL_WORD} ${String(key.grade_level)}`;
}

function viewReasonText(reason: ViewReason | null, fromLevel: number, toLevel: number): string {
  if (reason === null) return '';
  if (reason === 'moved') return `dold: få elever bytte skola mellan åk ${fromLevel} och åk ${toLevel}, och skillnaden mot den andra raden skulle visa deras resultat`;
  return hiddenReason(reason, 'sv');
}

// ---------------------------------------------------------------------------------------------
// Betyg jämfört med nationella prov (the latest year)

function stdGapText(f: GapFigures): string {
  if (f.std_gap === null) return '';
  const interval = f.std_gap_ci_low !== null && f.std_gap_ci_high !== null ? ` ${formatInterval(f.std_gap_ci_low, f.std_gap_ci_high, 1, 'sv')}` : '';
  return `${formatSigned(f.std_gap, 1, 'sv')}${interval}`;
}

interface GapStratum {
  key: GroupKey;
  own: GapGroup[];
  total: GapGroup | undefined;
  rest: RestFigure | null;
}

function gapStrata(gap: GapResult, school: string, year: string, minGroup: number): GapStratum[] {
  const rows = gap.groups.filter((g) => g.key.school_year === year);
  const out: GapStratum[] = [];
  for (const stratum of strataOf(rows, ['grade_level', 'subject'])) {
    const own = stratum.groups.filter((g) => g.level === 'school' && g.key.school === school);
    if (own.length === 0) continue;
    const total = stratum.groups.find((g) => g.level === 'total');
    // A school in two areas (two rows) has no one rest; each row is shown as it is.
    const rest = own.length === 1 && own[0] ? restOfMunicipality(stratum.groups, own[0], minGroup) : null;
    out.push({ key: stratum.key, own, total, rest });
  }
  return out;
}

function gapSection(input: SchoolDocInput, strata: readonly GapStratum[], year: string): DocSection {
  const { school } = input;
  const parts: { heading: string; blocks: Block[] }[] = [];
  const levels = [...new Set(strata.map((st) => String(st.key.grade_level)))];
  for (const level of levels) {
    const own = strata.filter((st) => String(st.key.grade_level) === level);
    const rows: string[][] = [];
    const strong: number[] = [];
    const notes: string[] = [];
    const bars: ShareRow[] = [];
    for (const st of own) {
      const name = subject(st.key.subject);
      for (const g of st.own) {
        strong.push(rows.length);
        const label = st.own.length > 1 ? `${name}: ${school} (${String(g.key.area)})` : `${name}: ${school}`;
        const f = g.figures;
        if (!f) {
          rows.push([label, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]);
          notes.push(hiddenReason(g.suppressed ?? 'complementary', 'sv'));
          continue;
        }
        rows.push([label, formatCount(g.n, 'sv'), formatShare(f.share_higher, 'sv'), formatShare(f.share_same, 'sv'), formatShare(f.share_lower, 'sv'), stdGapText(f), funnelText(f.funnel_flag)]);
        notes.push('');
        bars.push({ label: `${name}: ${school}`, higher: f.share_higher, same: f.share_same, lower: f.share_lower, n: g.n });
      }
      const rest = st.rest;
      // The chart compares a shown school with the rest (or the total where the rest is hidden); not the school with itself.
      const compared = st.own.some((g) => g.figures !== null) && rest?.kind !== 'none';
      if (rest !== null) {
        if (rest.kind === 'shown') {
          rows.push([`  ${capital(REST)}`, formatCount(rest.n, 'sv'), formatShare(rest.higher, 'sv'), formatShare(rest.same, 'sv'), formatShare(rest.lower, 'sv'), '', '']);
          notes.push('');
          if (compared) bars.push({ label: `${name}: ${REST}`, higher: rest.higher, same: rest.same, lower: rest.lower, n: rest.n });
        } else if (rest.kind === 'none') {
          rows.push([`  ${capital(REST)}`, NONE, NONE, NONE, NONE, '', '']);
          notes.push(`${NO_PUPILS.sv}: skolan är kommunens enda`);
        } else {
          rows.push([`  ${capital(REST)}`, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, '', '']);
          notes.push(REST_HIDDEN);
        }
      }
      const total = st.total;
      if (total) {
        const f = total.figures;
        rows.push([`  ${capital(TOTAL)}`, ...(f ? [formatCount(total.n, 'sv'), formatShare(f.share_higher, 'sv'), formatShare(f.share_same, 'sv'), formatShare(f.share_lower, 'sv')] : [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]), '', '']);
        notes.push(f ? '' : hiddenReason(total.suppressed ?? 'complementary', 'sv'));
        // The total is the comparison in the chart only where the rest cannot be shown.
        if (f && compared && rest?.kind !== 'shown') bars.push({ label: `${name}: ${TOTAL}`, higher: f.share_higher, same: f.share_same, lower: f.share_lower, n: total.n });
      }
    }
    const blocks: Block[] = [];
    // A chart of the comparison rows alone (the school hidden in every subject) says nothing of the school.
    if (bars.length > 1 && own.some((st) => st.own.some((g) => g.figures !== null))) {
      blocks.push({
        kind: 'chart',
        chart: {
          type: 'shareBars',
          id: `skola-bars-${level}`,
          title: `Betyg jämfört med provbetyg: ${school} och ${REST}, ${LEVEL_WORD} ${level}, ${year}`,
          desc: `Andel elever vars betyg är högre än, lika med eller lägre än provbetyget, per ämne: skolan och ${REST} (eller ${TOTAL} där resten inte kan visas).`,
          rows: bars,
        },
      });
    }
    const table: Table = { caption: `${capital(LEVEL_WORD)} ${level}, ${year}`, head: ['Ämne och enhet', 'Elever', 'Högre', 'Lika', 'Lägre', 'Std-diff (95 % KI)', 'Tratt'], textColumns: [6], rows, strong };
    blocks.push({ kind: 'table', table: withNotes(table, notes) });
    parts.push({ heading: `${capital(LEVEL_WORD)} ${level}`, blocks });
  }
  const blocks: Block[] = [
    {
      kind: 'text',
      text: `Varje elev med både terminsbetyg och provbetyg i samma ämne och läsår: är betyget högre än, lika med eller lägre än provbetyget? Skolans andelar står bredvid andelarna för ${REST} och för kommunen som helhet. Std-diff är skolans skillnad mellan betyg och prov i betygspoäng (A = 20, B = 17,5, C = 15, D = 12,5, E = 10, F = 0) minus den skillnad som ${REST}s lärare ger elever med samma provbetyg, med 95 %-intervall: så jämförs skolan rättvist också när den har många elever med A på provet (takeffekten). Tratt: inom gränserna, eller högre respektive lägre betyg än ${REST} och utanför 95 %- eller 99,8 %-gränsen, som räknar med slumpen och med de vanliga skillnaderna mellan skolor. En flagga säger var det är värt att titta, inte att betygen är fel.`,
    },
    {
      kind: 'note',
      text: `Samma siffror och samma dolda grupper som i kommunens rapport. ${capital(REST)} visas bara där den inte kan avslöja en dold skola: när skolan och kommunen visas, resten har minst ${String(input.meta.parameters.min_group ?? 10)} elever, och de dolda skolorna i den är inga eller minst två med tillsammans minst lika många elever; annars står ${TOTAL} som jämförelse.`,
    },
  ];
  if (strata.length === 0) blocks.push({ kind: 'note', text: `${school} har inga elever med både betyg och provbetyg ${year}.` });
  return { id: 'betyg-prov', heading: `Betyg jämfört med nationella prov, ${year}`, blocks, parts };
}

// ---------------------------------------------------------------------------------------------
// Jämfört med referensen (--reference)

function referenceSection(input: SchoolDocInput): DocSection | null {
  if (!input.reference) return null;
  const { comparison, info } = input.reference;
  const rows = comparison.rows.filter((row) => row.level === 'total' || (row.level === 'school' && row.key.school === input.school));
  return referenceDocSection({ ...comparison, rows }, info);
}

// ---------------------------------------------------------------------------------------------
// Över läsåren

function schoolSeries(series: readonly TrendSeries[], school: string): TrendSeries[] {
  return series.filter((s) => s.level === 'school' && s.key.school === school);
}

function yearCells(series: TrendSeries | undefined, years: readonly string[], metric: 'share_higher' | 'std_gap'): { cells: string[]; note: string } {
  const reasons = new Map<string, string[]>();
  const add = (reason: string, year: string) => reasons.set(reason, [...(reasons.get(reason) ?? []), year]);
  const cells = years.map((year, index) => {
    const point = series?.points[index] ?? null;
    if (!point) return NONE;
    if (point.suppressed) {
      add(hiddenReason(point.suppressed, 'sv'), year);
      return SUPPRESSED;
    }
    const value = point.estimates[metric]?.value;
    if (value === undefined || value === null) {
      // A Std-diff needs another school with pupils at the same test grades.
      if (metric === 'std_gap') add('ingen annan skola att jämföra med', year);
      return '';
    }
    return formatMetric(metric, value, 'sv');
  });
  const note = [...reasons].map(([reason, list]) => `${reason} (${list.length === years.length ? 'alla läsår' : list.join(', ')})`).join('; ');
  return { cells, note };
}

function trendSection(input: SchoolDocInput): DocSection | null {
  const part = input.trend.gap;
  if (!part || part.school_years.length < 2) return null;
  const years = part.school_years;
  const own = schoolSeries(part.series, input.school);
  if (own.length === 0) return null;
  const totals = part.series.filter((s) => s.level === 'total');
  const totalOf = (s: TrendSeries) => totals.find((t) => t.key.grade_level === s.key.grade_level && t.key.subject === s.key.subject);
  const blocks: Block[] = [
    {
      kind: 'text',
      text: `Samma mått läsår för läsår: andelen elever med högre betyg än provbetyg, bredvid ${TOTAL}, och Std-diff mot ${REST}. Förändring: senaste läsåret mot året innan, räknad på de avrundade siffrorna i tabellen; ▲/▼ betyder att förändringen är statistiskt säker (95 %). Samma riktning: hur många läsår i rad skolan legat åt samma håll; ${input.trend.options.minStreak} eller fler är ett mönster, inte ett enstaka år. "..": dold det läsåret (skälet under Anmärkning); "–": inga elever det läsåret.`,
    },
  ];
  // A chart per grade level: the school's share higher, a line per subject.
  for (const level of [...new Set(own.map((s) => String(s.key.grade_level)))]) {
    const lines: ChartSeries[] = own
      .filter((s) => String(s.key.grade_level) === level)
      .map((s) => ({ label: subject(s.key.subject), points: years.map((year, index) => ({ x: year, y: s.points[index]?.estimates.share_higher?.value ?? null })) }))
      .filter((s) => s.points.filter((p) => p.y !== null).length >= 2);
    if (lines.length === 0) continue;
    blocks.push({
      kind: 'chart',
      chart: {
        type: 'trend',
        id: `skola-trend-${level}`,
        title: `Andel med högre betyg än provbetyg över läsåren: ${input.school}, ${LEVEL_WORD} ${level}`,
        desc: `${lines.length} ${lines.length === 1 ? 'linje' : 'linjer'}, en per ämne, läsåren ${years.join(', ')}.`,
        series: lines,
        categories: years,
        yLabel: 'Andel högre',
        yFormat: 'share',
        zeroLine: false,
      },
    });
  }
  const shareRows: string[][] = [];
  const shareStrong: number[] = [];
  const shareNotes: string[] = [];
  const stdRows: string[][] = [];
  const stdNotes: string[] = [];
  for (const s of own) {
    const name = `${subject(s.key.subject)}, ${levelOf(s.key)}`;
    const share = yearCells(s, years, 'share_higher');
    shareStrong.push(shareRows.length);
    shareRows.push([name, ...share.cells, formatChange('share_higher', s, 'sv'), streakText(s, 'sv')]);
    shareNotes.push(share.note);
    const total = totalOf(s);
    const totalCells = yearCells(total, years, 'share_higher');
    shareRows.push([`  ${capital(TOTAL)}`, ...totalCells.cells, total ? formatChange('share_higher', total, 'sv') : '', '']);
    shareNotes.push(totalCells.note);
    const std = yearCells(s, years, 'std_gap');
    const relative = s.streak_relative.years >= 2 && s.streak_relative.direction ? `${s.streak_relative.years} år i rad ${s.streak_relative.direction === 'above' ? 'över' : 'under'} ${REST}` : '';
    stdRows.push([name, ...std.cells, formatChange('std_gap', s, 'sv'), relative]);
    stdNotes.push(std.note);
  }
  blocks.push({
    kind: 'table',
    table: withNotes({ caption: 'Andel med högre betyg än provbetyg per läsår', head: ['Ämne och enhet', ...years, `Förändring (${changeUnit('share_higher', 'sv')})`, 'Samma riktning'], textColumns: [years.length + 2], rows: shareRows, strong: shareStrong }, shareNotes),
  });
  blocks.push({
    kind: 'table',
    table: withNotes({ caption: `Std-diff mot ${REST} per läsår (betygspoäng)`, head: ['Ämne', ...years, `Förändring (${changeUnit('std_gap', 'sv')})`, 'Samma riktning'], textColumns: [years.length + 2], rows: stdRows }, stdNotes),
  });
  return { id: 'trender', heading: 'Över läsåren', blocks };
}

// ---------------------------------------------------------------------------------------------
// Från åk 5 till åk 6: as sending and as receiving school

interface RoleRow {
  key: GroupKey;
  n: number;
  suppressed: ViewReason | null;
  figures: TransitionFigures | null;
}

const VERDICT_WORD = { strict: 'sträng', generous: 'generös', in_line: 'i linje' } as const;

function transitionCells(row: RoleRow | undefined): string[] {
  if (!row) return [NONE, NONE, NONE, NONE, ''];
  const f = row.figures;
  if (!f) return [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED];
  return [formatCount(row.n, 'sv'), formatShare(f.share_pass_from, 'sv'), formatShare(f.share_pass_to, 'sv'), formatSigned(f.diff_pp * 100, 0, 'sv'), VERDICT_WORD[f.verdict]];
}

/** "2022/23 → 2023/24": the two school years of the cohort whose later side is `year`. */
function cohortYears(year: string, fromLevel: number, toLevel: number): string {
  const cohort = cohortFor(year, fromLevel, toLevel);
  return `${cohort.from_school_year} → ${cohort.to_school_year}`;
}

function transitionSection(input: SchoolDocInput): DocSection | null {
  const { school, link } = input;
  const { fromLevel, toLevel } = link;
  const primary = input.transition.groups;
  if (primary.length === 0) return null;
  const own = (groups: readonly (TransitionGroup | ViewGroup)[]) => groups.filter((g) => g.key.school === school && ('level' in g ? g.level === 'school' : true));
  const primaryOwn = own(primary);
  const otherOwn = own(input.other ?? []);
  const sending = link.attributeTo === 'from' ? primaryOwn : otherOwn;
  const receiving = link.attributeTo === 'to' ? primaryOwn : otherOwn;
  if (sending.length === 0 && receiving.length === 0) return null;
  const find = (groups: readonly RoleRow[], year: string, code: unknown) => groups.find((g) => g.key.school_year === year && g.key.subject === code);
  const totals = primary.filter((g) => g.level === 'total');
  const years = [...new Set([...sending, ...receiving].map((g) => String(g.key.school_year)))].sort();
  const latestYear = years[years.length - 1] ?? '';
  const subjects = [...new Set([...sending, ...receiving].map((g) => String(g.key.subject)))];
  const order = strataOf(
    subjects.map((code) => ({ key: { subject: code } })),
    ['subject'],
  ).map((st) => String(st.key.subject));
  const sendWord = 'som avlämnande skola';
  const receiveWord = 'som mottagande skola';
  const parts: { heading: string; blocks: Block[] }[] = [];
  const dumbbells: DumbbellRow[] = [];
  for (const code of order) {
    const rows: string[][] = [];
    const strong: number[] = [];
    const notes: string[] = [];
    for (const year of years) {
      const total = totals.find((g) => g.key.school_year === year && g.key.subject === code);
      strong.push(rows.length);
      rows.push([`Kommunen, ${cohortYears(year, fromLevel, toLevel)}`, ...transitionCells(total)]);
      notes.push(total && !total.figures && total.suppressed ? hiddenReason(total.suppressed, 'sv') : total ? '' : NO_PUPILS.sv);
      for (const [word, groups] of [
        [sendWord, sending],
        [receiveWord, receiving],
      ] as const) {
        const g = find(groups, year, code);
        rows.push([`  ${capital(word)}`, ...transitionCells(g)]);
        notes.push(g ? viewReasonText(g.suppressed, fromLevel, toLevel) : NO_PUPILS.sv);
        if (year === latestYear && g?.figures) dumbbells.push({ label: `${subject(code)}: ${word}`, from: g.figures.share_pass_from, to: g.figures.share_pass_to, n: g.n, verdict: g.figures.verdict });
      }
      if (year === latestYear && total?.figures) dumbbells.push({ label: `${subject(code)}: ${TOTAL}`, from: total.figures.share_pass_from, to: total.figures.share_pass_to, n: total.n, verdict: total.figures.verdict });
    }
    const table: Table = {
      caption: `${subject(code)}: åk ${fromLevel} → åk ${toLevel}, alla årskullar (läsåret i åk ${fromLevel} → läsåret i åk ${toLevel})`,
      head: ['Årskull och enhet', 'Elever', `Godkänt åk ${fromLevel}`, `Godkänt åk ${toLevel}`, 'Skillnad (procentenheter)', 'Bedömning'],
      textColumns: [5],
      rows,
      strong,
    };
    parts.push({ heading: subject(code), blocks: [{ kind: 'table', table: withNotes(table, notes) }] });
  }
  const latestCohort = cohortName(cohortFor(latestYear, fromLevel, toLevel), 'sv');
  const blocks: Block[] = [
    {
      kind: 'text',
      text: `Samma elever följs från lärarens bedömning i åk ${fromLevel} till det nationella provet i åk ${toLevel} läsåret efter, på två sätt: som avlämnande skola räknas de elever som gick på skolan i åk ${fromLevel}, var de än gick i åk ${toLevel}; som mottagande skola de som gick på skolan i åk ${toLevel}, var de än kom ifrån. Sträng: bedömningen i åk ${fromLevel} godkänner färre än provet visar; generös: fler (McNemars test, α = 0,05). Skillnad: godkänt åk ${fromLevel} minus godkänt åk ${toLevel}.`,
    },
    {
      kind: 'note',
      text: `Kommunens rapport räknar eleverna på skolan där de gick i åk ${link.attributeTo === 'from' ? fromLevel : toLevel}; den andra raden döljs utöver de vanliga reglerna där bara några få elever (färre än ${String(input.meta.parameters.min_group ?? 10)}) bytte skola till eller från skolan mellan åren, eftersom skillnaden mellan de två raderna annars skulle visa just de elevernas resultat.`,
    },
  ];
  if (dumbbells.length > 0) {
    blocks.push({
      kind: 'chart',
      chart: {
        type: 'dumbbell',
        id: 'skola-dumbbell',
        title: `Godkänt i åk ${fromLevel} (bedömning) och åk ${toLevel} (nationellt prov): ${school}, ${latestCohort}`,
        desc: `Samma elever: andel godtagbar i lärarens bedömning i åk ${fromLevel} och andel minst E på provet i åk ${toLevel}. ${dumbbells.map((row) => `${row.label}: ${formatShare(row.from, 'sv')} mot ${formatShare(row.to, 'sv')}`).join('; ')}.`,
        rows: dumbbells,
        fromLabel: `Åk ${fromLevel}, lärarens bedömning`,
        toLabel: `Åk ${toLevel}, nationellt prov`,
      },
    });
  }
  return { id: 'overgang', heading: `Från åk ${fromLevel} till åk ${toLevel}: skolan som avlämnande och som mottagande skola`, blocks, parts };
}

// ---------------------------------------------------------------------------------------------
// Elever att följa upp (--list-cases)

function casesSection(input: SchoolDocInput): DocSection | null {
  const cases = input.cases;
  if (!cases) return null;
  const { fromLevel, toLevel } = input.link;
  const passWord = (pass: boolean) => (pass ? 'godkänd' : 'inte godkänd');
  const hereWord = { from: `i åk ${fromLevel}`, to: `i åk ${toLevel}`, both: 'båda åren' } as const;
  const blocks: Block[] = [
    {
      kind: 'text',
      text: `Enskilda elever, för skolans egen uppföljning: id:n är ersatta med löpnummer (elev-0001 …) som bara gäller i det här dokumentet. Betyg och prov: elever vars betyg och provbetyg skiljer sig två steg eller mer. Åk ${fromLevel} → åk ${toLevel}: länkade elever som var godkända på den ena sidan men inte på den andra.`,
    },
  ];
  const gapRows = cases.gap.map((c) => [c.pupil, c.school_year, `${LEVEL_WORD} ${String(c.grade_level)}`, c.class, subject(c.subject), c.grade, c.test, formatSigned(c.diff_steps, 0, 'sv')]);
  blocks.push(
    gapRows.length > 0
      ? { kind: 'table', table: { caption: `Betyg och provbetyg skiljer sig två steg eller mer (${formatCount(gapRows.length, 'sv')})`, head: ['Elev', 'Läsår', 'Årskurs', 'Klass', 'Ämne', 'Betyg', 'Provbetyg', 'Skillnad (steg)'], textColumns: [1, 2, 3, 4, 5, 6], rows: gapRows } }
      : { kind: 'note', text: 'Ingen elev på skolan har betyg och provbetyg som skiljer sig två steg eller mer.' },
  );
  const transitionRows = cases.transition.map((c) => [c.pupil, cohortName(cohortFor(c.school_year, fromLevel, toLevel), 'sv'), c.class, subject(c.subject), passWord(c.fromPass), passWord(c.toPass), hereWord[c.here]]);
  blocks.push(
    transitionRows.length > 0
      ? {
          kind: 'table',
          table: { caption: `Godkänd på den ena sidan men inte på den andra, åk ${fromLevel} → åk ${toLevel} (${formatCount(transitionRows.length, 'sv')})`, head: ['Elev', 'Årskull', 'Klass', 'Ämne', `Åk ${fromLevel}`, `Åk ${toLevel}`, 'På skolan'], textColumns: [1, 2, 3, 4, 5, 6], rows: transitionRows },
        }
      : { kind: 'note', text: `Ingen länkad elev på skolan var godkänd på den ena sidan men inte på den andra.` },
  );
  return { id: 'uppfoljning', heading: 'Elever att följa upp', blocks };
}

// ---------------------------------------------------------------------------------------------
// The cycle's questions

/** The questions of the yearly cycle, with what each asks for. */
const QUESTIONS: readonly { heading: string; prompt: string }[] = [
  {
    heading: 'Vad ser vi?',
    prompt: 'Beskriv vad siffrorna visar: i vilka ämnen och årskurser betygen ligger över eller under provbetygen jämfört med resten av kommunen, hur det har sett ut över läsåren, och hur bedömningarna i åk 5 stämmer med proven i åk 6.',
  },
  {
    heading: 'Varför blir det så när vi gör som vi gör?',
    prompt: 'Vilka förklaringar ser ni i hur undervisningen, bedömningen och sambedömningen går till på skolan? Vad vet ni om elevgrupperna? Vilka förklaringar har ni prövat, och hur?',
  },
  {
    heading: 'Vad ska vi förändra?',
    prompt: 'Vilka åtgärder ska skolan vidta, i vilka ämnen och årskurser, vem ansvarar och när ska det vara gjort?',
  },
  {
    heading: 'Hur ska vi veta att det blir bättre?',
    prompt: 'Vilka tecken på förändring ska ni följa, i nästa års siffror och under året, och när stämmer ni av?',
  },
];

function questionsSection(): DocSection {
  return {
    id: 'analys',
    heading: 'Skolans analys',
    blocks: [
      {
        kind: 'text',
        text: 'Årshjulets frågor inför dialogen med huvudmannen. Skriv i rutorna på det utskrivna underlaget, eller under rubrikerna i Markdown-versionen (--format md), som kan klistras in i ett dokument.',
      },
    ],
    parts: QUESTIONS.map((q) => ({ heading: q.heading, blocks: [{ kind: 'write', prompt: q.prompt, label: `Skolans text: ${q.heading}`, lines: 8 }] })),
  };
}

// ---------------------------------------------------------------------------------------------
// Findings: what the school should read first

function findings(input: SchoolDocInput, strata: readonly GapStratum[], year: string): string[] {
  const { school } = input;
  const flagged: { rank: number; text: string }[] = [];
  for (const st of strata) {
    for (const g of st.own) {
      const f = g.figures;
      if (!f || f.std_gap === null || f.funnel_flag === null || f.funnel_flag === 'within') continue;
      const outer = f.funnel_flag.endsWith('99.8');
      const way = f.std_gap > 0 ? 'högre' : 'lägre';
      const share = f.std_gap > 0 ? f.share_higher : f.share_lower;
      flagged.push({
        rank: outer ? 0 : 1,
        text: `${subject(st.key.subject)}, ${levelOf(st.key)} (${year}): skolan sätter ${way} betyg än ${REST} vid samma provbetyg, ${formatSigned(f.std_gap, 1, 'sv')} betygspoäng, utanför ${outer ? '99,8' : '95'} %-gränsen i tratten (${formatShare(share, 'sv')} av ${formatCount(g.n, 'sv')} elever fick ${way} betyg än provbetyget).`,
      });
    }
  }
  flagged.sort((a, b) => a.rank - b.rank);
  const out = flagged.map((f) => f.text);
  // The år 5 → 6 verdicts of the latest cohort, in both roles.
  const { fromLevel, toLevel } = input.link;
  const transitionYears = input.transition.groups.map((g) => String(g.key.school_year)).sort();
  const latestTransition = transitionYears[transitionYears.length - 1];
  if (latestTransition !== undefined) {
    const roles: [string, readonly { key: GroupKey; figures: TransitionFigures | null }[]][] = [
      [input.link.attributeTo === 'from' ? 'som avlämnande skola' : 'som mottagande skola', input.transition.groups.filter((g) => g.level === 'school' && g.key.school === school)],
      [input.link.attributeTo === 'from' ? 'som mottagande skola' : 'som avlämnande skola', (input.other ?? []).filter((g) => g.key.school === school)],
    ];
    for (const [role, groups] of roles) {
      for (const g of groups) {
        const f = g.figures;
        if (g.key.school_year !== latestTransition || !f || f.verdict === 'in_line') continue;
        const cohort = cohortName(cohortFor(latestTransition, fromLevel, toLevel), 'sv');
        out.push(
          `${subject(g.key.subject)}, ${role} (${cohort}): bedömningarna i åk ${fromLevel} godkänner ${f.verdict === 'strict' ? 'färre' : 'fler'} elever än proven i åk ${toLevel} visar (${ppText(f.diff_pp)}); bedömningen är ${VERDICT_WORD[f.verdict]}.`,
        );
      }
    }
  }
  // Patterns over the springs, and clear changes since the year before.
  const part = input.trend.gap;
  if (part) {
    const minStreak = input.trend.options.minStreak;
    // One sentence per direction, naming the subjects ("minst" the shortest of their streaks).
    for (const direction of ['above', 'below'] as const) {
      const long = schoolSeries(part.series, school).filter((s) => s.streak_relative.years >= minStreak && s.streak_relative.direction === direction);
      if (long.length === 0) continue;
      const years = Math.min(...long.map((s) => s.streak_relative.years));
      const strata = long.map((s) => `${lower(subject(s.key.subject))} ${levelOf(s.key)}`);
      out.push(`${direction === 'above' ? 'Högre' : 'Lägre'} betyg än ${REST} vid samma provresultat minst ${years} vårterminer i rad i ${joinList(strata)}: ett mönster, inte ett enstaka år.`);
    }
    for (const s of schoolSeries(part.series, school)) {
      const change = s.change_prev.share_higher;
      if (!change || (change.sign !== 'up' && change.sign !== 'down')) continue;
      const before = s.points.find((p) => p?.school_year === change.from)?.estimates.share_higher?.value;
      const after = s.points.find((p) => p?.school_year === change.to)?.estimates.share_higher?.value;
      if (before === undefined || before === null || after === undefined || after === null) continue;
      out.push(`${subject(s.key.subject)}, ${levelOf(s.key)}: andelen med högre betyg än provbetyg har ${change.sign === 'up' ? 'ökat' : 'minskat'} från ${formatShare(before, 'sv')} till ${formatShare(after, 'sv')} sedan ${change.from}, statistiskt säkert (95 %).`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** The summary when nothing stands out: said of the parts the school has figures in. */
function nothingFound(input: SchoolDocInput, gapShown: boolean): string {
  const { fromLevel } = input.link;
  const transitionShown = [...input.transition.groups.filter((g) => g.level === 'school'), ...(input.other ?? [])].some((g) => g.key.school === input.school && g.figures !== null);
  const parts = [
    ...(gapShown ? [`inga av skolans grupper skiljer sig tydligt från ${REST} i betyg jämfört med prov`] : []),
    ...(transitionShown ? [`inga av skolans bedömningar i åk ${fromLevel} är tydligt stränga eller generösa`] : []),
  ];
  return parts.length > 0 ? `${capital(joinList(parts))}.` : 'Skolan har inga grupper med tillräckligt många elever för att siffror ska kunna visas.';
}

/** The notice of a document with pupils' cases in it (not for publication). */
const CASES_NOTICE = 'Innehåller uppgifter om enskilda elever (maskerade id:n) för skolans egen uppföljning. Får inte publiceras.';

export function buildSchoolDoc(input: SchoolDocInput): ReportDoc {
  const { meta, school, gap } = input;
  const minGroup = Number(meta.parameters.min_group ?? 10);
  const gapYears = input.trend.gap?.school_years ?? [];
  const year = (meta.coverage.paired ?? 0) > 0 ? (gapYears[gapYears.length - 1] ?? '') : '';
  const strata = year ? gapStrata(gap, school, year, minGroup) : [];
  const sections: DocSection[] = [];
  if (year) sections.push(gapSection(input, strata, year));
  const reference = referenceSection(input);
  if (reference) sections.push(reference);
  const trend = trendSection(input);
  if (trend) sections.push(trend);
  const transition = transitionSection(input);
  if (transition) sections.push(transition);
  const cases = casesSection(input);
  if (cases) sections.push(cases);
  sections.push(questionsSection());
  const area = [...gap.groups, ...input.transition.groups].find((g) => g.level === 'school' && g.key.school === school)?.key.area;
  const found = findings(input, strata, year);
  const shownAny = strata.some((st) => st.own.some((g) => g.figures !== null));
  if (year && strata.length > 0 && !shownAny) found.unshift(`${school} har för få elever i varje ämne och årskurs ${year} för att betyg och prov ska kunna visas (färre än ${minGroup} elever, eller dolda för att skydda en liten grupp).`);
  const shownFindings = found.length > 6 ? [...found.slice(0, 5), `… och ${formatCount(found.length - 5, 'sv')} till i avsnitten nedan.`] : found;
  const small = gap.options.suppression === 'small_groups_only' || input.transition.options.suppression === 'small_groups_only';
  const notices = [...(small ? [INTERNAL_NOTICE.sv] : []), ...(input.cases ? [CASES_NOTICE] : [])];
  return {
    title: `${input.title ?? 'Analysunderlag'}: ${school}`,
    subtitle: `Systematiskt kvalitetsarbete${year ? `, läsår ${year}` : ''}: underlag för skolans analys inför dialogen med huvudmannen.${area !== undefined && area !== null && area !== MISSING_VALUE ? ` Skolområde ${String(area)}.` : ''} Samma körning och samma dolda grupper som kommunens rapport; underlag: ${meta.files.length} ${meta.files.length === 1 ? 'exportfil' : 'exportfiler'}, ${formatCount(meta.rows.read, 'sv')} rader.`,
    findings: shownFindings.length > 0 ? shownFindings : [nothingFound(input, shownAny)],
    sections,
    appendix: [accountingSection(meta)],
    sources: [`ska-analyze ${meta.version}. Minsta gruppstorlek ${minGroup} elever.`, ...(input.reference ? referenceAttribution(input.reference.info) : [])],
    notice: notices.length > 0 ? notices.join(' ') : null,
  };
}
