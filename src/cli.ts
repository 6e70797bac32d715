/**
 * Registers the commands; the one place that turns errors into messages and exit codes. Help and
 * messages are in the run's language: `--lang en` anywhere on the command line gives English,
 * else Swedish (commander's own words included: its titles, defaults and errors).
 */
import { Command, CommanderError, type HelpConfiguration, type Option } from 'commander';
import type { CommandDef } from './commands/command.js';
import { gapCommand } from './commands/gap.js';
import { initCommand } from './commands/init.js';
import { inspectCommand } from './commands/inspect.js';
import { reportCommand } from './commands/report.js';
import { transitionCommand } from './commands/transition.js';
import { trendCommand } from './commands/trend.js';
import { InputError, NoFiguresError, UsageError } from './errors.js';
import { literal, MESSAGES, say, translator, type Message, type MessageLang, type Translate } from './messages.js';
import { ClosedPipe, type Io } from './io.js';
import { TOOL_VERSION } from './meta.js';
import { visible } from './normalise/text.js';

/** Set by a command's action: the exit code it resolved to. */
interface Outcome {
  code: number;
}

/** Register one command: declare its options, and on use parse them into its typed options and run it. */
function register<Options>(program: Command, def: CommandDef<Options>, io: Io, outcome: Outcome, t: Translate): void {
  const command = program.command(def.name).description(t(def.description)).argument(t(def.argument[0]), t(def.argument[1]));
  def.declare(command, t).action(async (files: string[], raw: Record<string, unknown>) => {
    outcome.code = await def.run(files, def.parse(raw), io);
  });
}

/** commander's words in its help (titles, usage, defaults and choices), in Swedish. */
const HELP_WORDS: Readonly<Record<string, string>> = {
  'Usage:': 'Användning:',
  'Options:': 'Flaggor:',
  'Arguments:': 'Argument:',
  'Commands:': 'Kommandon:',
  'Global Options:': 'Globala flaggor:',
  '[options]': '[flaggor]',
  '[command]': '[kommando]',
};

/** Help in the run's language: commander's titles and the "(choices: …, default: …)" after an option. */
function helpConfiguration(lang: MessageLang): HelpConfiguration {
  const word = (text: string): string => (lang === 'sv' ? (HELP_WORDS[text] ?? text) : text);
  const words = (text: string): string => text.split(' ').map(word).join(' ');
  const extra = { choices: lang === 'sv' ? 'värden' : 'choices', default: lang === 'sv' ? 'standard' : 'default' };
  return {
    styleTitle: word,
    styleUsage: words,
    styleSubcommandTerm: words,
    optionDescription(option: Option): string {
      const info: string[] = [];
      if (option.argChoices) info.push(`${extra.choices}: ${option.argChoices.map((choice) => JSON.stringify(choice)).join(', ')}`);
      // As commander shows defaults: for options that take a value, and booleans with a boolean default.
      const shown = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
      if (option.defaultValue !== undefined && shown) info.push(`${extra.default}: ${option.defaultValueDescription ?? JSON.stringify(option.defaultValue)}`);
      if (info.length === 0) return option.description;
      // A Swedish list of values has commas in it: "(värden: "sv", "en"; standard: "sv")".
      const joined = info.join(lang === 'sv' ? '; ' : ', ');
      return option.description ? `${option.description} (${joined})` : `(${joined})`;
    },
  };
}

export function buildProgram(io: Io, outcome: Outcome = { code: 0 }, lang: MessageLang = 'sv'): Command {
  const t = translator(lang);
  const program = new Command();
  program.configureOutput({
    writeOut: (text) => void io.stdout.write(text),
    writeErr: (text) => void io.stderr.write(text),
    // commander's errors are written by main(), in the run's language (commanderMessage).
    outputError: () => undefined,
  });
  // Before the commands are added: they inherit the help settings.
  program
    .name('ska-analyze')
    .description(t({ sv: 'Systematiskt kvalitetsarbete: lärarnas betyg mot nationella prov, ur skolornas exporter som de är.', en: 'Systematiskt kvalitetsarbete: teacher grades against national tests, from school exports as they are.' }))
    .version(TOOL_VERSION, '-V, --version', t({ sv: 'visa versionsnumret', en: 'output the version number' }))
    .helpOption('-h, --help', t({ sv: 'visa hjälpen för kommandot', en: 'display help for command' }))
    .helpCommand(t({ sv: 'help [kommando]', en: 'help [command]' }), t({ sv: 'visa hjälpen för ett kommando', en: 'display help for command' }))
    .configureHelp(helpConfiguration(lang))
    .exitOverride();
  // In the order --help lists them.
  register(program, gapCommand, io, outcome, t);
  register(program, transitionCommand, io, outcome, t);
  register(program, trendCommand, io, outcome, t);
  register(program, reportCommand, io, outcome, t);
  register(program, initCommand, io, outcome, t);
  register(program, inspectCommand, io, outcome, t);
  return program;
}

