/**
 * Typed errors. Only src/cli.ts turns them into messages and exit codes.
 *
 * Exit codes (documented in the README):
 *   0  the report was written
 *   1  an unexpected internal error (a bug: please report it)
 *   2  the input or the command line cannot be used: a missing or unreadable file, an empty
 *      file, a missing required column, an invalid config file or option, an output that
 *      would overwrite an input or cannot be written
 *   3  the report was written and a group breaches a `--fail-on` threshold
 *   4  the exports were read but give no figure at all (no grade–test pairs, no pupil linked
 *      between the years, nothing in --school-years): no report is written
 */
import { literal, MESSAGES, type Message } from './messages.js';

/** An error for the user: its text in both languages (messages.ts); `message` is the English one. */
abstract class UserError extends Error {
  abstract readonly exitCode: number;
  readonly text: Message;
  constructor(text: Message | string) {
    const message = typeof text === 'string' ? literal(text) : text;
    super(message.en);
    this.text = message;
  }
}

export class InputError extends UserError {
  readonly exitCode = 2;
  constructor(text: Message | string) {
    super(text);
    this.name = 'InputError';
  }
}

/** The run read its inputs but has no figure to show: a script must not archive an empty report. */
export class NoFiguresError extends UserError {
  readonly exitCode = 4;
  constructor(text: Message | string) {
    super(text);
    this.name = 'NoFiguresError';
  }
}

export class UsageError extends UserError {
  readonly exitCode = 2;
  constructor(text: Message | string) {
    super(text);
    this.name = 'UsageError';
  }
}

/** Node's file-system error codes as plain sentences. */
export function describeFsError(error: unknown, file: string): InputError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return new InputError(MESSAGES.noSuchFile(file));
    case 'EACCES':
    case 'EPERM':
      return new InputError(MESSAGES.permissionDenied(file));
    case 'EISDIR':
      return new InputError(MESSAGES.isDirectory(file));
    default:
      return new InputError(MESSAGES.cannotRead(file, error instanceof Error ? error.message : String(error)));
  }
}

/** A failed write as a plain sentence: "<file>: cannot be written (<reason>)". */
export function describeWriteError(error: unknown, file: string): InputError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const reason = MESSAGES.writeReason[code] ?? literal(error instanceof Error ? error.message : String(error));
  return new InputError(MESSAGES.cannotWrite(file, reason));
}
