/**
 * `gap --reference` with published figures (Skolverket's statistics, a hand-typed table): each
 * shown group beside the reference, as a report section (after the table; key `reference` in
 * JSON; `ref_…` columns in CSV) and as a section of the board report. Built from
 * compareWithReference's rows; no statistics here.
 *
 * Hidden groups get no reference figures of their own anywhere: they have no rows, and their
 * CSV cells are empty. A hidden, missing or rounded reference value is never a number: the
 * table says why, JSON and CSV give its status.
 */
import { FAR_YEARS, farYears, type ComparedMetric, type FarYear, type ReferenceComparison, type ReferenceRow, type YearMatch } from '../analysis/reference-compare.js';
import type { GroupPlan } from '../analysis/groups.js';
import type { ReferenceScope } from '../analysis/reference-select.js';
import type { Message } from '../messages.js';
import type { ReferenceLayout, ReferenceStatus } from '../normalise/reference-table.js';
import type { CsvValue } from './csv.js';
import { formatCount, formatNumber, formatShare, formatSigned, type Lang } from './format.js';
import { keyLabel, strataTitle, type RenderOptions } from './groups.js';
import { texts } from './labels.js';
import type { Block, DocSection, Table } from './report-doc.js';
import type { ReportSection } from './sections.js';
import { TextTable } from './text-table.js';

export type ReferenceUnitKind = 'school' | 'municipality' | 'nation' | 'other';

/** One published reference file as read (for the JSON report, the source lines and the pooling sentence). */
export interface ReferenceFileInfo {
  file: string;
  sha256: string;
  layout: ReferenceLayout;
  title: string | null;
  school_year: string | null;
  publisher: 'skolverket' | null;
  /** poolReference's label of what was pooled ("Stockholm", "Riket", "Ale (5 skolor)", "Riket (alla 290 kommuner i filen)"). */
  label: string;
  /** What was pooled: named units, the file's nation rows, every unit of a file covering the country, every unit of an excerpt. */
  scope: ReferenceScope;
  /** What the file's rows are, for the words "skolor" / "kommuner" / "enheter". */
  unit_kind: ReferenceUnitKind;
  /** Skolverket's remarks above the header, verbatim (e.g. 2017/18's on test parts seen beforehand). */
  remarks: string[];
  /** What the selection means (how Riket was computed, why an excerpt is not Riket). */
  notes: Message[];
}

export interface ReferenceInfo {
  files: ReferenceFileInfo[];
  selection: { unit: string | null; provider: string | null };
}

const METRIC_NAMES: Readonly<Record<ComparedMetric, Readonly<Record<Lang, string>>>> = {
  share_higher: { sv: 'Högre betyg än prov', en: 'Grade above test' },
  share_same: { sv: 'Samma betyg som prov', en: 'Grade same as test' },
  share_lower: { sv: 'Lägre betyg än prov', en: 'Grade below test' },
  share_pass_test: { sv: 'Provbetyg A–E', en: 'Test grade A–E' },
  mean_points_test: { sv: 'Provbetygspoäng (medel)', en: 'Mean test points' },
  share_pass_grade: { sv: 'Betyg A–E', en: 'Grade A–E' },
};

const VERDICT_WORDS: Readonly<Record<Lang, Readonly<Record<'better' | 'worse' | 'in_line', string>>>> = {
  sv: { better: 'bättre', worse: 'sämre', in_line: 'i linje' },
  en: { better: 'better', worse: 'worse', in_line: 'in line' },
};

/** Why a reference value is not shown. */
function hiddenReason(status: ReferenceStatus, raw: string | null, lang: Lang): string {
  const sv = lang === 'sv';
  switch (status) {
    case 'too_few':
      return sv ? 'referens dold (för få elever: Skolverket visar ..)' : 'reference hidden (too few pupils: Skolverket shows ..)';
    case 'rounded':
      return sv ? `referens avrundad (${raw ?? '~100'})` : `reference rounded (${raw ?? '~100'})`;
    default:
      return sv ? 'referens saknas' : 'reference missing';
  }
}

const HIDDEN_TOKEN: Readonly<Record<ReferenceStatus, string>> = { ok: '', too_few: '..', missing: '.', rounded: '~100' };

function isPoints(metric: ComparedMetric): boolean {
  return metric === 'mean_points_test';
}

