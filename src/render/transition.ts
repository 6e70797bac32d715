/**
 * Renderers for the transition report (år 5 assessments against år 6 results).
 */
import { renderBlocks, TextTable, WIDE, type Block, type ColumnName, type ColumnSpec } from './text-table.js';
import type { KeyValue } from '../analysis/groups.js';
import type { LinkOptions, SideKind, TransitionCase, TransitionCohort, TransitionFigures, TransitionGroup, TransitionResult } from '../analysis/transition.js';
import type { ReportMeta } from '../meta.js';
import { subjectName } from '../normalise/subject.js';
import { isBackground, type Dimension } from '../types.js';
import { writeCsv, type CsvValue } from './csv.js';
import { excelTransition, excelTransitionCases } from './excel.js';
import { formatCount, formatInterval, formatNumber, formatPoints, formatShare, wrapText, type Lang } from './format.js';
import { jsonPieces, sectionsJson } from './gap.js';
import { dimName, type RenderOptions, type ReportText } from './groups.js';
import { columnNames, columnsNote, hiddenReason, INTERNAL_NOTICE, NOTE_HEAD, texts } from './labels.js';
import type { ReportSection } from './sections.js';

export interface TransitionReport {
  /** meta.cohorts: the cohorts linked (pooled unless school_year is in --by). */
  meta: ReportMeta & { cohorts?: readonly TransitionCohort[] };
  result: TransitionResult;
  link: LinkOptions;
  /** Present with --list-cases; pupil ids already masked unless --show-ids. */
  cases: TransitionCase[] | null;
  /** --compare-with. */
  sections?: readonly ReportSection[];
}

const CASE_FIELDS = ['school_year', 'area', 'school', 'class', 'subject', 'pupil', 'from', 'to', 'changed_school'] as const;

export const TRANSITION_FIGURE_KEYS = [
  'n_from_only',
  'n_to_only',
  'n_from_missing',
  'n_to_missing',
  'share_pass_from',
  'share_pass_to',
  'diff_pp',
  'diff_ci_low',
  'diff_ci_high',
  'diff_se',
  'pass_pass',
  'pass_fail',
  'fail_pass',
  'fail_fail',
  'share_pass_pass',
  'share_pass_fail',
  'share_fail_pass',
  'share_fail_fail',
  'p_value',
  'p_adj',
  'verdict',
  'mean_diff',
  'mean_diff_ci_low',
  'mean_diff_ci_high',
  'kappa_w',
] as const satisfies readonly (keyof TransitionFigures)[];

type FigureKey = (typeof TRANSITION_FIGURE_KEYS)[number];

export type TransitionFlatRow = Partial<Record<Dimension, KeyValue>> & {
  level: string;
  n: number | null;
  suppressed: boolean;
  suppressed_reason: string | null;
} & { [K in FigureKey]: TransitionFigures[K] | null };

export function flattenTransition(result: TransitionResult): TransitionFlatRow[] {
  return result.groups.map((group) => {
    const row: Record<string, KeyValue | boolean | number | string | null> = {};
    for (const dim of result.plan.by) row[dim] = group.key[dim] ?? null;
    row.level = group.level;
    row.n = group.suppressed ? null : group.n;
    for (const key of TRANSITION_FIGURE_KEYS) row[key] = group.figures ? group.figures[key] : null;
    row.suppressed = group.suppressed !== null;
    row.suppressed_reason = group.suppressed;
    return row as TransitionFlatRow;
  });
}

export type TransitionFormat = 'table' | 'json' | 'csv';

