/**
 * Writing a report or config file so that no data is ever destroyed:
 *
 * - the output may not be any file the command reads (an export, --areas, --config, --reference,
 *   --compare-with), whatever name, symlink or hard link leads to it: compared by device and
 *   inode, following symlinks;
 * - the text goes to a temporary file in the same folder (`.<name>.<pid>-<random>.tmp`), which is
 *   renamed over the output only when it is complete and on disk; a failed write (disk full,
 *   file-size limit, permission) removes the temporary file and leaves the old file as it was.
 *
 * A new file gets the usual permissions (0o666 less the umask); a replaced file keeps its mode.
 * An output that is a symlink is written through (the file it points to is replaced, the link
 * stays). An output that exists and is not a regular file (/dev/null, a named pipe) is written
 * to directly: there is nothing there to keep.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError, describeWriteError } from './errors.js';
import { MESSAGES } from './messages.js';

export interface WriteOutputOptions {
  /** Every file the command reads (as the user named them); the output must be none of them. */
  inputs: readonly string[];
  /** When given, an existing output is not replaced: this error is thrown instead (init without --force). */
  ifExists?: () => Error;
}

/** `-o -` (and no -o at all) mean stdout. */
export function isStdout(output: string | undefined): output is '-' | undefined {
  return output === undefined || output === '-';
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/** stat that says null for a path that does not exist; other problems are write problems of `shown`. */
async function statOrNull(path: string, shown: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw describeWriteError(error, shown);
  }
}

/**
 * Refuse an output that is one of the inputs (the same device and inode, so also through a
 * symlink or a hard link). An output that does not exist yet cannot be an input. Inputs that
 * cannot be stat'ed (stdin, a file gone since it was read) are skipped.
 */
export async function refuseInputAsOutput(output: string, outputInfo: Stats | null, inputs: readonly string[]): Promise<void> {
  if (outputInfo === null) return;
  for (const input of inputs) {
    if (input === '-' || input === '<stdin>') continue;
    let info: Stats;
    try {
      info = await stat(input);
    } catch {
      continue;
    }
    if (info.dev === outputInfo.dev && info.ino === outputInfo.ino) {
      throw new UsageError(MESSAGES.outputIsInput(output, input, input === output));
    }
  }
}

/** Pieces up to this many UTF-16 units are encoded into one buffer kept for the next (3 bytes a unit at most). */
const REUSED_PIECE = 1 << 22;

/**
 * Write every byte of the text, however the system splits the writes. Each piece of a report
 * (about 1 MB, see jsonPieces) is encoded into the same buffer, one pass and no new buffer per
 * piece; a longer piece gets a buffer of its own.
 */
async function writeAll(handle: FileHandle, text: string | Iterable<string>): Promise<void> {
  const pieces = typeof text === 'string' ? [text] : text;
  let reused: Buffer | null = null;
  for (const piece of pieces) {
    let bytes: Buffer;
    let length: number;
    if (piece.length <= REUSED_PIECE) {
      if (reused === null || reused.length < piece.length * 3) reused = Buffer.allocUnsafe(Math.max(piece.length * 3, 1 << 16));
      bytes = reused;
      length = reused.write(piece, 0, 'utf8');
    } else {
      bytes = Buffer.from(piece, 'utf8');
      length = bytes.length;
    }
    let offset = 0;
    while (offset < length) {
      const { bytesWritten } = await handle.write(bytes, offset, length - offset);
      offset += bytesWritten;
    }
  }
}

/** Where the temporary file goes: beside the output, hidden, unique to this process. */
function temporaryPath(target: string): string {
  const name = basename(target).slice(0, 100);
  return join(dirname(target), `.${name}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Write `text` to the file `output` (not `-`: the caller writes stdout) through a temporary
 * file and a rename. Errors are InputError "<output>: cannot be written (<reason>)" or a
 * UsageError when the output is an input.
 */
export async function writeOutput(output: string, text: string | Iterable<string>, options: WriteOutputOptions): Promise<void> {
  const existing = await statOrNull(output, output);
  await refuseInputAsOutput(output, existing, options.inputs);
  if (existing?.isDirectory()) throw describeWriteError({ code: 'EISDIR' }, output);
  if (existing && options.ifExists) throw options.ifExists();

  if (existing && !existing.isFile()) {
    // A device or a named pipe: nothing to keep, and it cannot be replaced by a rename.
    let handle: FileHandle | undefined;
    try {
      handle = await open(output, 'w');
      await writeAll(handle, text);
    } catch (error) {
      throw describeWriteError(error, output);
    } finally {
      await handle?.close().catch(() => undefined);
    }
    return;
  }

  // Through a symlink, replace the file it points to and keep the link.
  let target = output;
  if (existing) {
    try {
      target = await realpath(output);
    } catch (error) {
      throw describeWriteError(error, output);
    }
  }
  const temporary = temporaryPath(target);
  let handle: FileHandle | undefined;
  let created = false;
  let refused: Error | null = null;
  try {
    // Exclusive: never write into a file (or through a link) someone else put there.
    handle = await open(temporary, 'wx', existing ? 0o600 : 0o666);
    created = true;
    await writeAll(handle, text);
    if (existing) {
      // Keep the replaced file's permissions (best effort: some file systems have none).
      await handle.chmod(existing.mode & 0o7777).catch(() => undefined);
    }
    // On disk before the rename, so a crash leaves the old file or the new one, never half.
    await handle.sync();
    await handle.close();
    handle = undefined;
    // Made meanwhile? Still never replaced without --force.
    if (options.ifExists && (await lstat(target).then(() => true, () => false))) throw (refused = options.ifExists());
    await rename(temporary, target);
    created = false;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (created) await unlink(temporary).catch(() => undefined);
    if (error === refused) throw error;
    throw describeWriteError(error, output);
  }
}