function value(metric: ComparedMetric, number: number, lang: Lang): string {
  return isPoints(metric) ? formatNumber(number, 1, lang) : formatShare(number, lang, 1);
}

/** "+3,5 procentenheter", "−2 procentenheter", "+0,4 betygspoäng" (a trailing ",0" dropped). */
function differenceText(metric: ComparedMetric, difference: number, lang: Lang): string {
  // One number format in the section: always one decimal (+5,0 beside +2,6, never +5), so the
  // unit is always plural (1,0 procentenheter).
  const number = formatSigned(isPoints(metric) ? difference : difference * 100, 1, lang);
  const unit = isPoints(metric) ? (lang === 'sv' ? 'betygspoäng' : 'grade points') : lang === 'sv' ? 'procentenheter' : 'percentage points';
  return `${number} ${unit}`;
}

interface Cells {
  own: string;
  reference: string;
  difference: string;
  verdict: string;
}

function cells(row: ReferenceRow, lang: Lang): Cells {
  const own = value(row.metric, row.own, lang);
  if (row.reference === null) {
    return { own, reference: row.reference_raw ?? HIDDEN_TOKEN[row.reference_status], difference: '', verdict: hiddenReason(row.reference_status, row.reference_raw, lang) };
  }
  return {
    own,
    reference: value(row.metric, row.reference, lang),
    difference: row.difference === null ? '' : differenceText(row.metric, row.difference, lang),
    verdict: row.verdict === null ? (lang === 'sv' ? '– (för få elever)' : '– (too few pupils)') : VERDICT_WORDS[lang][row.verdict],
  };
}

function yearNote(year: string, match: YearMatch, apart: number | null, lang: Lang): string {
  const sv = lang === 'sv';
  // FAR_YEARS or more away: say how far, beside the warning above the tables.
  const far = apart !== null && Math.abs(apart) >= FAR_YEARS ? (sv ? `, ${Math.abs(apart)} läsår ${apart > 0 ? 'tidigare' : 'senare'}` : `, ${Math.abs(apart)} years ${apart > 0 ? 'earlier' : 'later'}`) : '';
  switch (match) {
    case 'earlier':
      return sv ? `referens ${year}, närmast föregående läsår${far}` : `reference ${year}, the nearest earlier year${far}`;
    case 'later':
      return sv ? `referens ${year}, närmast följande läsår${far}` : `reference ${year}, the nearest later year${far}`;
    case 'latest':
      return sv ? `referens ${year}, senaste läsåret` : `reference ${year}, the latest year`;
    default:
      return sv ? `referens ${year}` : `reference ${year}`;
  }
}

/**
 * One warning, when any group year is judged against a reference FAR_YEARS or more school years
 * away: "Obs! Referensen är från ett annat läsår än grupperna: 2024/25 jämförs med 2017/18 (7
 * läsår tidigare). …". For stderr (referenceDiagnostics) and above the section's tables.
 */
export function farYearWarnings(comparison: Pick<ReferenceComparison, 'rows'>, lang: Lang): string[] {
  const sv = lang === 'sv';
  const pairs = new Map<string, FarYear>();
  for (const far of farYears(comparison.rows)) pairs.set(`${far.school_year}|${far.reference_school_year}`, far);
  if (pairs.size === 0) return [];
  const parts = [...pairs.values()].map((far, i) => {
    const n = Math.abs(far.years_apart);
    const when = sv ? `${n} läsår ${far.years_apart > 0 ? 'tidigare' : 'senare'}` : `${n} years ${far.years_apart > 0 ? 'earlier' : 'later'}`;
    return `${far.school_year} ${i === 0 ? (sv ? 'jämförs med' : 'is compared with') : sv ? 'med' : 'with'} ${far.reference_school_year} (${when})`;
  });
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} ${sv ? 'och' : 'and'} ${parts[parts.length - 1]}`;
  return [
    sv
      ? `Obs! Referensen är från ett annat läsår än grupperna: ${list}. Betygssättningen och proven ändras över tid, så skillnaden mot referensen säger då mindre om gruppernas betyg; använd en referens från samma eller närmast föregående läsår om den finns.`
      : `Note: the reference is from another school year than the groups: ${list}. Grading and the tests change over time, so the difference from the reference says less about the groups' grades; use a reference from the same or the nearest earlier school year if there is one.`,
  ];
}

