/**
 * A real headless Chromium for the HTML report's tests: puppeteer-core driving the Chromium that @sparticuz/chromium
 * ships inside its npm package, or the one named by CHROMIUM_PATH. When neither starts, one line says what to do —
 * the tests then fail; they never skip.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const BROWSER_HINT =
  'no headless Chromium: run `npm ci` (it installs @sparticuz/chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary';

export async function launchBrowser(): Promise<Browser> {
  try {
    const own = process.env.CHROMIUM_PATH;
    // a POSIX locale in the environment gives navigator.language "en-US@posix", which Intl refuses
    const env = { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' };
    if (own !== undefined && own !== '') return await puppeteer.launch({ executablePath: own, headless: true, args: ['--no-sandbox', '--lang=en-US'], env });
    const chromium = (await import('@sparticuz/chromium')).default;
    return await puppeteer.launch({ executablePath: await chromium.executablePath(), args: [...chromium.args, '--lang=en-US'], headless: true, env });
  } catch (err) {
    throw new Error(`${BROWSER_HINT} (${(err as Error).message.split('\n')[0]})`);
  }
}

export interface OpenedPage {
  page: Page;
  consoleErrors: string[];
  /** Every request other than the file itself. */
  requests: string[];
}

/** Opens a report file at 1280×720, recording console errors, page errors and requests. */
export async function openReport(browser: Browser, file: string, hash = ''): Promise<OpenedPage> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const url = `file://${file}${hash}`;
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => {
    if (r.url().split('#')[0] !== url.split('#')[0]) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  try {
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  } catch (err) {
    throw new Error(`the report did not draw itself: ${consoleErrors.join(' | ') || (err as Error).message}`);
  }
  return { page, consoleErrors, requests };
}
