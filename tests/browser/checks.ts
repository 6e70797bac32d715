/**
 * Checks the browser tests share: what a report page must never contain (personnummer, pupil and
 * teacher names from the demo exports), and whether anything on a page is wider than its box.
 */
import { readFileSync } from 'node:fs';
import type { OpenedPage } from './chromium.js';

/** A personnummer in any spelling the exports use (12 or 10 digits, with or without - or +). */
export const PERSONNUMMER = /\b(?:19|20)?\d{6}[-+]?\d{4}\b/;

/** Pupil first and last names and teacher names from the demo's grade export (Windows-1252). */
export function demoNames(): { pupils: string[]; teachers: string[] } {
  const text = new TextDecoder('windows-1252').decode(readFileSync('fixtures/demo/exports/betyg_ak6_ak9.csv'), { stream: true });
  const [header = '', ...lines] = text.split(/\r?\n/);
  const cols = header.split(';');
  const first = cols.indexOf('Förnamn');
  const last = cols.indexOf('Efternamn');
  const teacher = cols.indexOf('Betygssättande lärare');
  const pupils = new Set<string>();
  const teachers = new Set<string>();
  for (const line of lines) {
    const cells = line.split(';');
    if (cells[first] && cells[last]) pupils.add(`${cells[first]} ${cells[last]}`);
    if (cells[teacher]) teachers.add(cells[teacher]!);
  }
  return { pupils: [...pupils], teachers: [...teachers] };
}

interface El {
  tagName: string;
  className: unknown;
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
  getBoundingClientRect(): { left: number; right: number };
  closest(selector: string): El | null;
}

interface Doc {
  documentElement: { scrollWidth: number; clientWidth: number };
}

/** Elements wider than their own box (content sticking out), and elements reaching past the page's right edge. */
export async function overflow(opened: OpenedPage): Promise<{ page: { scroll: number; client: number }; wide: string[] }> {
  const page = await opened.page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');
  const wide = await opened.page.$$eval('body *', (els: El[]) => {
    const edge = (globalThis as unknown as { document: Doc }).document.documentElement.clientWidth;
    return els
      .filter((el) => el.clientWidth > 0 || el.getBoundingClientRect().right > 0)
      .filter((el) => (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) || el.getBoundingClientRect().right > edge + 1)
      .filter((el) => el.tagName.toLowerCase() === 'svg' || el.closest('svg') === null)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className)}: ${el.scrollWidth} > ${el.clientWidth} (${(el.textContent ?? '').slice(0, 60)})`);
  });
  return { page: page as { scroll: number; client: number }, wide };
}