/** Lines about the files: Skolverket's remarks, and what the selection means (e.g. not Riket but an excerpt). */
function fileNotes(info: ReferenceInfo, lang: Lang): string[] {
  const out: string[] = [];
  for (const file of info.files) {
    for (const note of file.notes) out.push(note[lang]);
    for (const remark of file.remarks) {
      const year = file.school_year === null ? '' : ` ${file.school_year}`;
      out.push(lang === 'sv' ? `Skolverkets anmärkning om läsåret${year} (${file.file}): ${remark}` : `Skolverket's remark on the school year${year} (${file.file}, in Swedish): ${remark}`);
    }
  }
  return out;
}

/** Several published files: each row says which school year its reference is from. */
function yearColumn(info: ReferenceInfo): boolean {
  return info.files.length > 1;
}

/** What the reference is called: the pooled labels of the files used. */
function referenceLabel(comparison: ReferenceComparison, info: ReferenceInfo): string {
  const used = new Set(comparison.rows.map((row) => row.reference_label));
  const labels = [...new Set(info.files.map((file) => file.label))];
  const shown = labels.filter((label) => used.size === 0 || used.has(label));
  return shown.join('; ');
}

/**
 * The section's title: "Jämfört med referens: Stockholm (2023/24)"; with several files, each
 * label with the years it was used for ("Ale (2022/23); Riket (2023/24)").
 */
function referenceTitle(comparison: ReferenceComparison, info: ReferenceInfo, lang: Lang): string {
  const labels = [...new Set(info.files.map((file) => file.label))];
  const used = new Set(comparison.rows.map((row) => row.reference_label));
  const parts = labels
    .filter((label) => used.size === 0 || used.has(label))
    .map((label) => {
      const fromRows = comparison.rows.filter((row) => row.reference_label === label).map((row) => row.reference_school_year);
      const years = [...new Set(fromRows.length > 0 ? fromRows : info.files.filter((file) => file.label === label && file.school_year !== null).map((file) => file.school_year as string))].sort();
      return `${label}${years.length > 0 ? ` (${years.join(', ')})` : ''}`;
    });
  return `${lang === 'sv' ? 'Jämfört med referens' : 'Compared with reference'}: ${parts.join('; ')}`;
}

/**
 * The source lines Skolverket asks for, one per file it published:
 * "Källa: Skolverket. Egen bearbetning av data från Skolverket (<title>, <school year>)."
 */
export function referenceAttribution(info: ReferenceInfo): string[] {
  const lines = info.files
    .filter((file) => file.publisher === 'skolverket')
    .map((file) => {
      const what = [file.title, file.school_year].filter((part): part is string => part !== null && part !== '').join(', ');
      return `Källa: Skolverket. Egen bearbetning av data från Skolverket${what === '' ? '' : ` (${what})`}.`;
    });
  return [...new Set(lines)];
}

const UNIT_WORDS: Readonly<Record<Lang, Readonly<Record<ReferenceUnitKind, readonly [string, string]>>>> = {
  sv: { school: ['skola', 'skolor'], municipality: ['kommun', 'kommuner'], nation: ['enhet', 'enheter'], other: ['enhet', 'enheter'] },
  en: { school: ['school', 'schools'], municipality: ['municipality', 'municipalities'], nation: ['unit', 'units'], other: ['unit', 'units'] },
};

function range(values: readonly number[], lang: Lang): { text: string; max: number } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { text: min === max ? formatCount(min, lang) : `${formatCount(min, lang)}–${formatCount(max, lang)}`, max };
}

/**
 * How many reference units were pooled and left out, in words, for the rows of one stratum:
 * "Referensen är ett vägt medelvärde av 55 skolor; 3 skolor med dolda värden ingår inte."
 * Nothing when the reference is a single unit taken as it is.
 */
