/**
 * Extra sections a gap or transition report can carry (`--compare-with`, `--reference` with
 * published figures): shown after the table, as their own key in JSON, and as extra columns on
 * the matching rows in CSV. Built from analysis results; no statistics here.
 */
import { matchKey, type ComparedGroup, type Comparison, type CompareMetric } from '../analysis/compare.js';
import type { GroupPlan } from '../analysis/groups.js';
import type { FileChange } from '../read/earlier-run.js';
import type { Dimension } from '../types.js';
import type { CsvValue } from './csv.js';
import { formatCount, formatShare, formatSigned, type Lang } from './format.js';
import { keyLabel, strataTitle, type RenderOptions } from './groups.js';
import { texts } from './labels.js';
import { TextTable } from './text-table.js';

export interface ReportSection {
  /** Key of the section in the JSON report. */
  key: string;
  json: unknown;
  table(options: RenderOptions): string;
  csvColumns: readonly string[];
  /** Cells for one report row (the same flat row the CSV prints). */
  csvCells(row: Readonly<Record<string, unknown>>): CsvValue[];
}

export interface ComparisonInfo {
  file: string;
  sha256: string;
  version: string | null;
  files: { file: string; status: FileChange; was: string | null }[];
  /** Parameters that differ between the runs: name → [before, after]. */
  parameters_changed: Record<string, [unknown, unknown]>;
}

const FILE_STATUS: Readonly<Record<Lang, Readonly<Record<FileChange, string>>>> = {
  sv: { unchanged: 'oförändrad', changed: 'ändrad', new: 'ny', gone: 'saknas nu' },
  en: { unchanged: 'unchanged', changed: 'changed', new: 'new', gone: 'no longer read' },
};

/** Shares: % and procentenheter; anything else: grade points with one decimal. */
function figure(metric: CompareMetric, value: number, lang: Lang): string {
  // Differences of shares (net_gap, diff_pp) in procentenheter; shares in %; the rest in grade points.
  if (metric.key === 'net_gap' || metric.key === 'diff_pp') return formatSigned(value * 100, 0, lang);
  return metric.scale === 'share' ? formatShare(value, lang) : formatSigned(value, 1, lang);
}

function change(metric: CompareMetric, value: { change: number | null; sign: string | null }, lang: Lang): string {
  if (value.change === null) return '';
  const text = metric.scale === 'share' || metric.key === 'diff_pp' ? formatSigned(value.change * 100, 0, lang) : formatSigned(value.change, 1, lang);
  return value.sign === 'up' ? `${text}▲` : value.sign === 'down' ? `${text}▼` : text;
}

