/**
 * The board report (`ska-analyze report`) as a document: findings, charts and tables built from
 * the gap, transition and trend results, in Swedish. The HTML and Markdown renderers draw the
 * same document. Only shown groups reach it: a hidden group appears as ".." in a table, with
 * the reason in words in its Anmärkning column, and never in a chart or a finding.
 */
import type { GapGroup, GapResult } from '../analysis/gap.js';
import { Z95, Z998 } from '../analysis/fairness.js';
import type { GroupKey } from '../analysis/groups.js';
import { cohortFor, type TransitionGroup, type TransitionResult } from '../analysis/transition.js';
import { type TrendPart, type TrendResult, type TrendSeries } from '../analysis/trend.js';
import type { ReportMeta } from '../meta.js';
import { REASON_TEXT, type RejectReason } from '../normalise/ledger.js';
import { subjectName } from '../normalise/subject.js';
import type { DumbbellRow, FunnelLimit, FunnelPoint, ShareRow, TrendSeries as ChartSeries } from './charts.js';
import { formatCount, formatNumber, formatShare, formatSigned } from './format.js';
import { formatChange, formatMetric, streakText } from './trend.js';
import { cohortName, cohortsText } from './transition.js';
import { hiddenReason, INTERNAL_NOTICE, NOTE_HEAD } from './labels.js';
import type { SuppressionReason } from '../analysis/suppression.js';

export type Chart =
  | { type: 'shareBars'; id: string; title: string; desc: string; rows: ShareRow[] }
  | { type: 'dumbbell'; id: string; title: string; desc: string; rows: DumbbellRow[]; fromLabel: string; toLabel: string }
  | { type: 'funnel'; id: string; title: string; desc: string; points: FunnelPoint[]; limits: FunnelLimit[]; xLabel: string; yLabel: string }
  | { type: 'trend'; id: string; title: string; desc: string; series: ChartSeries[]; categories: string[]; yLabel: string; yFormat: 'share' | 'points'; zeroLine: boolean };

export interface Table {
  caption: string;
  head: string[];
  /** Columns after the first are right-aligned numbers unless listed here. */
  textColumns?: number[];
  rows: string[][];
  /** Rows to print bold (totals). */
  strong?: number[];
}

export type Block = { kind: 'chart'; chart: Chart } | { kind: 'table'; table: Table } | { kind: 'text'; text: string } | { kind: 'note'; text: string };

export interface DocSection {
  id: string;
  heading: string;
  blocks: Block[];
  /** Sub-sections (h3). */
  parts?: { heading: string; blocks: Block[] }[];
}

export interface ReportDoc {
  title: string;
  subtitle: string;
  findings: string[];
  sections: DocSection[];
  appendix: DocSection[];
  /** Source lines at the end (e.g. the Skolverket attribution). */
  sources: string[];
  /** `--small-groups-only`: the warning every page carries (not for publication); else null. */
  notice: string | null;
}

export interface ReportInput {
  meta: ReportMeta;
  title: string | null;
  gap: GapResult;
  /** Transition grouped by school_year (the år 6 year), area, school, subject. */
  transition: TransitionResult;
  trend: TrendResult;
  /** Extra sections (reference figures) rendered by the caller into blocks. */
  extra?: DocSection[];
  sources?: string[];
}

const SUPPRESSED = '..';
/** SCB's mark for "nothing to report": no pupils that year. */
const NONE = '–';

/** A table's rows with the Anmärkning column added, when any row is hidden (`notes[i]` for row i). */
function withNotes(table: Table, notes: readonly string[]): Table {
  if (notes.every((note) => note === '')) return table;
  return { ...table, head: [...table.head, NOTE_HEAD.sv], textColumns: [...(table.textColumns ?? []), table.head.length], rows: table.rows.map((row, i) => [...row, notes[i] ?? '']) };
}

function reasonOf(reason: SuppressionReason | null): string {
  return reason ? hiddenReason(reason, 'sv') : '';
}

const LEVEL_WORD = 'åk';

function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function subject(code: unknown): string {
  return subjectName(String(code), 'sv');
}

function stratumName(key: GroupKey): string {
  const parts: string[] = [];
  if (key.subject !== undefined && key.subject !== null) parts.push(subject(key.subject));
  if (key.grade_level !== undefined && key.grade_level !== null) parts.push(`${LEVEL_WORD} ${key.grade_level}`);
  return parts.join(', ');
}