export const transitionRenderers: Readonly<Record<TransitionFormat, (report: TransitionReport, options: RenderOptions) => ReportText>> = {
  json: (report) =>
    report.cases
      ? jsonPieces(report.meta, 'cases', report.cases, (c) => c)
      : jsonPieces(report.meta, 'rows', flattenTransition(report.result), (row) => row, undefined, sectionsJson(report.sections)),
  csv: (report, options) => {
    if (options.excel) {
      const sheet = report.cases
        ? excelTransitionCases(report.cases, report.link, options.lang)
        : excelTransition(flattenTransition(report.result), { by: report.result.plan.by, names: report.result.plan.names, lang: options.lang, link: report.link, sections: report.sections ?? [] });
      return writeCsv(sheet.header, sheet.rows, { excel: true });
    }
    if (report.cases) return writeCsv(CASE_FIELDS, report.cases.map((c) => CASE_FIELDS.map((field) => c[field])), { excel: options.excel });
    const dims = report.result.plan.by;
    const sections = report.sections ?? [];
    const header = [...dims, 'level', 'n', ...TRANSITION_FIGURE_KEYS, 'suppressed', 'suppressed_reason', ...sections.flatMap((s) => s.csvColumns)];
    const rows = flattenTransition(report.result).map((row) => {
      const cells: CsvValue[] = [];
      for (const dim of dims) cells.push(row[dim] ?? null);
      cells.push(row.level, row.n);
      for (const key of TRANSITION_FIGURE_KEYS) cells.push(row[key]);
      cells.push(row.suppressed, row.suppressed_reason);
      for (const section of sections) cells.push(...section.csvCells(row));
      return cells;
    });
    return writeCsv(header, rows, { excel: options.excel });
  },
  table: renderTransitionTable,
};

const WORDS = {
  sv: {
    title: (l: LinkOptions) => `Åk ${l.fromLevel} → åk ${l.toLevel}: ${sideWords('sv', l.fromKind, l.fromLevel)} jämfört med ${sideWords('sv', l.toKind, l.toLevel)}`,
    total: 'Totalt',
    group: 'Grupp',
    verdict: 'Bedömning',
    n: 'Elever',
    passFrom: (l: LinkOptions) => `Godkänt åk ${l.fromLevel}`,
    passTo: (l: LinkOptions) => `Godkänt åk ${l.toLevel}`,
    diff: 'Skillnad (KI)',
    p: 'p',
    moved: 'Saknar åk',
    movedIn: 'Saknar åk',
    strict: 'sträng ▼',
    generous: 'generös ▲',
    inLine: 'i linje',
    girl: 'flickor',
    boy: 'pojkar',
    findings: 'Slutsatser',
    legend: [
      'Godkänt: andel av de länkade eleverna som är godkända enligt respektive sida (omdöme godtagbar eller bättre, betyg/provbetyg minst E).',
      'Skillnad: godkänt åk {from} minus godkänt åk {to}, i procentenheter, med konfidensintervall på nivån 1 − α (exakt, från eleverna som bytt utfall: samma test som bedömningen, så intervallet utesluter 0 precis när bedömningen är sträng eller generös).',
      'G→IG: godkänd åk {from}, inte godkänd åk {to}, osv. p: McNemars exakta test på eleverna som bytt utfall. Sträng: bedömningen i åk {from} godkänner signifikant färre än åk {to} (α = {alpha}); generös: signifikant fler. Sträng och generös förutsätter att omdömet i åk {from} och resultatet i åk {to} har samma godkändgräns.',
      'Saknar åk {to}: bedömda i åk {from} utan resultat i åk {to} (flyttat, frånvarande). Saknar åk {from}: resultat i åk {to} utan bedömning i åk {from} (inflyttade).',
      '..: ingen siffra; Anmärkning säger varför: för få elever (färre än {min} länkade), eller dold för att skydda en liten grupp (den skulle annars kunna räknas fram ur en summa).',
    ],
  },
  en: {
    title: (l: LinkOptions) => `Year ${l.fromLevel} → year ${l.toLevel}: ${sideWords('en', l.fromKind, l.fromLevel)} compared with ${sideWords('en', l.toKind, l.toLevel)}`,
    total: 'Total',
    group: 'Group',
    verdict: 'Verdict',
    n: 'Pupils',
    passFrom: (l: LinkOptions) => `Pass yr ${l.fromLevel}`,
    passTo: (l: LinkOptions) => `Pass yr ${l.toLevel}`,
    diff: 'Difference (CI)',
    p: 'p',
    moved: 'No yr',
    movedIn: 'No yr',
    strict: 'strict ▼',
    generous: 'generous ▲',
    inLine: 'in line',
    girl: 'girls',
    boy: 'boys',
    findings: 'Findings',
    legend: [
      'Pass: share of linked pupils passing on each side (omdöme acceptable or better, grade/test grade at least E).',
      'Difference: pass year {from} minus pass year {to}, in percentage points, with a confidence interval at level 1 − α (exact, from the pupils whose outcome changed: the same test as the verdict, so the interval leaves out 0 exactly when the verdict is strict or generous).',
      'P→F: pass in year {from}, fail in year {to}, etc. p: McNemar exact test on the pupils whose outcome changed. Strict: year {from} passes significantly fewer than year {to} (α = {alpha}); generous: significantly more. Strict and generous assume that the year {from} assessment and the year {to} result share one pass bar.',
      'No yr {to}: assessed in year {from} with no year {to} result (moved away, absent). No yr {from}: year {to} result without a year {from} assessment (moved in).',
      '..: no figure; Note says why: too few pupils (fewer than {min} linked), or hidden to protect a small group (it could otherwise be worked out from a total by subtraction).',
    ],
  },
} as const;

