/**
 * Headless Chromium for the report: Debian's `chromium` package (never a browser downloaded by a
 * package), driven over the DevTools protocol by playwright-core.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/** Where Debian and Ubuntu put it; `CHROMIUM_PATH` wins. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const INSTALL_HINT = 'apt-get install -y chromium';

export function findChromium(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return fs.existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return CANDIDATES.find((file) => fs.existsSync(file));
}

/** The flags a sandboxless CI container needs, and no background traffic of the browser's own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium (a fresh profile in a temporary folder, removed on close). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

export interface OpenedReport {
  page: Page;
  /** Every request the page made besides loading the file itself (a self-contained page makes none). */
  requests: string[];
}

/** Opens an HTML file in a new page at a given viewport, recording any request beyond the file. */
export async function openReport(
  browser: Browser,
  htmlFile: string,
  viewport = { width: 1280, height: 900 },
): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const url = pathToFileURL(htmlFile).href;
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests };
}

/** A PNG of the report's map and first trace, what the README shows. */
export async function screenshotReport(htmlFile: string, pngFile: string, executablePath: string): Promise<void> {
  const browser = await launchChromium(executablePath);
  try {
    const { page } = await openReport(browser, htmlFile, { width: 1100, height: 1060 });
    await page.screenshot({ path: pngFile, fullPage: false });
  } finally {
    await browser.close();
  }
}