function groupName(key: GroupKey): string {
  if (key.school) return String(key.school);
  if (key.area) return String(key.area);
  return 'Kommunen';
}

function latest(years: readonly string[]): string {
  return years[years.length - 1] ?? '';
}

function strataOf<G extends { key: GroupKey }>(groups: readonly G[], dims: readonly ('grade_level' | 'subject')[]): { key: GroupKey; groups: G[] }[] {
  const map = new Map<string, { key: GroupKey; groups: G[] }>();
  for (const group of groups) {
    const id = JSON.stringify(dims.map((dim) => group.key[dim] ?? null));
    let entry = map.get(id);
    if (!entry) {
      const key: GroupKey = {};
      for (const dim of dims) key[dim] = group.key[dim] ?? null;
      map.set(id, (entry = { key, groups: [] }));
    }
    entry.groups.push(group);
  }
  return [...map.values()];
}

/**
 * The funnel's limit curves. A group's limits are z·√(s²/n + τ²): sampling noise that shrinks with
 * its size and the ordinary differences between schools that do not. s is the median of the
 * chance-alone 95 % limit × √n / z₉₅ over the groups, τ² the median of (limit₉₅² − chance limit₉₅²) / z₉₅²;
 * the curves are drawn with them (each point's own flag uses its own limits).
 * @internal (also used by tests)
 */