function sideWords(lang: Lang, kind: SideKind, level: number): string {
  if (lang === 'sv') {
    if (kind === 'assessment') return `bedömningarna i åk ${level}`;
    if (kind === 'grade') return `betygen i åk ${level}`;
    return `de nationella proven i åk ${level}`;
  }
  if (kind === 'assessment') return `the assessments in year ${level}`;
  if (kind === 'grade') return `the grades in year ${level}`;
  return `the national tests in year ${level}`;
}

/**
 * The cohorts named in one line, e.g. "Åk 5 2022/23 → åk 6 2023/24 och åk 5 2023/24 → åk 6 2024/25
 * (2 årskullar sammanslagna)"; `pooled` false when each school year is shown on its own.
 */
/** "åk 5 2023/24 → åk 6 2024/25" */
export function cohortName(cohort: Omit<TransitionCohort, 'linked'>, lang: Lang): string {
  const level = lang === 'sv' ? 'åk' : 'year';
  return `${level} ${cohort.from_level} ${cohort.from_school_year} → ${level} ${cohort.to_level} ${cohort.to_school_year}`;
}

export function cohortsText(cohorts: readonly Omit<TransitionCohort, 'linked'>[], lang: Lang, pooled = true): string {
  if (cohorts.length === 0) return '';
  const sv = lang === 'sv';
  const names = cohorts.map((c) => cohortName(c, lang));
  const last = names.pop() ?? '';
  const list = names.length > 0 ? `${names.join(', ')} ${sv ? 'och' : 'and'} ${last}` : last;
  const count = cohorts.length;
  let note: string;
  if (count === 1) note = sv ? '1 årskull' : '1 cohort';
  else if (pooled) note = sv ? `${count} årskullar sammanslagna` : `${count} cohorts pooled`;
  else note = sv ? `${count} årskullar, var för sig` : `${count} cohorts, shown separately`;
  return `${list.charAt(0).toUpperCase()}${list.slice(1)} (${note})`;
}

/** The cohort line under a table's title, or nothing when meta has no cohorts. */
function cohortLines(report: TransitionReport, lang: Lang): string[] {
  const cohorts = report.meta.cohorts ?? [];
  return cohorts.length > 0 ? [cohortsText(cohorts, lang, !report.result.plan.by.includes('school_year'))] : [];
}

function value(dim: Dimension, v: KeyValue, lang: Lang): string {
  const w = WORDS[lang];
  if (v === null) return w.total;
  if (dim === 'subject') return subjectName(String(v), lang);
  if (dim === 'gender') return v === 'girl' ? w.girl : v === 'boy' ? w.boy : String(v);
  if (isBackground(dim)) return v === 'yes' ? texts(lang).yes.toLowerCase() : v === 'no' ? texts(lang).no.toLowerCase() : String(v);
  return String(v);
}

function stratumTitle(result: TransitionResult, group: TransitionGroup, lang: Lang): string {
  const parts = result.plan.strata.map((dim) => (dim === 'grade_level' ? '' : value(dim, group.key[dim] ?? null, lang))).filter((p) => p !== '');
  return parts.join(' · ') || WORDS[lang].total;
}

