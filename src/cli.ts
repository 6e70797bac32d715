/**
 * Registers the commands; the one place that turns errors into messages and exit codes.
 */
import { Command, CommanderError } from 'commander';
import type { CommandDef } from './commands/command.js';
import { gapCommand } from './commands/gap.js';
import { initCommand } from './commands/init.js';
import { inspectCommand } from './commands/inspect.js';
import { reportCommand } from './commands/report.js';
import { transitionCommand } from './commands/transition.js';
import { trendCommand } from './commands/trend.js';
import { InputError, NoFiguresError, UsageError } from './errors.js';
import { MESSAGES, say, type MessageLang } from './messages.js';
import { ClosedPipe, type Io } from './io.js';
import { TOOL_VERSION } from './meta.js';
import { visible } from './normalise/text.js';

/** Set by a command's action: the exit code it resolved to. */
interface Outcome {
  code: number;
}

/** Register one command: declare its options, and on use parse them into its typed options and run it. */
function register<Options>(program: Command, def: CommandDef<Options>, io: Io, outcome: Outcome): void {
  const command = program.command(def.name).description(def.description).argument(def.argument[0], def.argument[1]);
  def.declare(command).action(async (files: string[], raw: Record<string, unknown>) => {
    outcome.code = await def.run(files, def.parse(raw), io);
  });
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
  // In the order --help lists them.
  register(program, gapCommand, io, outcome);
  register(program, transitionCommand, io, outcome);
  register(program, trendCommand, io, outcome);
  register(program, reportCommand, io, outcome);
  register(program, initCommand, io, outcome);
  register(program, inspectCommand, io, outcome);
  return program;
}

/**
 * Run the program with these arguments (without node and the script: `process.argv.slice(2)`)
 * and resolve to the exit code. The one place that maps errors to messages and codes; it never
 * exits the process, so tests call it in-process with their own streams.
 */
/**
 * The run's language for messages, before commander has parsed anything: `--lang en` (or
 * `--lang=en`) anywhere on the command line, else Swedish.
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

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const lang = languageOf(argv);
  const fail = (message: string, code: number): number => {
    // Messages name files and values as the user gave them: control characters are made visible.
    io.stderr.write(`ska-analyze: ${message.split('\n').map(visible).join('\n')}\n`);
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
    if (error instanceof InputError || error instanceof UsageError || error instanceof NoFiguresError) return fail(say(error.text, lang), error.exitCode);
    const message = error instanceof Error ? error.message : String(error);
    if (io.env.SKA_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return fail(say(MESSAGES.internalError(message), lang), 1);
  }
}