export function funnelCurve(points: readonly { n: number; l95: number; l95chance: number }[]): FunnelLimit[] {
  if (points.length === 0) return [];
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  };
  const s = median(points.map((p) => (p.l95chance * Math.sqrt(p.n)) / Z95));
  const tau2 = median(points.map((p) => Math.max(0, p.l95 ** 2 - p.l95chance ** 2) / Z95 ** 2));
  const minN = Math.max(1, Math.min(...points.map((p) => p.n)));
  const maxN = Math.max(...points.map((p) => p.n));
  const samples: FunnelLimit[] = [];
  const steps = 40;
  for (let i = 0; i <= steps; i++) {
    const n = minN + ((maxN * 1.05 - minN) * i) / steps;
    const sd = Math.sqrt((s * s) / n + tau2);
    samples.push({ n, l95: Z95 * sd, l998: Z998 * sd });
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------
// Findings: the few things the board should read first.

function gapFindings(gap: GapResult, year: string): string[] {
  const schools = gap.groups.filter((g) => g.key.school_year === year && g.level === 'school' && g.figures && g.figures.funnel_z !== null);
  const outside = schools.filter((g) => g.figures?.funnel_flag === 'above_99.8' || g.figures?.funnel_flag === 'below_99.8');
  const pool = (outside.length > 0 ? outside : schools.filter((g) => g.figures?.funnel_flag === 'above_95' || g.figures?.funnel_flag === 'below_95'))
    .sort((a, b) => Math.abs(b.figures?.funnel_z ?? 0) - Math.abs(a.figures?.funnel_z ?? 0))
    .slice(0, 3);
  const out: string[] = [];
  for (const group of pool) {
    const f = group.figures;
    if (!f || f.std_gap === null) continue;
    const limit = f.funnel_flag?.endsWith('99.8') ? '99,8 %' : '95 %';
    const way = f.std_gap > 0 ? 'högre' : 'lägre';
    const share = f.std_gap > 0 ? f.share_higher : f.share_lower;
    out.push(
      `${groupName(group.key)} (${lower(stratumName(group.key))}, ${year}) sätter ${way} betyg än provresultaten motiverar: ${formatSigned(f.std_gap, 1, 'sv')} betygspoäng jämfört med resten av kommunens betygssättning vid samma provbetyg, utanför ${limit}-gränsen i trattdiagrammet, mer än skolor brukar skilja sig åt (${formatShare(share, 'sv')} av ${formatCount(group.n, 'sv')} elever fick ${way} betyg än provbetyget).`,
    );
  }
  const funnel = gap.comparisons.funnel;
  if (funnel.tests > 0) {
    out.push(
      `Av ${formatCount(funnel.tests, 'sv')} jämförda grupper (alla läsår) ligger ${formatCount(funnel.flagged, 'sv')} utanför 95 %-gränserna, som räknar med slump och med vanliga skillnader mellan skolor; om ingen grupp avvek mer än så skulle omkring ${formatNumber(funnel.expected_by_chance, 0, 'sv')} hamna där. Med slumpens gränser ensamma hade ${formatCount(gap.comparisons.funnel_chance_alone.flagged, 'sv')} hamnat utanför. Efter justering för många jämförelser kvarstår ${formatCount(funnel.flagged_adjusted, 'sv')}. En flagga betyder att skillnaden är ovanlig, inte att betygen är fel.`,
    );
  }
  return out;
}

function transitionFindings(transition: TransitionResult, year: string): string[] {
  const areas = transition.groups.filter((g) => g.key.school_year === year && g.level === 'area' && g.figures && g.figures.verdict !== 'in_line');
  const byArea = new Map<string, TransitionGroup[]>();
  for (const group of areas) {
    const name = String(group.key.area);
    byArea.set(name, [...(byArea.get(name) ?? []), group]);
  }
  const out: string[] = [];
  for (const [area, groups] of byArea) {
    for (const verdict of ['strict', 'generous'] as const) {
      const hits = groups.filter((g) => g.figures?.verdict === verdict);
      if (hits.length === 0) continue;
      const subjects = hits.map((g) => lower(subject(g.key.subject)));
      const diffs = hits.map((g) => g.figures?.diff_pp ?? 0);
      const range = diffs.length === 1 ? formatSigned((diffs[0] ?? 0) * 100, 0, 'sv') : `${formatSigned(Math.min(...diffs) * 100, 0, 'sv')} till ${formatSigned(Math.max(...diffs) * 100, 0, 'sv')}`;
      out.push(
        verdict === 'strict'
          ? `${area}: bedömningarna i åk 5 godkänner färre elever än de nationella proven i åk 6 visar (${joinList(subjects)}; ${range} procentenheter, kullen med prov ${year}). Bedömningen i de yngre åren är sträng.`
          : `${area}: bedömningarna i åk 5 godkänner fler elever än de nationella proven i åk 6 visar (${joinList(subjects)}; ${range} procentenheter, kullen med prov ${year}). Bedömningen i de yngre åren är generös.`,
      );
    }
  }
  const verdicts = transition.comparisons.verdicts;
  if (out.length > 0 && verdicts.tests > 0) {
    out.push(
      `Av ${formatCount(verdicts.tests, 'sv')} jämförda grupper i åk 5 → 6 (alla kullar) är ${formatCount(verdicts.flagged, 'sv')} stränga eller generösa; slumpen ensam ger omkring ${formatNumber(verdicts.expected_by_chance, 0, 'sv')}, och efter justering för många jämförelser kvarstår ${formatCount(verdicts.flagged_adjusted, 'sv')}. Sträng och generös förutsätter att omdömet "godtagbara kunskaper" i åk 5 och provbetyget E i åk 6 är samma nivå.`,
    );
  }
  return out;
}

/**
 * Patterns over the springs: schools above or below the municipality (the funnel's 95 % limits)
 * at least `minStreak` years running, and areas whose år 5 assessments have been strict or
 * generous as long. "Grades above the tests" alone is not a finding: it is the national norm.
 */
function trendFindings(trend: TrendResult): string[] {
  const out: string[] = [];
  const minStreak = trend.options.minStreak;
  const words: Readonly<Record<string, string>> = { above: 'högre betyg än kommunen i övrigt vid samma provresultat', below: 'lägre betyg än kommunen i övrigt vid samma provresultat', strict: 'en sträng bedömning i åk 5', generous: 'en generös bedömning i åk 5' };
  const collect = (series: readonly TrendSeries[], streakOf: (s: TrendSeries) => { years: number; direction: string | null }) => {
    const grouped = new Map<string, { direction: string; years: number; strata: string[] }>();
    for (const s of series) {
      const streak = streakOf(s);
      if (streak.years < minStreak || !streak.direction) continue;
      const id = `${groupName(s.key)}\u0001${streak.direction}`;
      const entry = grouped.get(id) ?? { direction: streak.direction, years: streak.years, strata: [] };
      entry.years = Math.min(entry.years, streak.years);
      entry.strata.push(s.key.grade_level !== undefined && s.key.grade_level !== null ? `${lower(subject(s.key.subject))} ${LEVEL_WORD} ${s.key.grade_level}` : lower(subject(s.key.subject)));
      grouped.set(id, entry);
    }
    for (const [id, entry] of grouped) {
      const name = id.split('\u0001')[0] ?? '';
      const shown = entry.strata.length > 4 ? [...entry.strata.slice(0, 4), `${entry.strata.length - 4} till`] : entry.strata;
      out.push(`${name} har haft ${words[entry.direction] ?? entry.direction} minst ${entry.years} vårterminer i rad (${joinList(shown)}): ett mönster, inte ett enstaka år.`);
    }
  };
  if (trend.gap) collect(trend.gap.series.filter((s) => s.level === 'school'), (s) => s.streak_relative);
  if (trend.transition) collect(trend.transition.series.filter((s) => s.level === 'area'), (s) => s.streak);
  return out;
}

function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} och ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// Sections