function label(result: TransitionResult, group: TransitionGroup, lang: Lang): string {
  let depth = 0;
  let text: string = WORDS[lang].total;
  result.plan.levels.forEach((dim, index) => {
    const v = group.key[dim] ?? null;
    if (v !== null) {
      depth = index + 1;
      text = value(dim, v, lang);
    }
  });
  if (result.plan.gender && group.key.gender !== null && group.key.gender !== undefined) text = `${text}, ${value('gender', group.key.gender, lang)}`;
  for (const dim of result.plan.background) {
    const v = group.key[dim] ?? null;
    if (v !== null) text = `${text}, ${dimName(result.plan, dim, texts(lang), lang).toLowerCase()}: ${value(dim, v, lang)}`;
  }
  return `${'  '.repeat(depth)}${text}`;
}

function formatP(p: number, lang: Lang): string {
  if (p < 0.001) return lang === 'sv' ? '< 0,001' : '< 0.001';
  return formatNumber(p, 3, lang);
}

/** One plain sentence about a group, e.g. "Norra: bedömningarna i åk 5 godkänner färre elever …". */
function sentence(name: string, f: TransitionFigures, link: LinkOptions, lang: Lang): string {
  const from = sideWords(lang, link.fromKind, link.fromLevel);
  const to = sideWords(lang, link.toKind, link.toLevel);
  const pf = formatShare(f.share_pass_from, lang);
  const pt = formatShare(f.share_pass_to, lang);
  const pp = formatPoints(f.diff_pp, lang);
  const p = f.p_value < 0.001 ? (lang === 'sv' ? 'p < 0,001' : 'p < 0.001') : `p = ${formatNumber(f.p_value, 3, lang)}`;
  if (lang === 'sv') {
    if (f.verdict === 'strict') return `${name}: ${from} godkänner färre elever (${pf}) än ${to} (${pt}), ${pp} procentenheter (${p}). Bedömningen i åk ${link.fromLevel} är strängare.`;
    if (f.verdict === 'generous') return `${name}: ${from} godkänner fler elever (${pf}) än ${to} (${pt}), ${pp} procentenheter (${p}). Bedömningen i åk ${link.fromLevel} är generösare.`;
    return `${name}: ${from} (${pf} godkända) och ${to} (${pt}) skiljer sig inte säkert åt (${pp} procentenheter, ${p}).`;
  }
  if (f.verdict === 'strict') return `${name}: ${from} pass fewer pupils (${pf}) than ${to} (${pt}), ${pp} percentage points (${p}). The year ${link.fromLevel} assessment is stricter.`;
  if (f.verdict === 'generous') return `${name}: ${from} pass more pupils (${pf}) than ${to} (${pt}), ${pp} percentage points (${p}). The year ${link.fromLevel} assessment is more generous.`;
  return `${name}: ${from} (${pf} pass) and ${to} (${pt}) do not differ significantly (${pp} percentage points, ${p}).`;
}

function renderCasesTable(report: TransitionReport, cases: readonly TransitionCase[], options: RenderOptions): string {
  const { lang, paint } = options;
  const sv = lang === 'sv';
  const { link } = report;
  const word = (side: 'pass' | 'fail') => (sv ? (side === 'pass' ? 'godkänd' : 'inte godkänd') : side);
  const table = new TextTable({
    head: sv
      ? ['Läsår', 'Område', 'Skola', 'Klass', 'Ämne', 'Elev', `Åk ${link.fromLevel}`, `Åk ${link.toLevel}`, 'Bytt skola']
      : ['Year', 'Area', 'School', 'Class', 'Subject', 'Pupil', `Year ${link.fromLevel}`, `Year ${link.toLevel}`, 'Changed school'],
  });
  for (const c of cases) {
    table.push([c.school_year, c.area, c.school, c.class, subjectName(c.subject, lang), c.pupil, word(c.from), word(c.to), c.changed_school ? (sv ? 'ja' : 'yes') : '']);
  }
  const title = sv
    ? `Elever vars utfall ändrades mellan åk ${link.fromLevel} och åk ${link.toLevel} (${formatCount(cases.length, lang)})`
    : `Pupils whose outcome changed between year ${link.fromLevel} and year ${link.toLevel} (${formatCount(cases.length, lang)})`;
  return `${[paint.bold(title), ...cohortLines(report, lang)].join('\n')}\n${table.toString()}\n`;
}