function poolingSentences(rows: readonly ReferenceRow[], info: ReferenceInfo, lang: Lang): string[] {
  const sv = lang === 'sv';
  const byFile = new Map<string, ReferenceRow[]>();
  for (const row of rows) {
    const id = row.reference_file ?? '';
    const list = byFile.get(id);
    if (list) list.push(row);
    else byFile.set(id, [row]);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    const kind = info.files.find((f) => f.file === file)?.unit_kind ?? 'other';
    const [one, many] = UNIT_WORDS[lang][kind];
    const units = range(list.map((row) => row.reference_units), lang);
    const excluded = range(list.map((row) => row.reference_excluded_units), lang);
    // A single unit taken as it is (its hidden value included) was not pooled: nothing to say.
    if (Math.max(...list.map((row) => row.reference_units + row.reference_excluded_units)) <= 1) continue;
    const word = (r: { text: string; max: number }) => (r.text === '1' ? one : many);
    const varies = units.text.includes('–') || excluded.text.includes('–');
    let sentence = sv
      ? `Referensen${byFile.size > 1 ? ` (${file})` : ''} är ett vägt medelvärde av ${units.text} ${word(units)}`
      : `The reference${byFile.size > 1 ? ` (${file})` : ''} is a mean of ${units.text} ${word(units)} weighted by their pupils`;
    if (excluded.max > 0) sentence += sv ? `; ${excluded.text} ${word(excluded)} med dolda eller saknade värden ingår inte` : `; ${excluded.text} ${word(excluded)} with hidden or missing values are left out`;
    const rounded = range(list.map((row) => row.reference_rounded_units), lang);
    if (rounded.max > 0) {
      sentence += sv
        ? `; för ${rounded.text} ${word(rounded)} med ~100 räknas (n − 2,5)/n, mitten av vad ~100 tillåter (1–4 elever under E)`
        : `; for ${rounded.text} ${word(rounded)} with ~100, (n − 2.5)/n is used, the middle of what ~100 allows (1–4 pupils below E)`;
    }
    if (varies) sentence += sv ? ' (olika för olika mått)' : ' (depending on the measure)';
    out.push(`${sentence}.`);
  }
  return out;
}

function legend(comparison: ReferenceComparison, lang: Lang): string {
  const level = formatNumber((1 - comparison.alpha) * 100, 0, lang);
  return lang === 'sv'
    ? `Egen: andel (eller medelpoäng) bland gruppens elever med både betyg och provbetyg. Bedömning: referensvärdet utanför gruppens ${level} %-intervall (Wilson för andelar, t för medelpoäng) = bättre eller sämre, annars i linje. Bättre = färre betyg högre eller lägre än provbetyget, fler lika, fler med A–E och högre provbetygspoäng. Skillnad i procentenheter för andelar. Dolda referensvärden (.., ., ~100) jämförs inte.`
    : `Own: share (or mean points) among the group's pupils with both a grade and a test grade. Verdict: the reference value outside the group's ${level} % interval (Wilson for shares, t for mean points) = better or worse, otherwise in line. Better = fewer grades above or below the test grade, more the same, more with A–E and higher test points. Differences of shares in percentage points. Hidden reference values (.., ., ~100) are not compared.`;
}

function stratumKeyOf(plan: GroupPlan, row: ReferenceRow): string {
  return JSON.stringify(plan.strata.map((dim) => row.key[dim] ?? null));
}

/** Rows split by stratum (year, level, subject), in report order. */
function strata(comparison: ReferenceComparison): ReferenceRow[][] {
  const out = new Map<string, ReferenceRow[]>();
  for (const row of comparison.rows) {
    const id = stratumKeyOf(comparison.plan, row);
    const list = out.get(id);
    if (list) list.push(row);
    else out.set(id, [row]);
  }
  return [...out.values()];
}

function stratumYears(rows: readonly ReferenceRow[], lang: Lang): string {
  const seen = new Map<string, ReferenceRow>();
  for (const row of rows) seen.set(`${row.reference_school_year}|${row.year_match}`, row);
  return [...seen.values()].map((row) => yearNote(row.reference_school_year, row.year_match, row.reference_years_apart, lang)).join('; ');
}

/** One flat JSON row per group × measure. */
function flatRow(plan: GroupPlan, row: ReferenceRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const dim of plan.by) out[dim] = row.key[dim] ?? null;
  out.level = row.level;
  out.n = row.n;
  out.metric = row.metric;
  out.own = row.own;
  out.own_ci_low = row.own_ci_low;
  out.own_ci_high = row.own_ci_high;
  out.reference = row.reference;
  out.reference_status = row.reference_status;
  out.reference_raw = row.reference_raw;
  out.reference_n = row.reference_n;
  out.reference_units = row.reference_units;
  out.reference_excluded_units = row.reference_excluded_units;
  out.reference_rounded_units = row.reference_rounded_units;
  out.reference_label = row.reference_label;
  out.reference_file = row.reference_file;
  out.reference_school_year = row.reference_school_year;
  out.reference_gender = row.reference_gender;
  out.year_match = row.year_match;
  out.reference_years_apart = row.reference_years_apart;
  out.difference = row.difference;
  out.direction = row.direction;
  out.verdict = row.verdict;
  return out;
}

