/**
 * Colour is decided once, at the edge: only when writing to a terminal, never with NO_COLOR
 * (any value, https://no-color.org), forced with FORCE_COLOR. Renderers get a Painter and never
 * look at the environment themselves.
 */
import { Chalk } from 'chalk';

export interface Painter {
  bold(text: string): string;
  dim(text: string): string;
  /** Attention, e.g. grades higher than the tests. */
  warn(text: string): string;
  /** The other direction, e.g. grades lower than the tests. */
  info(text: string): string;
  error(text: string): string;
}

export function wantsColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const identity = (text: string): string => text;
const plainPainter: Painter = { bold: identity, dim: identity, warn: identity, info: identity, error: identity };

export function makePainter(color: boolean): Painter {
  if (!color) return plainPainter;
  const chalk = new Chalk({ level: 1 });
  return {
    bold: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
    // Orange-ish and blue read apart for the common colour-vision deficiencies.
    warn: (text) => chalk.yellow(text),
    info: (text) => chalk.cyan(text),
    error: (text) => chalk.red(text),
  };
}
