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
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The run read its inputs but has no figure to show: a script must not archive an empty report. */
export class NoFiguresError extends Error {
  readonly exitCode = 4;
  constructor(message: string) {
    super(message);
    this.name = 'NoFiguresError';
  }
}

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Node's file-system error codes as plain sentences. */
export function describeFsError(error: unknown, file: string): InputError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return new InputError(`${file}: no such file`);
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${file}: permission denied`);
    case 'EISDIR':
      return new InputError(`${file}: is a directory`);
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return new InputError(`${file}: cannot be read (${message})`);
    }
  }
}

const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would exceed the file-size limit',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOENT: 'no such folder',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'is a directory',
  ENAMETOOLONG: 'the name is too long',
};

/** A failed write as a plain sentence: "<file>: cannot be written (<reason>)". */
export function describeWriteError(error: unknown, file: string): InputError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const reason = WRITE_REASONS[code] ?? (error instanceof Error ? error.message : String(error));
  return new InputError(`${file}: cannot be written (${reason})`);
}