export function referenceSection(comparison: ReferenceComparison, info: ReferenceInfo): ReportSection {
  const { plan } = comparison;
  const attribution = referenceAttribution(info);
  const keyOf = (row: Readonly<Record<string, unknown>>) => JSON.stringify([...plan.by.map((dim) => row[dim] ?? null), row.level ?? null]);
  const byGroup = new Map<string, ReferenceRow[]>();
  for (const row of comparison.rows) {
    const id = keyOf({ ...row.key, level: row.level });
    const list = byGroup.get(id);
    if (list) list.push(row);
    else byGroup.set(id, [row]);
  }
  const metrics = comparison.metrics;
  // Per measure its reference year too: with several files (or a hand-typed table with several
  // years) the measures of one row can come from different years.
  const csvColumns = [...metrics.flatMap((m) => [`ref_${m}`, `ref_${m}_diff`, `ref_${m}_verdict`, `ref_${m}_status`, `ref_${m}_school_year`]), 'ref_school_year'];
  return {
    key: 'reference',
    json: {
      files: info.files.map((file) => ({
        file: file.file,
        sha256: file.sha256,
        layout: file.layout,
        title: file.title,
        school_year: file.school_year,
        publisher: file.publisher,
        label: file.label,
        scope: file.scope,
        remarks: file.remarks,
      })),
      selection: info.selection,
      label: referenceLabel(comparison, info),
      alpha: comparison.alpha,
      unmatched_groups: comparison.unmatched_groups,
      far_years: farYears(comparison.rows),
      rows: comparison.rows.map((row) => flatRow(plan, row)),
      attribution,
    },
    table(options: RenderOptions) {
      const { lang, paint } = options;
      const t = texts(lang);
      const sv = lang === 'sv';
      const out: string[] = [paint.bold(referenceTitle(comparison, info, lang)), ''];
      const warnings = farYearWarnings(comparison, lang);
      for (const warning of warnings) out.push(paint.warn(warning));
      const notes = fileNotes(info, lang);
      for (const note of notes) out.push(paint.dim(note));
      if (warnings.length + notes.length > 0) out.push('');
      const withYear = yearColumn(info);
      if (comparison.rows.length === 0) {
        out.push(
          sv
            ? 'Ingen visad grupp har referensvärden: referensen gäller andra årskurser, ämnen eller kön, eller så saknas grade_level och subject i --by.'
            : 'No shown group has reference figures: the reference covers other grade levels, subjects or genders, or --by lacks grade_level and subject.',
          '',
        );
      }
      const head = [t.group, t.n, sv ? 'Mått' : 'Measure', sv ? 'Egen' : 'Own', sv ? 'Referens' : 'Reference', ...(withYear ? [sv ? 'Ref.-läsår' : 'Ref. year'] : []), sv ? 'Skillnad' : 'Difference', sv ? 'Bedömning' : 'Verdict'];
      for (const rows of strata(comparison)) {
        const first = rows[0];
        if (!first) continue;
        out.push(paint.bold(`${strataTitle(plan, first.key, t, lang)} (${stratumYears(rows, lang)})`));
        const table = new TextTable({ head, colAligns: ['left', 'right', 'left', 'right', 'right', ...(withYear ? ['left' as const] : []), 'right', 'left'] });
        let previous = '';
        for (const row of rows) {
          const id = keyOf({ ...row.key, level: row.level });
          const label = keyLabel(plan, row.key, t, lang);
          const c = cells(row, lang);
          const verdict = row.verdict === 'better' ? paint.info(c.verdict) : row.verdict === 'worse' ? paint.warn(c.verdict) : row.reference === null ? paint.dim(c.verdict) : c.verdict;
          table.push([
            id === previous ? '' : row.level === 'total' ? paint.bold(label) : label,
            id === previous ? '' : formatCount(row.n, lang),
            METRIC_NAMES[row.metric][lang],
            c.own,
            c.reference,
            ...(withYear ? [row.reference_school_year] : []),
            c.difference,
            verdict,
          ]);
          previous = id;
        }
        out.push(table.toString());
        for (const sentence of poolingSentences(rows, info, lang)) out.push(paint.dim(sentence));
        out.push('');
      }
      if (comparison.unmatched_groups > 0 && comparison.rows.length > 0) {
        out.push(
          paint.dim(
            sv
              ? `${formatCount(comparison.unmatched_groups, lang)} visade grupper har ingen referens (andra årskurser, ämnen eller kön än referensen).`
              : `${formatCount(comparison.unmatched_groups, lang)} shown groups have no reference (other grade levels, subjects or genders than the reference).`,
          ),
        );
      }
      out.push(paint.dim(legend(comparison, lang)));
      for (const file of info.files) if (file.publisher !== 'skolverket') out.push(sv ? `Referensvärden: ${file.file} (${file.label}).` : `Reference figures: ${file.file} (${file.label}).`);
      out.push(...attribution, '');
      return out.join('\n');
    },
    csvColumns,
    csvCells(row) {
      if (row.suppressed === true) return csvColumns.map(() => null);
      const rows = byGroup.get(keyOf(row));
      if (!rows) return csvColumns.map(() => null);
      const cellsOut: CsvValue[] = [];
      for (const metric of metrics) {
        const hit = rows.find((r) => r.metric === metric);
        cellsOut.push(hit?.reference ?? null, hit?.difference ?? null, hit?.verdict ?? null, hit?.reference_status ?? null, hit?.reference_school_year ?? null);
      }
      const years = [...new Set(rows.map((r) => r.reference_school_year))].sort();
      cellsOut.push(years.length > 0 ? years.join(' / ') : null);
      return cellsOut;
    },
  };
}

