/**
 * The row accounting for stderr: per file, rows read, accepted and rejected by reason, with up
 * to five file:line examples per reason; then where the accepted values went.
 */
import type { ReasonMeta, ReportMeta } from '../meta.js';
import { REASON_TEXT, type RejectReason } from '../normalise/ledger.js';
import type { Painter } from './color.js';
import { formatCount, type Lang } from './format.js';
import { INTERNAL_NOTICE } from './labels.js';

const COVERAGE_TEXT: Readonly<Record<string, { sv: string; en: string }>> = {
  paired: { sv: 'värden i par (betyg + provbetyg)', en: 'values paired (grade + test)' },
  grade_only: { sv: 'betyg utan provbetyg', en: 'grades without a test grade' },
  test_only: { sv: 'provbetyg utan betyg', en: 'test grades without a grade' },
  streck: { sv: 'streck (inget betyg kunde sättas)', en: 'streck (no grade could be set)' },
  no_test_in_subject_level_year: {
    sv: 'betyg i ämne/årskurs/läsår utan nationella prov (jämförs inte)',
    en: 'grades in a subject/level/year with no national test (not compared)',
  },
  autumn_grade_superseded: { sv: 'höstterminsbetyg där vårterminsbetyg finns', en: 'autumn grades where a spring grade exists' },
  conflict_left_out: { sv: 'motstridiga värden, utelämnade', en: 'conflicting values, left out' },
  assessment_not_used: { sv: 'bedömningar (används av transition, inte gap)', en: 'assessments (used by transition, not gap)' },
  linked: { sv: 'elev–ämnen länkade mellan åren', en: 'pupil–subjects linked between the years' },
  from_only: { sv: 'bedömda utan senare resultat (flyttat, frånvarande)', en: 'assessed with no later result (moved away, absent)' },
  to_only: { sv: 'senare resultat utan tidigare bedömning (inflyttade)', en: 'later result with no earlier assessment (moved in)' },
  from_missing: { sv: 'länkade men omdöme/betyg saknas det första året', en: 'linked, but the first year has no omdöme/grade' },
  to_missing: { sv: 'länkade men resultat saknas det senare året (streck)', en: 'linked, but the later year has no result (streck)' },
  changed_school: { sv: 'av de länkade: bytt skola mellan åren', en: 'of those linked: changed school between the years' },
  outside_years: { sv: 'utanför årskullarna som finns i båda åren (t.ex. åk 5 i senaste läsåret)', en: 'outside the cohorts covered at both ends (e.g. year 5 in the latest school year)' },
  unknown_grade_level: { sv: 'utan årskurs (kan inte placeras)', en: 'without a grade level (cannot be placed)' },
};

const ENCODING_TEXT: Readonly<Record<string, string>> = { ascii: 'ASCII', 'utf-8': 'UTF-8', 'windows-1252': 'Windows-1252', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE' };

function isReason(reason: string): reason is RejectReason {
  return reason in REASON_TEXT;
}

/** "3 gammal betygsskala [values]: file:12, file:40, …": one rejection reason with its examples. */
export function reasonLine(reason: string, entry: ReasonMeta, lang: Lang, values: string): string {
  const text = isReason(reason) ? REASON_TEXT[reason][lang] : reason;
  return `${formatCount(entry.count, lang)} ${text}${values}: ${entry.examples.join(', ')}${entry.count > entry.examples.length ? ', …' : ''}`;
}

export function renderSummary(meta: ReportMeta, lang: Lang, paint: Painter): string {
  const sv = lang === 'sv';
  const lines: string[] = [];
  for (const file of meta.files) {
    const encoding = `${ENCODING_TEXT[file.encoding] ?? file.encoding}${file.bom ? ' BOM' : ''}`;
    const rows = sv
      ? `${formatCount(file.rows.read, lang)} rader lästa: ${formatCount(file.rows.accepted, lang)} godtagna, ${formatCount(file.rows.rejected, lang)} avvisade`
      : `${formatCount(file.rows.read, lang)} rows read: ${formatCount(file.rows.accepted, lang)} accepted, ${formatCount(file.rows.rejected, lang)} rejected`;
    lines.push(`${paint.bold(file.file)} (${encoding}, ${file.delimiter}, ${file.layout}): ${rows}`);
    for (const [reason, entry] of Object.entries(file.rejected)) {
      const values = entry.values ? ` [${Object.entries(entry.values).slice(0, 5).map(([value, count]) => `"${value}" ×${count}`).join(', ')}]` : '';
      lines.push(`  ${reasonLine(reason, entry, lang, values)}`);
    }
    for (const warning of file.warnings) lines.push(`  ${paint.warn(warning)}`);
  }
  const total = meta.rows;
  lines.push(
    sv
      ? `Totalt ${formatCount(total.read, lang)} rader: ${formatCount(total.accepted, lang)} godtagna + ${formatCount(total.rejected, lang)} avvisade.`
      : `In all ${formatCount(total.read, lang)} rows: ${formatCount(total.accepted, lang)} accepted + ${formatCount(total.rejected, lang)} rejected.`,
  );
  const coverage = Object.entries(meta.coverage).filter(([, count]) => count > 0);
  if (coverage.length > 0) {
    lines.push(sv ? 'Godtagna värden i analysen:' : 'Accepted values in this analysis:');
    for (const [key, count] of coverage) lines.push(`  ${formatCount(count, lang)} ${COVERAGE_TEXT[key]?.[lang] ?? key}`);
  }
  const hidden = Object.entries(meta.suppressed_groups).filter(([, count]) => count > 0);
  if (hidden.length > 0) {
    const text = hidden.map(([reason, count]) => `${formatCount(count, lang)} ${reason === 'small_group' ? (sv ? 'för små' : 'too small') : sv ? 'sekundärt maskerade' : 'complementary'}`).join(', ');
    lines.push(sv ? `Dolda grupper: ${text}.` : `Hidden groups: ${text}.`);
  }
  // Also on stderr, so a JSON or CSV run with --small-groups-only says it too.
  if (meta.parameters.suppression === 'small_groups_only') lines.push(paint.warn(INTERNAL_NOTICE[lang]));
  return `${lines.join('\n')}\n`;
}
