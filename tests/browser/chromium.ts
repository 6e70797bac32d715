/**
 * Real-browser test harness: opens HTML in Chromium through playwright-core, offline, with a fresh
 * profile, and records what went wrong on the page: console errors and warnings, uncaught page
 * errors, and every request to anything but file:, data:, blob: or about: (such requests are also
 * aborted, so a test never reaches the network).
 *
 * The browser comes from the npm registry: @sparticuz/chromium ships a Chromium inside the package
 * (pinned to 143.x, the last release whose engines include Node 20) and unpacks it to the temporary
 * folder on first use (a few seconds), so `npm install && npm test` needs no root and no system
 * package. CHROMIUM_PATH points the tests at another browser instead (e.g. /usr/bin/chromium).
 * A missing browser is a test failure, never a skip.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Flags for any Chromium here: no sandbox (no root for it), nothing that reaches the closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

const LOCAL_SCHEMES = new Set(['file:', 'data:', 'blob:', 'about:']);

interface ConsoleEntry {
  type: 'error' | 'warning';
  text: string;
}

interface PageReport {
  /** Console messages of type error or warning. */
  console: ConsoleEntry[];
  /** Uncaught exceptions on the page. */
  pageErrors: string[];
  /** URLs requested that are not file:, data:, blob: or about: (aborted). */
  requests: string[];
}

export interface OpenedPage {
  page: Page;
  /** What has been recorded so far (a snapshot). */
  report(): PageReport;
  /** Close the browser and delete the profile and temp files. Safe to call twice. */
  close(): Promise<void>;
}

interface Browser {
  executablePath: string;
  args: string[];
}

let found: Promise<Browser> | null = null;

/** The browser to launch: CHROMIUM_PATH if set, else the Chromium inside @sparticuz/chromium (unpacked once). */
function findChromium(): Promise<Browser> {
  found ??= (async () => {
    const custom = process.env.CHROMIUM_PATH;
    if (custom) {
      if (!existsSync(custom)) throw new Error(`CHROMIUM_PATH=${custom}: no such file`);
      return { executablePath: custom, args: ['--headless', ...CHROMIUM_ARGS] };
    }
    const { default: chromium } = await import('@sparticuz/chromium');
    return { executablePath: await chromium.executablePath(), args: [...chromium.args, ...CHROMIUM_ARGS] };
  })();
  return found;
}

function isLocal(url: string): boolean {
  try {
    return LOCAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Open a file (path or file: URL) in a fresh headless chromium. */
export async function openHtml(file: string | URL, options: { viewport?: { width: number; height: number } } = {}): Promise<OpenedPage> {
  const browser = await findChromium();
  const profile = await mkdtemp(join(tmpdir(), 'ska-chromium-'));
  let context: BrowserContext | null = null;
  const report: PageReport = { console: [], pageErrors: [], requests: [] };
  const close = async () => {
    const open = context;
    context = null;
    if (open) await open.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.executablePath,
      headless: true,
      args: browser.args,
      offline: true,
      viewport: options.viewport ?? { width: 1000, height: 800 },
      locale: 'sv-SE',
      timeout: 20_000,
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      return isLocal(url) ? route.continue() : route.abort('blockedbyclient');
    });
    context.on('request', (request) => {
      if (!isLocal(request.url())) report.requests.push(request.url());
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      const type = message.type();
      if (type === 'error' || type === 'warning') report.console.push({ type, text: message.text() });
    });
    page.on('pageerror', (error) => report.pageErrors.push(String(error)));
    const url = file instanceof URL ? file.href : file.startsWith('file:') ? file : pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    return {
      page,
      report: () => ({ console: [...report.console], pageErrors: [...report.pageErrors], requests: [...report.requests] }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Write `html` to a temp file and open it (a file: page, so relative and offline rules are realistic). */
export async function openHtmlString(html: string, options: { viewport?: { width: number; height: number } } = {}): Promise<OpenedPage> {
  const dir = await mkdtemp(join(tmpdir(), 'ska-page-'));
  const file = join(dir, 'index.html');
  await writeFile(file, html, 'utf8');
  try {
    const opened = await openHtml(file, options);
    return {
      ...opened,
      close: async () => {
        await opened.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Screenshot to test-results/screenshots/<name>.png (the whole page, or its top `maxHeight` pixels); returns the path. */
export async function saveScreenshot(page: Page, name: string, { maxHeight }: { maxHeight?: number } = {}): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9_-]/g, '-')}.png`);
  if (maxHeight === undefined) await page.screenshot({ path, fullPage: true });
  else {
    const size = page.viewportSize() ?? { width: 1000, height: 800 };
    const height = await page.evaluate('document.documentElement.scrollHeight');
    const width = size.width;
    await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(Number(height), maxHeight) } });
  }
  return path;
}
