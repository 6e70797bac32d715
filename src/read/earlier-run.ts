/**
 * `--compare-with FILE`: an earlier run's JSON report (`gap` or `transition`, `--format json`),
 * read back with its run manifest, so the comparison can say which exports changed.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError, describeFsError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { firstIssue } from './json-issue.js';

const earlierSchema = z
  .object({
    meta: z
      .object({
        command: z.string(),
        version: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
        files: z.array(z.object({ file: z.string(), sha256: z.string().optional() }).loose()).optional(),
      })
      .loose(),
    rows: z.array(z.record(z.string(), z.unknown())),
  })
  .loose();

export interface EarlierRun {
  file: string;
  sha256: string;
  command: string;
  version: string | null;
  parameters: Record<string, unknown>;
  files: { file: string; sha256: string | null }[];
  rows: Record<string, unknown>[];
}

export async function readEarlierRun(file: string, command: string): Promise<EarlierRun> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw describeFsError(error, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(MESSAGES.earlierNotJson(file, error instanceof Error ? error.message : String(error), command));
  }
  const parsed = earlierSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(MESSAGES.earlierShape(file, firstIssue(earlierSchema, json, parsed.error.issues) ?? MESSAGES.notAReport(), command));
  }
  const { meta, rows } = parsed.data;
  if (meta.command !== command) {
    throw new InputError(MESSAGES.earlierOtherCommand(file, meta.command, command));
  }
  return {
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    command: meta.command,
    version: meta.version ?? null,
    parameters: meta.parameters ?? {},
    files: (meta.files ?? []).map((f) => ({ file: f.file, sha256: f.sha256 ?? null })),
    rows,
  };
}

export type FileChange = 'unchanged' | 'changed' | 'new' | 'gone';

/** Which exports are the same bytes as last time (by SHA-256), changed (same name), new or gone. */
export function compareManifests(before: readonly { file: string; sha256: string | null }[], after: readonly { file: string; sha256: string }[]): { file: string; status: FileChange; was: string | null }[] {
  const out: { file: string; status: FileChange; was: string | null }[] = [];
  const used = new Set<number>();
  for (const now of after) {
    let index = before.findIndex((old, i) => !used.has(i) && old.sha256 === now.sha256);
    let status: FileChange = 'unchanged';
    if (index < 0) {
      index = before.findIndex((old, i) => !used.has(i) && basename(old.file) === basename(now.file));
      status = index < 0 ? 'new' : 'changed';
    }
    if (index >= 0) used.add(index);
    out.push({ file: now.file, status, was: index >= 0 ? (before[index]?.file ?? null) : null });
  }
  before.forEach((old, i) => {
    if (!used.has(i)) out.push({ file: old.file, status: 'gone', was: old.file });
  });
  return out;
}
