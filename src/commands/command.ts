/**
 * What a command is: its name and help, the options it declares (with commander) and parses (with
 * zod, into its own typed options), and what it runs. `cli.ts` only registers these. Help texts
 * are given in Swedish and English; `declare` gets `t`, which picks the run's language.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Message, Translate } from '../messages.js';

export interface CommandDef<Options> {
  name: string;
  description: Message;
  /** The positional argument: its name (`<filer...>`, `<files...>`) and help. */
  argument: readonly [Message, Message];
  /** Declare the flags on the commander command, with their help in the run's language. */
  declare(command: Command, t: Translate): Command;
  /** commander's raw option values → typed options; a bad value is a UsageError (exit 2). */
  parse(raw: Record<string, unknown>): Options;
  /** Run, and resolve to the exit code. */
  run(files: string[], options: Options, io: Io): Promise<number>;
}

/** A command definition with its option type inferred. */
export function defineCommand<Options>(def: CommandDef<Options>): CommandDef<Options> {
  return def;
}

/** --show-ids (gap, transition). */
export const SHOW_IDS_HELP: Message = {
  sv: 'med --list-cases: visa elevernas id (personuppgifter: hantera varsamt)',
  en: 'with --list-cases: show the pupil ids (personal data: handle with care)',
};

export const FILES_ARGUMENT: readonly [Message, Message] = [
  { sv: '<filer...>', en: '<files...>' },
  { sv: 'exporter (CSV eller Excel .xlsx), mappar med sådana, eller - för stdin', en: 'exports (CSV or Excel .xlsx), folders of them, or - for stdin' },
];