function gapSection(gap: GapResult, year: string, minGroup: number): DocSection {
  const rows = gap.groups.filter((g) => g.key.school_year === year);
  const parts: { heading: string; blocks: Block[] }[] = [];
  for (const stratum of strataOf(rows, ['grade_level', 'subject'])) {
    const title = `${subject(stratum.key.subject)}, ${LEVEL_WORD} ${stratum.key.grade_level}`;
    const shown = stratum.groups.filter((g) => g.figures && (g.level === 'school' || g.level === 'total'));
    const chartRows: ShareRow[] = shown.map((g) => ({
      label: g.level === 'total' ? 'Kommunen totalt' : String(g.key.school),
      higher: g.figures?.share_higher ?? 0,
      same: g.figures?.share_same ?? 0,
      lower: g.figures?.share_lower ?? 0,
      n: g.n,
    }));
    const blocks: Block[] = [];
    if (chartRows.length > 1) {
      const top = [...shown].filter((g) => g.level === 'school').sort((a, b) => (b.figures?.share_higher ?? 0) - (a.figures?.share_higher ?? 0))[0];
      blocks.push({
        kind: 'chart',
        chart: {
          type: 'shareBars',
          id: `bars-${stratum.key.grade_level}-${String(stratum.key.subject).replace(/\W+/g, '')}`,
          title: `Betyg jämfört med provbetyg per skola: ${title}, ${year}`,
          desc: `Andel elever vars betyg är högre än, lika med eller lägre än provbetyget, per skola.${top?.figures ? ` Högst andel högre: ${String(top.key.school)}, ${formatShare(top.figures.share_higher, 'sv')}.` : ''}`,
          rows: chartRows,
        },
      });
    }
    blocks.push({ kind: 'table', table: gapTable(stratum.groups, `${title}, ${year}`) });
    parts.push({ heading: title, blocks });
  }
  const hidden = rows.filter((g) => g.suppressed).length;
  return {
    id: 'betyg-prov',
    heading: `Betyg jämfört med nationella prov, ${year}`,
    blocks: [
      {
        kind: 'text',
        text: 'För varje elev med både terminsbetyg och provbetyg i samma ämne och läsår jämförs de två. Högre: betyget är högre än provbetyget. Std-diff: skillnaden i betygspoäng (A = 20, B = 17,5, C = 15, D = 12,5, E = 10, F = 0) minus den som kommunens betygssättning vid samma provbetyg ger, så att skolor med många A på provet (takeffekten) jämförs rättvist.',
      },
      ...(hidden > 0 ? [{ kind: 'note' as const, text: `${formatCount(hidden, 'sv')} grupper visas inte (färre än ${minGroup} elever, eller dolda för att skydda en liten grupp som annars skulle kunna räknas fram); de står som ".." i tabellerna, med skälet under Anmärkning.` }] : []),
    ],
    parts,
  };
}

function gapTable(groups: readonly GapGroup[], caption: string): Table {
  const rows: string[][] = [];
  const strong: number[] = [];
  const notes = groups.map((g) => reasonOf(g.suppressed));
  for (const g of groups) {
    const name = g.level === 'total' ? 'Kommunen' : g.level === 'area' ? String(g.key.area) : `  ${String(g.key.school)}`;
    if (g.level === 'total' || g.level === 'area') strong.push(rows.length);
    const f = g.figures;
    if (!f) {
      rows.push([name, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]);
      continue;
    }
    const funnel = f.funnel_flag === null || g.level === 'total' ? '' : f.funnel_flag === 'within' ? 'inom' : f.funnel_flag.startsWith('above') ? `över ${f.funnel_flag.endsWith('99.8') ? '99,8' : '95'} %` : `under ${f.funnel_flag.endsWith('99.8') ? '99,8' : '95'} %`;
    rows.push([
      name,
      formatCount(g.n, 'sv'),
      formatShare(f.share_higher, 'sv'),
      formatShare(f.share_same, 'sv'),
      formatShare(f.share_lower, 'sv'),
      f.std_gap === null || g.level === 'total' ? '' : formatSigned(f.std_gap, 1, 'sv'),
      funnel,
    ]);
  }
  return withNotes({ caption, head: ['Enhet', 'Elever', 'Högre', 'Lika', 'Lägre', 'Std-diff', 'Tratt'], textColumns: [6], rows, strong }, notes);
}