export function comparisonSection(
  comparison: Comparison,
  info: ComparisonInfo,
  plan: GroupPlan,
  metrics: readonly CompareMetric[],
  labels: Readonly<Record<string, Readonly<Record<Lang, string>>>>,
  minGroup: number,
): ReportSection {
  const dims = comparison.dims;
  const flat = comparison.groups.map((group) => flatGroup(group, dims, metrics));
  const index = new Map<string, ComparedGroup>();
  const keyOf = (row: Readonly<Record<string, unknown>>) => matchKey(dims, row);
  for (const group of comparison.groups) if (group.status !== 'gone') index.set(keyOf({ ...group.key, level: group.level }), group);
  const seriesPlan: GroupPlan = { ...plan, by: plan.by.filter((d) => d !== 'school_year'), strata: plan.strata.filter((d) => d !== 'school_year') };
  const csvColumns = ['before_school_year', 'n_before', ...metrics.flatMap((m) => [`${m.key}_before`, `${m.key}_change`, `${m.key}_change_sign`])];
  return {
    key: 'comparison',
    json: {
      file: info.file,
      sha256: info.sha256,
      version: info.version,
      school_year_before: comparison.school_year_before,
      school_year_after: comparison.school_year_after,
      parameters_changed: info.parameters_changed,
      files: info.files,
      counts: comparison.counts,
      hidden_before: comparison.hidden_before,
      groups: flat,
    },
    table(options) {
      const { lang, paint } = options;
      const t = texts(lang);
      const sv = lang === 'sv';
      const out: string[] = [];
      const years = comparison.school_year_before && comparison.school_year_after ? ` (${comparison.school_year_before} → ${comparison.school_year_after})` : '';
      out.push(paint.bold(sv ? `Förändring sedan förra körningen, ${info.file}${years}` : `Change since the earlier run, ${info.file}${years}`));
      out.push(info.files.map((f) => `${f.file}: ${FILE_STATUS[lang][f.status]}`).join('; '));
      const changed = Object.entries(info.parameters_changed);
      if (changed.length > 0) {
        out.push(paint.warn((sv ? 'Andra inställningar än förra gången: ' : 'Settings differ from last time: ') + changed.map(([name, [a, b]]) => `${name} ${JSON.stringify(a)} → ${JSON.stringify(b)}`).join(', ')));
      }
      out.push(
        sv
          ? `${formatCount(comparison.counts.both, lang)} grupper i båda, ${formatCount(comparison.counts.new, lang)} nya, ${formatCount(comparison.counts.gone, lang)} finns inte längre.`
          : `${formatCount(comparison.counts.both, lang)} groups in both, ${formatCount(comparison.counts.new, lang)} new, ${formatCount(comparison.counts.gone, lang)} gone.`,
      );
      if (comparison.hidden_before > 0) {
        out.push(
          sv
            ? `${formatCount(comparison.hidden_before, lang)} grupper i förra körningen visas utan siffror: dolda där, eller färre än ${minGroup} elever (denna körnings --min-group).`
            : `${formatCount(comparison.hidden_before, lang)} groups of the earlier run are shown without figures: hidden there, or fewer than ${minGroup} pupils (this run's --min-group).`,
        );
      }
      out.push('');
      const head = [t.group, sv ? 'Elever före → nu' : 'Pupils before → now', ...metrics.map((m) => labels[m.key]?.[lang] ?? m.key)];
      let title = '';
      let table: TextTable | null = null;
      const flush = () => {
        if (table) out.push(table.toString(), '');
      };
      for (const group of comparison.groups) {
        if (group.status !== 'both') continue;
        const heading = strataTitle(seriesPlan, group.key as never, t, lang);
        if (heading !== title) {
          flush();
          title = heading;
          out.push(paint.bold(heading));
          table = new TextTable({ head, colAligns: ['left', 'right', ...metrics.map(() => 'right' as const)] });
        }
        const n = (value: number | null) => (value === null ? t.suppressed : formatCount(value, lang));
        table?.push([
          keyLabel(seriesPlan, group.key as never, t, lang),
          `${n(group.n_before)} → ${n(group.n_after)}`,
          ...metrics.map((m) => {
            const v = group.values[m.key];
            // The municipality is its own standard: its std_gap is 0 by definition.
            if (m.key === 'std_gap' && group.level === 'total') return '';
            if (!v || v.before === null || v.after === null) return t.suppressed;
            return `${figure(m, v.before, lang)} → ${figure(m, v.after, lang)} (${change(m, v, lang)})`;
          }),
        ]);
      }
      flush();
      const others = comparison.groups.filter((g) => g.status !== 'both');
      if (others.length > 0) {
        const name = (g: ComparedGroup) => `${strataTitle(seriesPlan, g.key as never, t, lang)}: ${keyLabel(seriesPlan, g.key as never, t, lang, false)}`;
        const list = (status: string) => others.filter((g) => g.status === status).slice(0, 20).map(name).join('; ');
        if (comparison.counts.new > 0) out.push(`${sv ? 'Nya' : 'New'}: ${list('new')}${comparison.counts.new > 20 ? ' …' : ''}`);
        if (comparison.counts.gone > 0) out.push(`${sv ? 'Finns inte längre' : 'Gone'}: ${list('gone')}${comparison.counts.gone > 20 ? ' …' : ''}`);
        out.push('');
      }
      out.push(paint.dim(sv ? 'Förändring inom parentes: procentenheter för andelar, betygspoäng annars; ▲/▼ = statistiskt säker förändring (95 %). .. = dold grupp det året.' : 'Change in brackets: percentage points for shares, grade points otherwise; ▲/▼ = statistically clear change (95 %). .. = hidden group that year.'), '');
      return out.join('\n');
    },
    csvColumns,
    csvCells(row) {
      if (comparison.school_year_after !== null && row.school_year !== comparison.school_year_after) return csvColumns.map(() => null);
      const group = index.get(keyOf(row));
      if (!group || group.status !== 'both') return csvColumns.map(() => null);
      return [group.school_year_before, group.n_before, ...metrics.flatMap((m) => {
        const v = group.values[m.key];
        return [v?.before ?? null, v?.change ?? null, v?.sign ?? null];
      })];
    },
  };
}

function flatGroup(group: ComparedGroup, dims: readonly Dimension[], metrics: readonly CompareMetric[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const dim of dims) row[dim] = group.key[dim] ?? null;
  row.level = group.level;
  row.status = group.status;
  row.school_year_before = group.school_year_before;
  row.school_year_after = group.school_year_after;
  row.n_before = group.n_before;
  row.n_after = group.n_after;
  for (const metric of metrics) {
    const v = group.values[metric.key];
    row[`${metric.key}_before`] = v?.before ?? null;
    row[`${metric.key}_after`] = v?.after ?? null;
    row[`${metric.key}_change`] = v?.change ?? null;
    row[`${metric.key}_change_ci_low`] = v?.low ?? null;
    row[`${metric.key}_change_ci_high`] = v?.high ?? null;
    row[`${metric.key}_change_sign`] = v?.sign ?? null;
  }
  if ('verdict_before' in group) {
    row.verdict_before = group.verdict_before ?? null;
    row.verdict_after = group.verdict_after ?? null;
  }
  return row;
}

/** Parameters that differ between two runs (those that change figures). */
export function changedParameters(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const name of names) {
    if (!(name in before)) continue;
    if (JSON.stringify(before[name]) !== JSON.stringify(after[name])) out[name] = [before[name] ?? null, after[name] ?? null];
  }
  return out;
}