/**
 * The same comparison as a section of the board report (Swedish): a table per stratum and a
 * note with how the reference was pooled and the source line.
 */
export function referenceDocSection(comparison: ReferenceComparison, info: ReferenceInfo): DocSection {
  const lang: Lang = 'sv';
  const t = texts(lang);
  const { plan } = comparison;
  const withYear = yearColumn(info);
  const parts: { heading: string; blocks: Block[] }[] = [];
  for (const rows of strata(comparison)) {
    const first = rows[0];
    if (!first) continue;
    const heading = strataTitle(plan, first.key, t, lang);
    const tableRows: string[][] = [];
    const strong: number[] = [];
    let previous = '';
    for (const row of rows) {
      const id = JSON.stringify([plan.by.map((dim) => row.key[dim] ?? null), row.level]);
      let name = keyLabel(plan, row.key, t, lang, false);
      if (row.level === 'total') name = name.replace(/^Totalt/, 'Kommunen');
      if (row.level === 'total' && id !== previous) strong.push(tableRows.length);
      const c = cells(row, lang);
      tableRows.push([
        id === previous ? '' : name,
        id === previous ? '' : formatCount(row.n, lang),
        METRIC_NAMES[row.metric][lang],
        c.own,
        c.reference,
        ...(withYear ? [row.reference_school_year] : []),
        c.difference,
        c.verdict,
      ]);
      previous = id;
    }
    const table: Table = {
      caption: `${heading} (${stratumYears(rows, lang)})`,
      head: ['Enhet', 'Elever', 'Mått', 'Egen', 'Referens', ...(withYear ? ['Ref.-läsår'] : []), 'Skillnad', 'Bedömning'],
      textColumns: withYear ? [2, 5, 7] : [2, 6],
      rows: tableRows,
      strong,
    };
    const blocks: Block[] = [{ kind: 'table', table }];
    for (const sentence of poolingSentences(rows, info, lang)) blocks.push({ kind: 'note', text: sentence });
    parts.push({ heading, blocks });
  }
  const blocks: Block[] = [
    ...farYearWarnings(comparison, lang).map((text): Block => ({ kind: 'note', text })),
    ...fileNotes(info, lang).map((text): Block => ({ kind: 'note', text })),
    { kind: 'text', text: legend(comparison, lang) },
  ];
  if (comparison.rows.length === 0) blocks.push({ kind: 'note', text: 'Ingen visad grupp har referensvärden för samma årskurs och ämne.' });
  const sources = [
    ...info.files.filter((file) => file.publisher !== 'skolverket').map((file) => `Referensvärden: ${file.file} (${file.label}).`),
    ...referenceAttribution(info),
  ];
  if (sources.length > 0) blocks.push({ kind: 'note', text: sources.join(' ') });
  return { id: 'referens', heading: referenceTitle(comparison, info, lang), blocks, parts };
}
