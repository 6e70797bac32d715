/**
 * Input sources: files, directories (their .csv/.txt/.tsv files, sorted) and `-` for stdin.
 * Every problem with a path becomes a one-line InputError before any row is read.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, describeFsError } from '../errors.js';

export interface InputSource {
  /** As the user wrote it (or as found in a directory); used in every message. */
  name: string;
  /** Size in bytes when known (files), for progress. */
  size?: number;
  open(): AsyncIterable<Uint8Array>;
}

const TABLE_FILE = /\.(csv|txt|tsv)$/i;
const CHUNK_SIZE = 1 << 20;

function fileSource(path: string, size?: number): InputSource {
  return {
    name: path,
    ...(size === undefined ? {} : { size }),
    open: () => createReadStream(path, { highWaterMark: CHUNK_SIZE }),
  };
}

export function stdinSource(stream: AsyncIterable<Uint8Array>): InputSource {
  return { name: '<stdin>', open: () => stream };
}

/** Resolve the command line's inputs; all path errors are found before reading starts. */
export async function resolveInputs(paths: readonly string[], stdin: AsyncIterable<Uint8Array>): Promise<InputSource[]> {
  if (paths.length === 0) throw new InputError('no input files given (pass one or more CSV files, a folder, or - for stdin)');
  const sources: InputSource[] = [];
  let stdinUsed = false;
  for (const path of paths) {
    if (path === '-') {
      if (stdinUsed) throw new InputError('- (stdin) can be given only once');
      stdinUsed = true;
      sources.push(stdinSource(stdin));
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw describeFsError(error, path);
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((name) => TABLE_FILE.test(name)).sort();
      if (names.length === 0) throw new InputError(`${path}: folder holds no .csv, .tsv or .txt files`);
      for (const name of names) {
        const file = join(path, name);
        sources.push(fileSource(file, (await stat(file)).size));
      }
    } else {
      sources.push(fileSource(path, info.size));
    }
  }
  return sources;
}
