/**
 * The board report (`ska-analyze report`) as a document: findings, charts and tables built from
 * the gap, transition and trend results, in Swedish. The HTML and Markdown renderers draw the
 * same document. Only shown groups reach it: a hidden group appears as ".." in a table, with
 * the reason in words in its Anmärkning column, and never in a chart or a finding.
 */
import type { GapFigures, GapGroup, GapResult } from '../analysis/gap.js';
import type { GroupKey } from '../analysis/groups.js';
import { cohortFor, type TransitionGroup, type TransitionResult } from '../analysis/transition.js';
import type { Change, TrendMetric, TrendPart, TrendResult, TrendSeries } from '../analysis/trend.js';
import type { ReportMeta } from '../meta.js';
import { REASON_TEXT, type RejectReason } from '../normalise/ledger.js';
import { subjectName } from '../normalise/subject.js';
import type { DumbbellRow, FunnelPoint, ShareRow, TrendSeries as ChartSeries } from './charts.js';
import { formatCount, formatNumber, formatShare, formatSigned } from './format.js';
import { changeUnit, formatChange, formatMetric, streakText } from './trend.js';
import { cohortName, cohortsText } from './transition.js';
import { hiddenReason, INTERNAL_NOTICE, NOTE_HEAD } from './labels.js';
import type { SuppressionReason } from '../analysis/suppression.js';

export type Chart =
  | { type: 'shareBars'; id: string; title: string; desc: string; rows: ShareRow[] }
  | { type: 'dumbbell'; id: string; title: string; desc: string; rows: DumbbellRow[]; fromLabel: string; toLabel: string }
  | { type: 'funnel'; id: string; title: string; desc: string; points: FunnelPoint[]; xLabel: string; yLabel: string }
  | { type: 'trend'; id: string; title: string; desc: string; series: ChartSeries[]; categories: string[]; yLabel: string; yFormat: 'share' | 'pp' | 'points'; zeroLine: boolean };

export interface Table {
  caption: string;
  head: string[];
  /** Columns after the first are right-aligned numbers unless listed here. */
  textColumns?: number[];
  rows: string[][];
  /** Rows to print bold (totals). */
  strong?: number[];
}

/**
 * `write`: room for the reader's own text (a school's analysis sheet): the prompt, then empty
 * lines to write on (HTML) or a placeholder line (Markdown).
 */
export type Block =
  | { kind: 'chart'; chart: Chart }
  | { kind: 'table'; table: Table }
  | { kind: 'text'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'write'; prompt: string; label: string; lines: number };

