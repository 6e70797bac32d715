/**
 * Registers the commands; the one place that turns errors into messages and exit codes.
 */
import { Command, CommanderError, Option } from 'commander';
import { runGap } from './commands/gap.js';
import { runInit } from './commands/init.js';
import { runInspect } from './commands/inspect.js';
import { runTransition } from './commands/transition.js';
import { runTrend } from './commands/trend.js';
import { runReport } from './commands/report.js';
import { InputError, NoFiguresError, UsageError } from './errors.js';
import { ClosedPipe, type Io } from './io.js';
import { TOOL_VERSION } from './meta.js';
import { DIMENSIONS } from './types.js';

/** The reading and output options every analysis command has; `lang`: whether it can write English. */
function commonOptions(command: Command, { lang = true }: { lang?: boolean } = {}): Command {
  if (lang) command.addOption(new Option('--lang <lang>', 'language of the report').choices(['sv', 'en']).default('sv'));
  return command
    .option('--config <file>', 'config file (ska.config.json): column names, subjects, areas, scales')
    .option('--areas <file>', 'CSV mapping school → area (columns Skola;Skolområde)')
    .option('--encoding <name>', 'force the input encoding: utf-8, windows-1252, latin1, utf-16le (default: detected)')
    .option('--school-years <range>', 'only these school years, e.g. 2023/24, 2022/23-2023/24, ..2023/24 (rows of other years are counted apart, not rejected)')
    .option('-o, --output <file>', 'write the report to a file instead of stdout (never onto an input; - for stdout)')
    .option('-q, --quiet', 'no row accounting on stderr');
}

/** Set by a command's action: the exit code it resolved to. */
interface Outcome {
  code: number;
}