function funnelSection(gap: GapResult, year: string): DocSection {
  const schools = gap.groups.filter((g) => g.key.school_year === year && g.level === 'school' && g.figures && g.figures.std_gap !== null && g.figures.funnel_limit_95 !== null);
  const parts: { heading: string; blocks: Block[] }[] = [];
  for (const stratum of strataOf(schools, ['grade_level'])) {
    const points: FunnelPoint[] = [];
    const limits: { n: number; l95: number; l95chance: number }[] = [];
    for (const g of stratum.groups) {
      const f = g.figures;
      if (!f || f.std_gap === null || f.funnel_flag === null || f.funnel_limit_95 === null || f.funnel_limit_95_chance === null) continue;
      // The chart is in grade points; with --flag-scale steps the flags and limits are in steps, so the points are too.
      const value = f.funnel_scale === 'steps' ? (f.std_gap_steps ?? 0) : f.std_gap;
      points.push({ label: `${String(g.key.school)} (${lower(subject(g.key.subject))})`, n: g.n, value, flag: f.funnel_flag });
      limits.push({ n: g.n, l95: f.funnel_limit_95, l95chance: f.funnel_limit_95_chance });
    }
    if (points.length === 0) continue;
    const outside = points.filter((p) => p.flag !== 'within').length;
    parts.push({
      heading: `${LEVEL_WORD} ${stratum.key.grade_level}`,
      blocks: [
        {
          kind: 'chart',
          chart: {
            type: 'funnel',
            id: `funnel-${stratum.key.grade_level}`,
            title: `Trattdiagram: skolornas standardiserade skillnad mot gruppstorlek, ${LEVEL_WORD} ${stratum.key.grade_level}, ${year}`,
            desc: `Varje punkt är en skola i ett ämne. ${outside} av ${points.length} ligger utanför 95 %-gränserna.`,
            points,
            limits: funnelCurve(limits),
            xLabel: 'Elever med både betyg och provbetyg',
            yLabel: 'Std-diff (betygspoäng)',
          },
        },
      ],
    });
  }
  return {
    id: 'tratt',
    heading: `Små skolor rangordnas inte på slumpen: trattdiagram, ${year}`,
    blocks: [
      {
        kind: 'text',
        text: 'En liten skola får lätt ett högt eller lågt värde av en slump. Kurvorna visar hur långt från noll en skola av varje storlek kan hamna av slumpen ensam (95 % och 99,8 %). Bara punkter utanför kurvorna är tecken på en verklig skillnad. Kurvorna är ritade för en typisk skola; varje punkt flaggas mot sin egen gräns.',
      },
    ],
    parts,
  };
}

/**
 * The latest cohort only; `years` are the later school years of every cohort in the exports, which
 * `transition` pools by default, so the text names them all and the two can be reconciled.
 */
function transitionSection(transition: TransitionResult, year: string, years: readonly string[], levels: { from: number; to: number }): DocSection {
  const cohort = cohortName(cohortFor(year, levels.from, levels.to), 'sv');
  const cohorts = years.map((y) => cohortFor(y, levels.from, levels.to));
  const others =
    cohorts.length > 1
      ? ` Här visas bara den senaste årskullen, ${cohort}. Kommandot transition slår som standard ihop alla årskullar i exporterna: ${lower(cohortsText(cohorts, 'sv'))}. De tidigare årskullarna finns under Över läsåren.`
      : '';
  const rows = transition.groups.filter((g) => g.key.school_year === year);
  const parts: { heading: string; blocks: Block[] }[] = [];
  for (const stratum of strataOf(rows, ['subject'])) {
    const areas = stratum.groups.filter((g) => g.level === 'area' && g.figures);
    const blocks: Block[] = [];
    if (areas.length > 0) {
      blocks.push({
        kind: 'chart',
        chart: {
          type: 'dumbbell',
          id: `dumbbell-${String(stratum.key.subject).replace(/\W+/g, '')}`,
          title: `Godkänt i åk 5 (bedömning) och åk 6 (nationellt prov) per skolområde: ${subject(stratum.key.subject)}, ${cohort}`,
          desc: `Samma elever: andel godtagbar i lärarens bedömning i åk 5 och andel minst E på provet i åk 6. ${areas.map((g) => `${String(g.key.area)}: ${formatShare(g.figures?.share_pass_from ?? 0, 'sv')} mot ${formatShare(g.figures?.share_pass_to ?? 0, 'sv')}`).join('; ')}.`,
          rows: areas.map((g) => ({
            label: String(g.key.area),
            from: g.figures?.share_pass_from ?? 0,
            to: g.figures?.share_pass_to ?? 0,
            n: g.n,
            verdict: g.figures?.verdict ?? 'in_line',
          })),
          fromLabel: 'Åk 5, lärarens bedömning',
          toLabel: 'Åk 6, nationellt prov',
        },
      });
    }
    blocks.push({ kind: 'table', table: transitionTable(stratum.groups, `${subject(stratum.key.subject)}, ${cohort}`) });
    parts.push({ heading: subject(stratum.key.subject), blocks });
  }
  return {
    id: 'overgang',
    heading: `Från åk 5 till åk 6: bedömning mot provresultat, ${cohort}`,
    blocks: [
      {
        kind: 'text',
        text: `Samma elever följs från lärarens bedömning i åk 5 till det nationella provet i åk 6 läsåret efter. Sträng: bedömningen i åk 5 godkänner färre än provet visar; generös: fler (McNemars test, α = 0,05). Eleverna räknas på skolan där de gick i åk 5.${others}`,
      },
    ],
    parts,
  };
}