export interface DocSection {
  id: string;
  heading: string;
  /** Printed straight after the section before it instead of on a new page (a short section). */
  continues?: boolean;
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

export const SUPPRESSED = '..';
/** SCB's mark for "nothing to report": no pupils that year. */
export const NONE = '–';

/** A table's rows with the Anmärkning column added, when any row is hidden (`notes[i]` for row i). */
export function withNotes(table: Table, notes: readonly string[]): Table {
  if (notes.every((note) => note === '')) return table;
  return { ...table, head: [...table.head, NOTE_HEAD.sv], textColumns: [...(table.textColumns ?? []), table.head.length], rows: table.rows.map((row, i) => [...row, notes[i] ?? '']) };
}

function reasonOf(reason: SuppressionReason | null): string {
  return reason ? hiddenReason(reason, 'sv') : '';
}

export const LEVEL_WORD = 'åk';

export function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function subject(code: unknown): string {
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

export function strataOf<G extends { key: GroupKey }>(groups: readonly G[], dims: readonly ('grade_level' | 'subject')[]): { key: GroupKey; groups: G[] }[] {
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
      const range = ppRangeText(diffs);
      out.push(
        verdict === 'strict'
          ? `${area}: bedömningarna i åk 5 godkänner färre elever än de nationella proven i åk 6 visar (${joinList(subjects)}; ${range}, kullen med prov ${year}). Bedömningen i de yngre åren är sträng.`
          : `${area}: bedömningarna i åk 5 godkänner fler elever än de nationella proven i åk 6 visar (${joinList(subjects)}; ${range}, kullen med prov ${year}). Bedömningen i de yngre åren är generös.`,
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

/**
 * A difference of two shares (0–1) in whole procentenheter, with its unit: "+5 procentenheter",
 * "−1 procentenhet", "0 procentenheter".
 */
export function ppText(diff: number): string {
  const shown = formatSigned(diff * 100, 0, 'sv');
  return `${shown} ${/^[+−]?1$/.test(shown) ? 'procentenhet' : 'procentenheter'}`;
}

/** Several such differences as a range, "−14 till −8 procentenheter"; one (or all shown alike) as one figure. */
function ppRangeText(diffs: readonly number[]): string {
  const low = formatSigned(Math.min(...diffs) * 100, 0, 'sv');
  const high = formatSigned(Math.max(...diffs) * 100, 0, 'sv');
  return low === high ? ppText(Math.min(...diffs)) : `${low} till ${high} procentenheter`;
}

export function joinList(items: readonly string[]): string {
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
        text: 'För varje elev med både terminsbetyg och provbetyg i samma ämne och läsår jämförs de två. Högre: betyget är högre än provbetyget. Std-diff: skillnaden i betygspoäng (A = 20, B = 17,5, C = 15, D = 12,5, E = 10, F = 0) minus den som kommunens betygssättning vid samma provbetyg ger, så att skolor med många A på provet (takeffekten) jämförs rättvist. Tratt: inom gränserna, eller högre respektive lägre betyg än resten av kommunen och utanför 95 %- eller 99,8 %-gränsen i trattdiagrammet.',
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
    const funnel = f.funnel_flag === null || g.level === 'total' ? '' : funnelText(f.funnel_flag);
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

/** The Tratt column: where the group falls against the funnel's limits, in words ("högre, utanför 99,8 %"). */
export function funnelText(flag: GapFigures['funnel_flag']): string {
  if (flag === null) return '';
  if (flag === 'within') return 'inom';
  return `${flag.startsWith('above') ? 'högre' : 'lägre'}, utanför ${flag.endsWith('99.8') ? '99,8' : '95'} %`;
}

function funnelSection(gap: GapResult, year: string): DocSection {
  const schools = gap.groups.filter((g) => g.key.school_year === year && g.level === 'school' && g.figures && g.figures.funnel_z !== null && g.figures.funnel_flag !== null);
  const parts: { heading: string; blocks: Block[] }[] = [];
  for (const stratum of strataOf(schools, ['grade_level'])) {
    const points: FunnelPoint[] = [];
    const flagged: string[] = [];
    for (const g of stratum.groups) {
      const f = g.figures;
      if (!f || f.funnel_z === null || f.funnel_flag === null) continue;
      const label = `${String(g.key.school)} (${lower(subject(g.key.subject))})`;
      // The gap on the flag scale: grade points, or grade steps with --flag-scale steps.
      const gapValue = f.funnel_scale === 'steps' ? f.std_gap_steps : f.std_gap;
      const detail = gapValue === null ? undefined : `Std-diff ${formatSigned(gapValue, 1, 'sv')} ${f.funnel_scale === 'steps' ? 'betygssteg' : 'betygspoäng'}`;
      points.push({ label, n: g.n, z: f.funnel_z, ...(detail ? { detail } : {}) });
      if (f.funnel_flag !== 'within') flagged.push(`${label} z = ${formatSigned(f.funnel_z, 1, 'sv')}, ${f.funnel_z > 0 ? 'högre' : 'lägre'} betyg, utanför ${f.funnel_flag.endsWith('99.8') ? '99,8' : '95'} %`);
    }
    if (points.length === 0) continue;
    parts.push({
      heading: `${LEVEL_WORD} ${stratum.key.grade_level}`,
      blocks: [
        {
          kind: 'chart',
          chart: {
            type: 'funnel',
            id: `funnel-${stratum.key.grade_level}`,
            title: `Trattdiagram: skolornas avvikelse mot resten av kommunen och antal elever, ${LEVEL_WORD} ${stratum.key.grade_level}, ${year}`,
            desc: `Varje punkt är en skola i ett ämne: hur långt dess betygssättning ligger från resten av kommunens, mätt mot de gränser som gäller för en skola av dess storlek (z-värde), mot antalet elever. ${flagged.length} av ${points.length} ligger utanför 95 %-gränserna${flagged.length > 0 ? `: ${flagged.join('; ')}` : ''}.`,
            points,
            xLabel: 'Elever med både betyg och provbetyg',
            yLabel: 'Avvikelse mot resten av kommunen (z-värde)',
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
        text: 'En liten skola får lätt ett högt eller lågt värde av en slump. Därför mäts varje skolas skillnad mot resten av kommunen (Std-diff) mot den spridning som slumpen och vanliga skillnader mellan skolor ger en skola av just den storleken (z-värde): en liten skola behöver en större skillnad i betygspoäng för att hamna lika långt ut. Linjerna vid ±1,96 och ±3,09 är 95 %- och 99,8 %-gränserna, desamma för alla skolor. Utanför 95 % hamnar ungefär var tjugonde skola av en slump, utanför 99,8 % ungefär en av femhundra. En punkts form och färg säger samma sak som dess läge och som kolumnen Tratt i tabellerna; skillnaden i betygspoäng står under Std-diff.',
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

/** The measure a trend chart and table follow: the share higher than the test (gap), år 5 minus år 6 passing (transition). */
type TrendChartMetric = 'share_higher' | 'diff_pp';

/** One grade level and subject (gap) or one subject (transition) over the school years. */
interface TrendStratum {
  part: TrendPart;
  metric: TrendChartMetric;
  series: TrendSeries[];
  /** "Engelska, åk 6" (gap), "Engelska" (transition). */
  title: string;
  /** For the list of quiet strata: "engelska åk 6". */
  short: string;
  slug: string;
}

function trendStrata(trend: TrendResult): TrendStratum[] {
  const out: TrendStratum[] = [];
  const gapPart = trend.gap;
  if (gapPart && gapPart.school_years.length > 1) {
    for (const stratum of strataOf(gapPart.series, ['grade_level', 'subject'])) {
      out.push({
        part: gapPart,
        metric: 'share_higher',
        series: stratum.groups,
        title: `${subject(stratum.key.subject)}, ${LEVEL_WORD} ${stratum.key.grade_level}`,
        short: `${lower(subject(stratum.key.subject))} ${LEVEL_WORD} ${stratum.key.grade_level}`,
        slug: `${stratum.key.grade_level}-${String(stratum.key.subject).replace(/\W+/g, '')}`,
      });
    }
  }
  const tPart = trend.transition;
  if (tPart && tPart.school_years.length > 1) {
    for (const stratum of strataOf(tPart.series, ['subject'])) {
      out.push({ part: tPart, metric: 'diff_pp', series: stratum.groups, title: subject(stratum.key.subject), short: lower(subject(stratum.key.subject)), slug: `transition-${String(stratum.key.subject).replace(/\W+/g, '')}` });
    }
  }
  return out;
}

function isClear(change: Change | null | undefined): boolean {
  return change?.sign === 'up' || change?.sign === 'down';
}

/** The lines a trend chart draws: the municipality and each area. */
function chartLines(stratum: TrendStratum): TrendSeries[] {
  return stratum.series.filter((s) => s.level === 'total' || s.level === 'area');
}

/** A line the stratum's chart draws (the municipality or an area) has changed clearly since the year before. */
function hasClearChange(stratum: TrendStratum): boolean {
  return chartLines(stratum).some((s) => isClear(s.change_prev[stratum.metric]));
}

/**
 * Areas (and the municipality, for år 5 → 6) that have leaned the same way `minStreak` springs
 * running: above or below the rest of the municipality (gap), strict or generous (transition). One
 * sentence per area and direction, naming the subjects: "Södra över resten av kommunen i engelska åk 6 och …".
 */
function patternSentences(strata: readonly TrendStratum[], minStreak: number): string[] {
  const words: Readonly<Record<string, string>> = { above: 'över resten av kommunen', below: 'under resten av kommunen', strict: 'sträng bedömning i åk 5', generous: 'generös bedömning i åk 5' };
  const grouped = new Map<string, { name: string; direction: string; years: number; strata: string[] }>();
  for (const stratum of strata) {
    for (const s of chartLines(stratum)) {
      const streak = stratum.part.analysis === 'gap' ? s.streak_relative : s.streak;
      if (streak.years < minStreak || streak.direction === null || !(streak.direction in words)) continue;
      const name = s.level === 'total' ? 'Kommunen' : groupName(s.key);
      const id = `${name}\u0001${streak.direction}`;
      const entry = grouped.get(id) ?? { name, direction: streak.direction, years: streak.years, strata: [] };
      entry.years = Math.min(entry.years, streak.years);
      entry.strata.push(stratum.short);
      grouped.set(id, entry);
    }
  }
  return [...grouped.values()].map((entry) => `${entry.name}: ${words[entry.direction] ?? entry.direction} minst ${entry.years} läsår i rad i ${joinList(entry.strata)}.`);
}

function pointValue(series: TrendSeries, year: string, metric: TrendMetric): number | null {
  return series.points.find((point) => point?.school_year === year)?.estimates[metric]?.value ?? null;
}

const LEVEL_ORDER: Readonly<Record<string, number>> = { total: 0, area: 1, school: 2 };

/**
 * What changed since the year before, near the top: every group (municipality, area, school) whose
 * change in the trend charts' measure is statistically clear, with how many were compared and how
 * many chance alone would give.
 */
function changesSection(strata: readonly TrendStratum[]): DocSection | null {
  if (strata.length === 0) return null;
  const blocks: Block[] = [];
  const texts: { from: string; text: string }[] = [];
  for (const analysis of ['gap', 'transition'] as const) {
    const own = strata.filter((st) => st.part.analysis === analysis);
    if (own.length === 0) continue;
    let compared = 0;
    let from = '';
    let to = '';
    const found: { stratum: TrendStratum; series: TrendSeries; change: Change }[] = [];
    for (const stratum of own) {
      for (const series of stratum.series) {
        const change = series.change_prev[stratum.metric];
        if (!change) continue;
        compared++;
        from = change.from;
        to = change.to;
        if (isClear(change)) found.push({ stratum, series, change });
      }
    }
    if (compared === 0) continue;
    const measure = analysis === 'gap' ? 'i andelen med högre betyg än provbetyg' : 'i skillnaden mellan godkänt i åk 5 och åk 6';
    texts.push({ from, text: `${formatCount(found.length, 'sv')} av ${formatCount(compared, 'sv')} grupper ${measure} (slumpen ensam ger omkring ${formatNumber(compared * 0.05, 0, 'sv')})` });
    if (found.length === 0) continue;
    found.sort((a, b) => (LEVEL_ORDER[a.series.level] ?? 3) - (LEVEL_ORDER[b.series.level] ?? 3) || Math.abs(b.change.change) - Math.abs(a.change.change));
    const rows: string[][] = [];
    const strong: number[] = [];
    for (const { stratum, series, change } of found) {
      if (series.level === 'total') strong.push(rows.length);
      const before = pointValue(series, change.from, stratum.metric);
      const after = pointValue(series, change.to, stratum.metric);
      rows.push([
        series.level === 'total' ? 'Kommunen' : groupName(series.key),
        stratum.title,
        before === null ? '' : formatMetric(stratum.metric, before, 'sv'),
        after === null ? '' : formatMetric(stratum.metric, after, 'sv'),
        formatChange(stratum.metric, series, 'sv'),
      ]);
    }
    const caption = analysis === 'gap' ? `Andel med högre betyg än provbetyg: tydliga förändringar ${from} → ${to}` : `Godkänt åk 5 minus godkänt åk 6 (procentenheter): tydliga förändringar ${from} → ${to}`;
    blocks.push({ kind: 'table', table: { caption, head: ['Enhet', 'Ämne', from, to, 'Förändring (procentenheter)'], textColumns: [1], rows, strong } });
  }
  if (texts.length === 0) return null;
  return {
    id: 'forandring',
    heading: 'Förändring sedan förra läsåret',
    continues: true,
    blocks: [
      {
        kind: 'text',
        text: `${sinceText(texts)} ▲ ökning, ▼ minskning, räknad på de avrundade siffrorna. Alla läsår: Över läsåren och bilagan.`,
      },
      ...blocks,
    ],
  };
}

/**
 * "Sedan 2023/24 har statistiskt säkert (95 %) ändrats: 6 av 86 grupper i … (slumpen ensam ger omkring 4)
 * och 3 av 35 …", the year named once when both parts compare the same two years.
 */
function sinceText(parts: readonly { from: string; text: string }[]): string {
  const same = parts.every((part) => part.from === parts[0]?.from);
  const items = parts.map((part) => (same ? part.text : `${part.text} sedan ${part.from}`));
  return same ? `Sedan ${parts[0]?.from ?? ''} har statistiskt säkert (95 %) ändrats: ${joinList(items)}.` : `Statistiskt säkert (95 %) har ändrats: ${joinList(items)}.`;
}

/**
 * Over the springs: the charts of the subjects where the municipality or an area has changed
 * clearly since the year before, the others named; the areas that have leaned the same way for
 * several springs in a sentence each. Every table is in the appendix.
 */
function trendSection(trend: TrendResult, strata: readonly TrendStratum[]): DocSection {
  const minStreak = trend.options.minStreak;
  const shown = strata.filter(hasClearChange);
  const quiet = strata.filter((st) => !hasClearChange(st));
  const quietGap = quiet.filter((st) => st.part.analysis === 'gap').map((st) => st.short);
  const quietTransition = quiet.filter((st) => st.part.analysis === 'transition').map((st) => st.short);
  const quietText = [
    quietGap.length > 0 ? `andelen högre betyg i ${joinList(quietGap)}` : '',
    quietTransition.length > 0 ? `åk 5 mot åk 6 i ${joinList(quietTransition)}` : '',
  ].filter((text) => text !== '');
  const patterns = patternSentences(strata, minStreak);
  const blocks: Block[] = [
    {
      kind: 'text',
      text: `Diagrammen visar de ämnen där kommunen eller ett skolområde har förändrats statistiskt säkert (95 %) sedan förra läsåret, med en linje för kommunen och en för varje skolområde.${quietText.length > 0 ? ` Ingen sådan förändring i ${quietText.join(' eller ')}.` : ''} Alla ämnen, skola för skola, finns i tabellerna i bilagan Trender per läsår.`,
    },
  ];
  if (patterns.length > 0) blocks.push({ kind: 'text', text: `Mönster över flera läsår (${minStreak} eller fler i rad, skolområden): ${patterns.join(' ')}` });
  // No sub-headings: each chart's own caption names it, so three or four fit on a printed page.
  for (const stratum of shown) blocks.push({ kind: 'chart', chart: trendChart(stratum) });
  return { id: 'trender', heading: 'Över läsåren', blocks };
}

/** Every trend table, school by school: the appendix. */
function trendAppendix(trend: TrendResult, strata: readonly TrendStratum[]): DocSection {
  return {
    id: 'trender-tabeller',
    heading: 'Bilaga: trender per läsår',
    blocks: [
      {
        kind: 'text',
        text: `Samma mått läsår för läsår. Förändring: senaste läsåret mot året innan, räknad på de avrundade siffrorna i tabellen, i procentenheter; ▲/▼ betyder att förändringen är statistiskt säker (95 %). Samma riktning: hur många läsår i rad gruppen legat åt samma håll; ${trend.options.minStreak} eller fler är ett mönster, inte ett enstaka år. "..": dold det läsåret (skälet under Anmärkning); "–": inga elever det läsåret.`,
      },
      ...strata.map((stratum): Block => ({ kind: 'table', table: trendTable(stratum) })),
    ],
  };
}

function trendChart(stratum: TrendStratum): Chart {
  const { part, metric } = stratum;
  const gap = part.analysis === 'gap';
  const chartSeries: ChartSeries[] = chartLines(stratum).map((s) => ({
    label: s.level === 'total' ? 'Kommunen' : groupName(s.key),
    points: part.school_years.map((year, index) => ({ x: year, y: s.points[index]?.estimates[metric]?.value ?? null })),
  }));
  return {
    type: 'trend',
    id: `trend-${stratum.slug}`,
    title: gap ? `Andel med högre betyg än provbetyg över läsåren: ${stratum.title}` : `Godkänt åk 5 minus godkänt åk 6 över läsåren (procentenheter): ${stratum.title}`,
    desc: `${chartSeries.length} linjer, en per skolområde och en för kommunen, läsåren ${part.school_years.join(', ')}.`,
    series: chartSeries,
    categories: part.school_years,
    yLabel: gap ? 'Andel högre' : 'Skillnad (procentenheter)',
    yFormat: gap ? 'share' : 'pp',
    zeroLine: !gap,
  };
}

function trendTable(stratum: TrendStratum): Table {
  const { part, metric } = stratum;
  const caption = part.analysis === 'gap' ? `Andel med högre betyg än provbetyg per läsår: ${stratum.title}` : `Godkänt åk 5 minus godkänt åk 6 per läsår (procentenheter): ${stratum.title}`;
  const rows: string[][] = [];
  const strong: number[] = [];
  const notes: string[] = [];
  for (const s of stratum.series) {
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
      formatChange(metric, s, 'sv'),
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
  return withNotes({ caption, head: ['Enhet', ...part.school_years, `Förändring (${changeUnit(metric, 'sv')})`, 'Samma riktning'], textColumns: [part.school_years.length + 2], rows, strong }, notes);
}

export function accountingSection(meta: ReportMeta): DocSection {
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
  const strata = trendStrata(trend);
  const appendix: DocSection[] = [];
  if (strata.length > 0) {
    sections.push(trendSection(trend, strata));
    appendix.push(trendAppendix(trend, strata));
  }
  appendix.push(accountingSection(meta));
  const changes = changesSection(strata);
  if (changes) sections.unshift(changes);
  return {
    title: input.title ?? 'Betyg och nationella prov',
    subtitle: `Systematiskt kvalitetsarbete${gapYear || transitionYear ? `, läsår ${gapYear || transitionYear}` : ''}. Underlag: ${meta.files.length} ${meta.files.length === 1 ? 'exportfil' : 'exportfiler'}, ${formatCount(meta.rows.read, 'sv')} rader.`,
    findings:
      gapYear || transitionYear
        ? [...findings, ...gapSummary].slice(0, 5)
        : ['Exporterna innehåller inga elever med både betyg och provbetyg i samma ämne och läsår, och inga bedömningar i åk 5 som kan följas till proven i åk 6. Bilagan visar vad som lästes.'],
    sections,
    appendix,
    sources: [`ska-analyze ${meta.version}. Minsta gruppstorlek ${minGroup} elever.`, ...(input.sources ?? [])],
    notice: gap.options.suppression === 'small_groups_only' || transition.options.suppression === 'small_groups_only' ? INTERNAL_NOTICE.sv : null,
  };
}