/** The transition table's columns: group, verdict, pupils, pass shares and the difference by default, the rest with --wide or --columns. */
function transitionColumns(lang: Lang, link: LinkOptions, note: boolean): ColumnSpec[] {
  const w = WORDS[lang];
  const sv = lang === 'sv';
  return [
    { key: 'group', head: w.group, priority: 0, shorten: true },
    { key: 'verdict', head: w.verdict, priority: 0 },
    { key: 'n', head: w.n, align: 'right', priority: 0 },
    { key: 'pass_from', head: w.passFrom(link), align: 'right', priority: 1 },
    { key: 'pass_to', head: w.passTo(link), align: 'right', priority: 1 },
    { key: 'diff', head: w.diff, align: 'right', priority: 2 },
    { key: 'pass_pass', head: sv ? 'G→G' : 'P→P', align: 'right' },
    { key: 'pass_fail', head: sv ? 'G→IG' : 'P→F', align: 'right' },
    { key: 'fail_pass', head: sv ? 'IG→G' : 'F→P', align: 'right' },
    { key: 'fail_fail', head: sv ? 'IG→IG' : 'F→F', align: 'right' },
    { key: 'p', head: w.p, align: 'right' },
    { key: 'no_to', head: `${w.moved} ${link.toLevel}`, align: 'right' },
    { key: 'no_from', head: `${w.movedIn} ${link.fromLevel}`, align: 'right' },
    ...(note ? [{ key: 'note', head: NOTE_HEAD[lang], priority: 3, wrap: 'words' as const }] : []),
  ];
}

/** The transition table's columns for --columns: key, headings in Swedish and English (år 5 → 6), aliases (the JSON keys). */
export function transitionColumnNames(): ColumnName[] {
  const link: LinkOptions = { fromLevel: 5, toLevel: 6, fromKind: 'assessment', toKind: 'test', attributeTo: 'from' };
  return columnNames(transitionColumns('sv', link, true), transitionColumns('en', link, true), {
    n: ['antal'],
    pass_from: ['share_pass_from', 'godkänt före'],
    pass_to: ['share_pass_to', 'godkänt senare'],
    diff: ['diff_pp'],
    p: ['p_value'],
    no_to: ['n_from_only', 'saknar senare'],
    no_from: ['n_to_only', 'saknar tidigare'],
  });
}

