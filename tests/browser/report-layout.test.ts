/**
 * The board report is never wider than where it is read: on a phone (375 px) and printed on A4,
 * nothing sticks out of its box and the page does not scroll sideways, even when the exports lie
 * in a folder with a long name (the appendix shows every rejected row's file:line).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIn } from '../cli/run.js';
import { overflow } from './checks.js';
import { openHtml, saveScreenshot, type OpenedPage } from './chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'ska-layout-'));
// A folder name with no space to break at, as school systems' exports often have.
const exports = join(dir, 'Exporter_fran_skolplattformen_lasaren_2022-2025_Barn-och-utbildningsforvaltningen_Centrala_kansliet');
const file = join(dir, 'rapport.html');

describe('the report fits a phone and an A4 page (Chromium)', () => {
  let opened: OpenedPage;

  beforeAll(async () => {
    mkdirSync(exports);
    for (const name of readdirSync('fixtures/demo/exports')) cpSync(join('fixtures/demo/exports', name), join(exports, name));
    const made = await runIn(['report', exports, '--areas', 'fixtures/demo/skolomraden.csv', '--output', file, '--quiet']);
    expect(made.status).toBe(0);
    opened = await openHtml(file, { viewport: { width: 375, height: 800 } });
  }, 60_000);

  afterAll(async () => {
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the long file:line examples of the appendix in full', async () => {
    const examples = await opened.page.locator('#redovisning td').allTextContents();
    expect(examples.some((text) => text.includes(`${exports}/np_ak9.csv:5471`))).toBe(true);
  });

  it('at phone width (375 px): no sideways scrolling, nothing wider than its box', async () => {
    const { page, wide } = await overflow(opened);
    expect(wide).toEqual([]);
    expect(page.scroll).toBeLessThanOrEqual(page.client);
    await saveScreenshot(opened.page, 'report-375', { maxHeight: 4000 });
  });

  it('printed on A4 (print styles, the width of the page inside its margins): nothing wider than its box', async () => {
    // A4 is 210 mm; the report's @page margins are 14 mm a side: 182 mm = 688 CSS px.
    await opened.page.setViewportSize({ width: 688, height: 1000 });
    await opened.page.emulateMedia({ media: 'print' });
    try {
      const { page, wide } = await overflow(opened);
      expect(wide).toEqual([]);
      expect(page.scroll).toBeLessThanOrEqual(page.client);
    } finally {
      await opened.page.emulateMedia({ media: 'screen' });
      await opened.page.setViewportSize({ width: 375, height: 800 });
    }
  });
});