function transitionTable(groups: readonly TransitionGroup[], caption: string): Table {
  const rows: string[][] = [];
  const strong: number[] = [];
  const verdictWord = { strict: 'sträng', generous: 'generös', in_line: 'i linje' } as const;
  const notes = groups.map((g) => reasonOf(g.suppressed));
  for (const g of groups) {
    const name = g.level === 'total' ? 'Kommunen' : g.level === 'area' ? String(g.key.area) : `  ${String(g.key.school)}`;
    if (g.level === 'total' || g.level === 'area') strong.push(rows.length);
    const f = g.figures;
    if (!f) {
      rows.push([name, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]);
      continue;
    }
    rows.push([name, formatCount(g.n, 'sv'), formatShare(f.share_pass_from, 'sv'), formatShare(f.share_pass_to, 'sv'), formatSigned(f.diff_pp * 100, 0, 'sv'), verdictWord[f.verdict]]);
  }
  return withNotes({ caption, head: ['Enhet', 'Elever', 'Godkänt åk 5', 'Godkänt åk 6', 'Skillnad (procentenheter)', 'Bedömning'], textColumns: [5], rows, strong }, notes);
}

function trendSection(trend: TrendResult): DocSection {
  const parts: { heading: string; blocks: Block[] }[] = [];
  const gapPart = trend.gap;
  if (gapPart && gapPart.school_years.length > 1) {
    for (const stratum of strataOf(gapPart.series, ['grade_level', 'subject'])) {
      const title = `${subject(stratum.key.subject)}, ${LEVEL_WORD} ${stratum.key.grade_level}`;
      const lines = stratum.groups.filter((s) => s.level === 'total' || s.level === 'area');
      parts.push({
        heading: `Betyg högre än provbetyget: ${title}`,
        blocks: [
          { kind: 'chart', chart: trendChart(gapPart, lines, 'share_higher', `trend-${stratum.key.grade_level}-${String(stratum.key.subject).replace(/\W+/g, '')}`, `Andel med högre betyg än provbetyg över läsåren: ${title}`, 'Andel högre', 'share', false) },
          { kind: 'table', table: trendTable(gapPart, stratum.groups, `Andel med högre betyg än provbetyg per läsår: ${title}`, 'share_higher') },
        ],
      });
    }
  }
  const tPart = trend.transition;
  if (tPart && tPart.school_years.length > 1) {
    for (const stratum of strataOf(tPart.series, ['subject'])) {
      const title = subject(stratum.key.subject);
      const lines = stratum.groups.filter((s) => s.level === 'total' || s.level === 'area');
      parts.push({
        heading: `Åk 5 mot åk 6: ${title}`,
        blocks: [
          { kind: 'chart', chart: trendChart(tPart, lines, 'diff_pp', `trend-transition-${String(stratum.key.subject).replace(/\W+/g, '')}`, `Godkänt åk 5 minus godkänt åk 6 över läsåren: ${title}`, 'Skillnad', 'share', true) },
          { kind: 'table', table: trendTable(tPart, stratum.groups, `Godkänt åk 5 minus godkänt åk 6 per läsår (procentenheter): ${title}`, 'diff_pp') },
        ],
      });
    }
  }
  return {
    id: 'trender',
    heading: 'Över läsåren',
    blocks: [
      {
        kind: 'text',
        text: `Samma mått läsår för läsår. Förändring: senaste läsåret mot året innan; ▲/▼ betyder att förändringen är statistiskt säker (95 %). Samma riktning: hur många läsår i rad gruppen legat åt samma håll; ${trend.options.minStreak} eller fler är ett mönster, inte ett enstaka år. "..": dold det läsåret (skälet under Anmärkning); "–": inga elever det läsåret.`,
      },
    ],
    parts,
  };
}