function renderTransitionTable(report: TransitionReport, options: RenderOptions): string {
  const { lang, paint } = options;
  const layout = options.layout ?? WIDE;
  const prose = (line: string, hang = 0) => wrapText(line, layout.width, hang);
  // --small-groups-only: the first line of the output says it is not for publication.
  const notice = report.result.options.suppression === 'small_groups_only' ? [...prose(INTERNAL_NOTICE[lang]).map(paint.warn), ''] : [];
  if (report.cases) return [...notice, renderCasesTable(report, report.cases, options)].join('\n');
  const w = WORDS[lang];
  const { result, link } = report;
  const out: Block[] = [...notice, ...prose(w.title(link)).map(paint.bold), ...cohortLines(report, lang).flatMap((line) => prose(line)), ''];
  const columns = transitionColumns(lang, link, false).length;
  const sentenceLevel = result.plan.levels[0] ?? null;
  let title = '';
  let table: TextTable | null = null;
  let findings: string[] = [];
  const flush = () => {
    if (table) out.push(table);
    if (findings.length > 0) out.push(paint.bold(`${w.findings}:`), ...findings);
    if (table) out.push('');
    findings = [];
  };
  const hidden = paint.dim('..');
  // Strata with a hidden row get the column that says why.
  const withNote = new Set(result.groups.filter((group) => group.suppressed !== null).map((group) => stratumTitle(result, group, lang)));
  let note = false;
  for (const group of result.groups) {
    const t = stratumTitle(result, group, lang);
    if (t !== title) {
      flush();
      title = t;
      out.push(...prose(t).map(paint.bold));
      note = withNote.has(t);
      table = new TextTable({ columns: transitionColumns(lang, link, note) });
    }
    const name = label(result, group, lang);
    const f = group.figures;
    if (!f) {
      const why = group.suppressed ? paint.dim(hiddenReason(group.suppressed, lang)) : '';
      table?.push([paint.dim(name), ...Array.from({ length: columns - 1 }, () => hidden), ...(note ? [why] : [])]);
      continue;
    }
    const verdict = f.verdict === 'strict' ? paint.info(w.strict) : f.verdict === 'generous' ? paint.warn(w.generous) : w.inLine;
    table?.push([
      group.level === 'total' ? paint.bold(name) : name,
      verdict,
      formatCount(group.n, lang),
      formatShare(f.share_pass_from, lang),
      formatShare(f.share_pass_to, lang),
      `${formatPoints(f.diff_pp, lang)} ${formatInterval(f.diff_ci_low * 100, f.diff_ci_high * 100, 0, lang)}`,
      formatCount(f.pass_pass, lang),
      formatCount(f.pass_fail, lang),
      formatCount(f.fail_pass, lang),
      formatCount(f.fail_fail, lang),
      formatP(f.p_value, lang),
      f.n_from_only === null ? '' : formatCount(f.n_from_only, lang),
      f.n_to_only === null ? '' : formatCount(f.n_to_only, lang),
      ...(note ? [''] : []),
    ]);
    const isSentenceGroup = sentenceLevel === null ? group.level === 'total' : group.level === sentenceLevel;
    if (isSentenceGroup && (!result.plan.gender || group.key.gender === null)) {
      const lines = prose(`  ${sentence(name.trim(), f, link, lang)}`, 2);
      findings.push(...lines.map((line) => (f.verdict === 'strict' ? paint.info(line) : f.verdict === 'generous' ? paint.warn(line) : line)));
    }
  }
  flush();
  if (result.groups.length === 0) out.push(...prose(lang === 'sv' ? 'Inga elever kunde länkas mellan åren.' : 'No pupils could be linked between the years.'), '');
  const fill = (line: string) =>
    line
      .replaceAll('{from}', String(link.fromLevel))
      .replaceAll('{to}', String(link.toLevel))
      .replace('{alpha}', formatNumber(result.options.alpha, 2, lang))
      .replace('{min}', String(result.options.minGroup));
  const verdicts = result.comparisons.verdicts;
  if (verdicts.tests > 0) {
    const chance = formatNumber(verdicts.expected_by_chance, 0, lang);
    const summary =
      lang === 'sv'
        ? `Bedömningar: ${formatCount(verdicts.flagged, lang)} av ${formatCount(verdicts.tests, lang)} grupper under totalen är stränga eller generösa (p < ${formatNumber(result.options.alpha, 2, lang)}); slumpen ensam ger omkring ${chance}. Efter justering för många jämförelser (Benjamini–Hochberg) kvarstår ${formatCount(verdicts.flagged_adjusted, lang)} (p_adj i JSON och CSV).`
        : `Verdicts: ${formatCount(verdicts.flagged, lang)} of ${formatCount(verdicts.tests, lang)} groups below the total are strict or generous (p < ${formatNumber(result.options.alpha, 2, lang)}); chance alone gives about ${chance}. After adjusting for many comparisons (Benjamini–Hochberg), ${formatCount(verdicts.flagged_adjusted, lang)} remain (p_adj in JSON and CSV).`;
    out.push(...prose(summary), '');
  }
  // Each legend line explains these columns (the verdict line and ".." are always needed): left out with them.
  const explains = [['pass_from', 'pass_to'], ['diff'], ['group'], ['no_to', 'no_from'], ['group']];
  w.legend.forEach((line, i) => out.push({ columns: explains[i] ?? ['group'], lines: prose(fill(line)).map(paint.dim) }));
  out.push('');
  for (const section of report.sections ?? []) out.push(section.table(options));
  return renderBlocks(out, layout, (shown, total) => prose(columnsNote(shown, total, layout.width, lang)).map(paint.dim)).join('\n');
}