export function buildProgram(io: Io, outcome: Outcome = { code: 0 }): Command {
  const program = new Command();
  program.configureOutput({
    writeOut: (text) => void io.stdout.write(text),
    writeErr: (text) => void io.stderr.write(text),
  });
  program
    .name('ska-analyze')
    .description('Systematiskt kvalitetsarbete: teacher grades against national tests, from school exports as they are.')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  commonOptions(
    program
      .command('gap')
      .description('teacher grades (terminsbetyg) against national test grades (provbetyg), per group')
      .argument('<files...>', 'exports (CSV), folders of them, or - for stdin')
      .option('--by <dims>', `group by, comma-separated: ${DIMENSIONS.join(', ')} (default: school_year,grade_level,area,school,subject)`)
      .option('--min-group <n>', 'groups with fewer pupils show no figures (default 10)')
      .option('--small-groups-only', 'internal use: hide only groups below --min-group, no complementary hiding (never for publication)')
      .option('--alpha <p>', 'significance level for the comparison with the rest of the municipality (default 0.05)')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']))
      .option('--excel', 'CSV for Swedish Excel: semicolons, decimal commas, BOM (implies --format csv)')
      .option('--matrix', 'table format: print the A–F × A–F table and the step differences under every group')
      .option('--list-cases', 'list pupils whose grade and test grade differ by 2 steps or more (ids masked)')
      .option('--show-ids', 'with --list-cases: show the pupil ids (personal data: handle with care)')
      .option('--fail-on <conditions>', 'exit with code 3 when any group breaches a threshold, e.g. "share_higher>0.25" or "funnel_flag=above_99.8" (comma-separated)')
      .option('--compare-with <file>', 'show what changed against an earlier run: the JSON of an earlier "gap --format json" run (last spring\'s)')
      .addOption(
        new Option(
          '--reference <file>',
          'repeatable; chosen by content. A JSON file (an earlier "gap --format json" run): standardise against its grading standard instead of the municipality\'s own (at most one). Any other file: published figures (Skolverket\'s statistics export as downloaded, or a hand-typed table) shown beside every group as better / worse / in line',
        )
          .argParser((value: string, previous: string[]) => [...previous, value])
          .default([] as string[], 'config "reference"'),
      )
      .option('--reference-unit <name>', 'unit of the published figures to compare with: Riket, a kommun or school name or code, or a comma-separated list (similar municipalities); several rows (e.g. a kommun\'s schools) are pooled (default: config "reference_unit", else Riket, else every unit in the file)')
      .option('--reference-provider <type>', 'Typ av huvudman of the published figures: Samtliga, Kommunal or Enskild (default: Samtliga where the file has it)')
      .option(
        '--shrink',
        'add empirical-Bayes estimates of each group\'s standardised gap (std_gap_shrunk) next to the raw ones. Caveat: shrinkage moves small schools toward the mean, so a small school\'s real difference is understated; use it to rank, never instead of the raw figures',
      ),
  ).action(async (files: string[], options: Record<string, unknown>) => {
    outcome.code = await runGap(files, options, io);
  });

  commonOptions(
    program
      .command('transition')
      .description('år 5 assessments (omdömen) against the same pupils\' år 6 national tests, per area and school')
      .argument('<files...>', 'exports (CSV), folders of them, or - for stdin')
      .option('--from <level>', 'grade level of the earlier assessment (default 5)')
      .option('--to <level>', 'grade level of the later result (default 6); linked to school year + (to − from)')
      .option('--from-kind <kind>', 'assessment, grade or test (default: assessment up to år 5, else grade)')
      .option('--to-kind <kind>', 'assessment, grade or test (default: test)')
      .addOption(new Option('--attribute-to <side>', 'count pupils under the school and area of the earlier (from) or later (to) result').choices(['from', 'to']))
      .option('--by <dims>', `group by, comma-separated: ${DIMENSIONS.filter((d) => d !== 'teacher').join(', ')} (default: area,school,subject)`)
      .option('--min-group <n>', 'groups with fewer linked pupils show no figures (default 10)')
      .option('--small-groups-only', 'internal use: hide only groups below --min-group, no complementary hiding (never for publication)')
      .option('--alpha <p>', 'significance level for the verdicts strict / generous (default 0.05)')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']))
      .option('--excel', 'CSV for Swedish Excel: semicolons, decimal commas, BOM (implies --format csv)')
      .option('--list-cases', 'list linked pupils whose pass/fail changed between the years (ids masked)')
      .option('--fail-on <conditions>', 'exit with code 3 when any group breaches a threshold, e.g. "verdict=strict" or "diff_pp<-0.1" (comma-separated)')
      .option('--compare-with <file>', 'show what changed against an earlier run: the JSON of an earlier "transition --format json" run')
      .option('--show-ids', 'with --list-cases: show the pupil ids (personal data: handle with care)'),
  ).action(async (files: string[], options: Record<string, unknown>) => {
    outcome.code = await runTransition(files, options, io);
  });

  commonOptions(
    program
      .command('trend')
      .description('gap and transition figures per school year for each group: change since last year and over the period, same-direction streaks')
      .argument('<files...>', 'exports (CSV) covering several school years, folders of them, or - for stdin')
      .option('--by <dims>', `one series per group of these (school_year is added): ${DIMENSIONS.filter((d) => d !== 'school_year').join(', ')} (default: grade_level,area,school,subject)`)
      .option('--min-group <n>', 'groups with fewer pupils in a year show no figures that year (default 10)')
      .option('--small-groups-only', 'internal use: hide only groups below --min-group, no complementary hiding (never for publication)')
      .option('--alpha <p>', 'significance level for the transition verdicts (default 0.05)')
      .option('--streak <n>', 'springs in a row in the same direction that make a pattern (default 3)')
      .option('--from <level>', 'transition: grade level of the earlier assessment (default 5)')
      .option('--to <level>', 'transition: grade level of the later result (default 6)')
      .option('--from-kind <kind>', 'transition: assessment, grade or test (default: assessment up to år 5, else grade)')
      .option('--to-kind <kind>', 'transition: assessment, grade or test (default: test)')
      .addOption(new Option('--attribute-to <side>', 'transition: count pupils under the earlier (from) or later (to) school').choices(['from', 'to']))
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']))
      .option('--excel', 'CSV for Swedish Excel: semicolons, decimal commas, BOM (implies --format csv)')
      .option('--fail-on <conditions>', 'exit with code 3 when a group breaches a threshold in the latest school year, e.g. "streak_relative>=3" (a school above or below the municipality three springs running)'),
  ).action(async (files: string[], options: Record<string, unknown>) => {
    outcome.code = await runTrend(files, options, io);
  });

  commonOptions(
    program
      .command('report')
      .description('gap, transition and trend in one report for the board: self-contained HTML (charts, tables, appendix) or Markdown, in Swedish')
      .argument('<files...>', 'exports (CSV), folders of them, or - for stdin')
      .addOption(new Option('--format <format>', 'html (one self-contained file) or md (tables for pasting into documents)').choices(['html', 'md']).default('html'))
      .option('--title <text>', 'the report\'s title (default "Betyg och nationella prov")')
      .option('--min-group <n>', 'groups with fewer pupils show no figures (default 10)')
      .option('--small-groups-only', 'internal use: hide only groups below --min-group, no complementary hiding (never for publication)')
      .option('--alpha <p>', 'significance level (default 0.05)')
      .option('--streak <n>', 'springs in a row in the same direction that make a pattern (default 3)')
      .option('--from <level>', 'transition: grade level of the earlier assessment (default 5)')
      .option('--to <level>', 'transition: grade level of the later result (default 6)')
      .option('--from-kind <kind>', 'transition: assessment, grade or test')
      .option('--to-kind <kind>', 'transition: assessment, grade or test')
      .addOption(new Option('--attribute-to <side>', 'transition: count pupils under the earlier (from) or later (to) school').choices(['from', 'to']))
      .addOption(
        new Option('--reference <file>', 'published figures to show beside yours (Skolverket\'s statistics export or the simple layout), or an earlier gap JSON as the grading standard; repeatable')
          .argParser((file: string, files: string[] = []) => [...files, file])
          .default([] as string[], 'config "reference"'),
      )
      .option('--reference-unit <name>', 'unit of the published figures: Riket, a kommun or school name or code, or a comma-separated list (default: config "reference_unit", else Riket, else every unit in the file)')
      .option('--reference-provider <type>', 'Typ av huvudman of the published figures: Samtliga, Kommunal or Enskild'),
    // The report is written in Swedish only: --lang is not offered.
    { lang: false },
  ).action(async (files: string[], options: Record<string, unknown>) => {
    outcome.code = await runReport(files, options, io);
  });

  program
    .command('init')
    .description('write a commented config file (ska.config.json) from what the exports hold: columns, areas, scale')
    .argument('<files...>', 'exports (CSV), folders of them, or - for stdin')
    .option('-o, --output <file>', 'where to write the config file (never onto an input), - for stdout', 'ska.config.json')
    .option('--force', 'overwrite the output file if it exists')
    .option('--areas <file>', 'CSV mapping school → area (columns Skola;Skolområde), merged into "areas"')
    .option('--encoding <name>', 'force the input encoding: utf-8, windows-1252, latin1, utf-16le (default: detected)')
    .option('--reference <file>', 'reference file for gap --reference (Skolverket statistics or an earlier gap JSON); repeatable', (file: string, files: string[] = []) => [...files, file])
    .option('--reference-unit <name>', 'unit in the reference file to compare with: Riket, a kommun name or code')
    .option('--min-group <n>', 'min_group to write (default 10)')
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (files: string[], options: Record<string, unknown>) => {
      outcome.code = await runInit(files, options, io);
    });

  commonOptions(
    program
      .command('inspect')
      .description('what the tool sees in each export: encoding, delimiter, columns, values, problems')
      .argument('<files...>', 'exports (CSV), folders of them, or - for stdin')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']))
      .option('--raw-values', 'show rejected values as they are, names and ids included (personal data: handle with care)'),
  ).action(async (files: string[], options: Record<string, unknown>) => {
    outcome.code = await runInspect(files, options, io);
  });
  return program;
}

/**
 * Run the program with these arguments (without node and the script: `process.argv.slice(2)`)
 * and resolve to the exit code. The one place that maps errors to messages and codes; it never
 * exits the process, so tests call it in-process with their own streams.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const fail = (message: string, code: number): number => {
    io.stderr.write(`ska-analyze: ${message}\n`);
    return code;
  };
  const outcome: Outcome = { code: 0 };
  const program = buildProgram(io, outcome);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome.code;
  } catch (error) {
    if (error instanceof ClosedPipe) return 0;
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage mistakes 2 (commander has already printed the message).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof InputError || error instanceof UsageError || error instanceof NoFiguresError) return fail(error.message, error.exitCode);
    const message = error instanceof Error ? error.message : String(error);
    if (io.env.SKA_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return fail(`internal error: ${message} (this is a bug; run with SKA_DEBUG=1 for details and please report it)`, 1);
  }
}