/** "(Did you mean --by?)" after commander's message: the suggestion, or null. */
function suggestionOf(rest: string): string | null {
  return /^\(Did you mean (?:one of )?(.*)\?\)$/s.exec(rest)?.[1] ?? null;
}

/**
 * A commander error in both languages, by its code, with its values parsed from commander's
 * English message; a message of a shape not known here is shown as commander wrote it.
 */
function commanderMessage(error: CommanderError): Message {
  const [first = '', ...more] = error.message.split('\n');
  const rest = more.join('\n');
  const match = (pattern: RegExp): string[] | null => {
    const found = pattern.exec(first);
    return found ? found.slice(1).map((group) => group ?? '') : null;
  };
  const c = MESSAGES.commander;
  let m: string[] | null = null;
  switch (error.code) {
    case 'commander.unknownOption':
      if ((m = match(/^error: unknown option '(.*)'$/))) return c.unknownOption(m[0] ?? '', suggestionOf(rest));
      break;
    case 'commander.unknownCommand':
      if ((m = match(/^error: unknown command '(.*)'$/))) return c.unknownCommand(m[0] ?? '', suggestionOf(rest));
      break;
    case 'commander.missingArgument':
      if ((m = match(/^error: missing required argument '(.*)'$/))) return c.missingArgument(m[0] ?? '');
      break;
    case 'commander.optionMissingArgument':
      if ((m = match(/^error: option '(.*)' argument missing$/))) return c.optionMissingArgument(m[0] ?? '');
      break;
    case 'commander.missingMandatoryOptionValue':
      if ((m = match(/^error: required option '(.*)' not specified$/))) return c.missingMandatoryOption(m[0] ?? '');
      break;
    case 'commander.invalidArgument':
      if ((m = match(/^error: option '(.*)' argument '(.*)' is invalid\.(?: Allowed choices are (.*)\.)?$/))) return c.invalidOptionValue(m[0] ?? '', m[1] ?? '', m[2] === '' ? null : (m[2] ?? null));
      break;
    case 'commander.excessArguments':
      if ((m = match(/^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/))) return c.excessArguments(m[0] === '' ? null : (m[0] ?? null), Number(m[1]), Number(m[2]));
      break;
    case 'commander.conflictingOption':
      if ((m = match(/^error: (.*) cannot be used with (.*)$/))) return c.conflictingOption(m[0] ?? '', m[1] ?? '');
      break;
  }
  return literal(error.message);
}

/**
 * The run's language for messages and help, before commander has parsed anything: `--lang en`
 * (or `--lang=en`) anywhere on the command line, else Swedish.
 */
export function languageOf(argv: readonly string[]): MessageLang {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    if (value === 'en') return 'en';
    if (value === 'sv') return 'sv';
  }
  return 'sv';
}

/**
 * Run the program with these arguments (without node and the script: `process.argv.slice(2)`)
 * and resolve to the exit code. The one place that maps errors to messages and codes; it never
 * exits the process, so tests call it in-process with their own streams.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const lang = languageOf(argv);
  const fail = (message: string, code: number): number => {
    // Messages name files and values as the user gave them: control characters are made visible.
    io.stderr.write(`ska-analyze: ${message.split('\n').map(visible).join('\n')}\n`);
    return code;
  };
  const outcome: Outcome = { code: 0 };
  const program = buildProgram(io, outcome, lang);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome.code;
  } catch (error) {
    if (error instanceof ClosedPipe) return 0;
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage mistakes 2. Help shown for a missing command has been written already.
      if (error.exitCode === 0) return 0;
      if (error.code !== 'commander.help') {
        const message = say(commanderMessage(error), lang);
        io.stderr.write(`${message.split('\n').map(visible).join('\n')}\n${say(MESSAGES.commander.helpHint(), lang)}\n`);
      }
      return 2;
    }
    if (error instanceof InputError || error instanceof UsageError || error instanceof NoFiguresError) return fail(say(error.text, lang), error.exitCode);
    const message = error instanceof Error ? error.message : String(error);
    if (io.env.SKA_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return fail(say(MESSAGES.internalError(message), lang), 1);
  }
}