function trendChart(part: TrendPart, series: readonly TrendSeries[], metric: 'share_higher' | 'diff_pp', id: string, title: string, yLabel: string, yFormat: 'share' | 'points', zeroLine: boolean): Chart {
  const chartSeries: ChartSeries[] = series.map((s) => ({
    label: s.level === 'total' ? 'Kommunen' : groupName(s.key),
    points: part.school_years.map((year, index) => ({ x: year, y: s.points[index]?.estimates[metric]?.value ?? null })),
  }));
  return { type: 'trend', id, title, desc: `${chartSeries.length} linjer, en per skolområde och en för kommunen, läsåren ${part.school_years.join(', ')}.`, series: chartSeries, categories: part.school_years, yLabel, yFormat, zeroLine };
}

function trendTable(part: TrendPart, series: readonly TrendSeries[], caption: string, metric: 'share_higher' | 'diff_pp'): Table {
  const rows: string[][] = [];
  const strong: number[] = [];
  const notes: string[] = [];
  for (const s of series) {
    if (s.level === 'total' || s.level === 'area') strong.push(rows.length);
    const name = s.level === 'total' ? 'Kommunen' : s.level === 'area' ? String(s.key.area) : `  ${String(s.key.school)}`;
    rows.push([
      name,
      ...part.school_years.map((_, index) => {
        const point = s.points[index] ?? null;
        if (!point) return NONE;
        if (point.suppressed) return SUPPRESSED;
        const value = point.estimates[metric]?.value;
        return value === undefined || value === null ? '' : formatMetric(metric, value, 'sv');
      }),
      formatChange(metric, s.change_prev[metric], 'sv'),
      streakText(s, 'sv'),
    ]);
    // Each reason with the years it hid, e.g. "för få elever (2022/23, 2024/25)".
    const years = new Map<SuppressionReason, string[]>();
    part.school_years.forEach((year, index) => {
      const reason = s.points[index]?.suppressed ?? null;
      if (reason) years.set(reason, [...(years.get(reason) ?? []), year]);
    });
    notes.push([...years].map(([reason, list]) => `${reasonOf(reason)} (${list.length === part.school_years.length ? 'alla läsår' : list.join(', ')})`).join('; '));
  }
  return withNotes({ caption, head: ['Enhet', ...part.school_years, 'Förändring', 'Samma riktning'], textColumns: [part.school_years.length + 2], rows, strong }, notes);
}

function accountingSection(meta: ReportMeta): DocSection {
  const files: string[][] = meta.files.map((f) => [f.file, `${f.encoding}${f.bom ? ' BOM' : ''}, ${f.delimiter}`, formatCount(f.rows.read, 'sv'), formatCount(f.rows.accepted, 'sv'), formatCount(f.rows.rejected, 'sv'), f.sha256]);
  const reasons: string[][] = [];
  for (const f of meta.files) {
    for (const [reason, entry] of Object.entries(f.rejected)) {
      const text = reason in REASON_TEXT ? REASON_TEXT[reason as RejectReason].sv : reason;
      reasons.push([f.file, text, formatCount(entry.count, 'sv'), entry.examples.join(', ')]);
    }
  }
  const blocks: Block[] = [
    {
      kind: 'text',
      text: `Alla ${formatCount(meta.rows.read, 'sv')} lästa rader är antingen använda (${formatCount(meta.rows.accepted, 'sv')}) eller avvisade av ett namngivet skäl (${formatCount(meta.rows.rejected, 'sv')})${meta.rows.outside_selection > 0 ? ` eller utanför valda läsår (${formatCount(meta.rows.outside_selection, 'sv')})` : ''}. SHA-256 visar exakt vilka exporter siffrorna bygger på.`,
    },
    { kind: 'table', table: { caption: 'Lästa filer', head: ['Fil', 'Format', 'Lästa', 'Använda', 'Avvisade', 'SHA-256'], textColumns: [1, 5], rows: files } },
  ];
  if (reasons.length > 0) blocks.push({ kind: 'table', table: { caption: 'Avvisade rader per skäl (exempel fil:rad)', head: ['Fil', 'Skäl', 'Rader', 'Exempel'], textColumns: [1, 3], rows: reasons } });
  const hidden = Object.entries(meta.suppressed_groups).filter(([, count]) => count > 0);
  if (hidden.length > 0) {
    blocks.push({
      kind: 'note',
      text: `Dolda grupper i analyserna: ${hidden.map(([reason, count]) => `${formatCount(count, 'sv')} ${reason === 'small_group' ? `med färre än ${String(meta.parameters.min_group)} elever` : 'dolda för att skydda en liten grupp som annars skulle kunna räknas fram'}`).join(', ')}. Inga siffror visas för dem, varken i tabeller eller diagram.${meta.parameters.suppression === 'small_groups_only' ? ' Körd med --small-groups-only: bara små grupper är dolda, ingen sekundär maskering.' : ''}`,
    });
  }
  return { id: 'redovisning', heading: 'Bilaga: vad som lästes', blocks };
}

