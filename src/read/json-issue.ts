/**
 * The first problem zod found in a JSON file (an earlier run, a gap reference), as one message in
 * both languages: "rows.0.level: …" in zod's English and in its Swedish locale.
 */
import { z } from 'zod';
import { MESSAGES, type Message } from '../messages.js';

/** `schema` refused `json` (its first issue); null when zod gave no issue. */
export function firstIssue(schema: z.ZodType, json: unknown, issues: readonly z.core.$ZodIssue[]): Message | null {
  const issue = issues[0];
  if (issue === undefined) return null;
  const swedish = schema.safeParse(json, { error: z.locales.sv().localeError }).error?.issues[0]?.message ?? issue.message;
  return MESSAGES.jsonIssue(issue.path.map(String).join('.'), { sv: swedish, en: issue.message });
}
