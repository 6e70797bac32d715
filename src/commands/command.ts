/**
 * What a command is: its name and help, the options it declares (with commander) and parses (with
 * zod, into its own typed options), and what it runs. `cli.ts` only registers these.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';

export interface CommandDef<Options> {
  name: string;
  description: string;
  /** The positional argument: name and help. */
  argument: readonly [string, string];
  /** Declare the flags on the commander command. */
  declare(command: Command): Command;
  /** commander's raw option values → typed options; a bad value is a UsageError (exit 2). */
  parse(raw: Record<string, unknown>): Options;
  /** Run, and resolve to the exit code. */
  run(files: string[], options: Options, io: Io): Promise<number>;
}

/** A command definition with its option type inferred. */
export function defineCommand<Options>(def: CommandDef<Options>): CommandDef<Options> {
  return def;
}

export const FILES_ARGUMENT = ['<files...>', 'exports (CSV), folders of them, or - for stdin'] as const;