export function buildReportDoc(input: ReportInput): ReportDoc {
  const { gap, transition, trend, meta } = input;
  // An analysis with no pair (no link) at all has no year to show, even if it made empty groups.
  const gapYear = (meta.coverage.paired ?? 0) > 0 ? latest(trend.gap?.school_years ?? []) : '';
  const transitionYear = (meta.coverage.linked ?? 0) > 0 ? latest(trend.transition?.school_years ?? []) : '';
  const minGroup = Number(meta.parameters.min_group ?? 10);
  const findings = [...gapFindings(gap, gapYear).slice(0, 2), ...transitionFindings(transition, transitionYear).slice(0, 2), ...trendFindings(trend).slice(0, 2)];
  const gapSummary = gapFindings(gap, gapYear).slice(2);
  const sections: DocSection[] = [];
  if (gapYear) sections.push(gapSection(gap, gapYear, minGroup), funnelSection(gap, gapYear));
  else if (transitionYear) {
    sections.push({
      id: 'betyg-prov',
      heading: 'Betyg jämfört med nationella prov',
      blocks: [{ kind: 'note', text: 'Exporterna innehåller inga elever med både betyg och provbetyg i samma ämne och läsår, så betyg och prov jämförs inte (se bilagan för vad som lästes).' }],
    });
  }
  if (transitionYear) {
    const levels = { from: Number(meta.parameters.from ?? 5), to: Number(meta.parameters.to ?? 6) };
    sections.push(transitionSection(transition, transitionYear, trend.transition?.school_years ?? [transitionYear], levels));
  } else if (gapYear) {
    sections.push({
      id: 'overgang',
      heading: 'Från åk 5 till åk 6',
      blocks: [
        {
          kind: 'note',
          text: 'Inga elever kunde följas från en bedömning i åk 5 till ett prov i åk 6 läsåret efter: exporterna saknar bedömningar i åk 5, prov i åk 6, eller två läsår i följd (se bilagan för vad som lästes).',
        },
      ],
    });
  }
  sections.push(...(input.extra ?? []));
  if ((trend.gap?.school_years.length ?? 0) > 1 || (trend.transition?.school_years.length ?? 0) > 1) sections.push(trendSection(trend));
  return {
    title: input.title ?? 'Betyg och nationella prov',
    subtitle: `Systematiskt kvalitetsarbete${gapYear || transitionYear ? `, läsår ${gapYear || transitionYear}` : ''}. Underlag: ${meta.files.length} ${meta.files.length === 1 ? 'exportfil' : 'exportfiler'}, ${formatCount(meta.rows.read, 'sv')} rader.`,
    findings:
      gapYear || transitionYear
        ? [...findings, ...gapSummary].slice(0, 5)
        : ['Exporterna innehåller inga elever med både betyg och provbetyg i samma ämne och läsår, och inga bedömningar i åk 5 som kan följas till proven i åk 6. Bilagan visar vad som lästes.'],
    sections,
    appendix: [accountingSection(meta)],
    sources: [`ska-analyze ${meta.version}. Minsta gruppstorlek ${minGroup} elever.`, ...(input.sources ?? [])],
    notice: gap.options.suppression === 'small_groups_only' || transition.options.suppression === 'small_groups_only' ? INTERNAL_NOTICE.sv : null,
  };
}
