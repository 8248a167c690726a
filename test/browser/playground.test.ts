/**
 * The playground in a real headless Chromium (test/support/browser.ts): on warm-pool-tradeoff.yaml the default run is
 * pinned as A, WARM_IP_TARGET=2 and MINIMUM_IP_TARGET=20 are set through the controls (which edit the YAML, comments
 * kept) and run B holds about half the addresses at its peak; the comparison shows both runs; the share link opens
 * the same scenario and gives the same run; a broken YAML shows the loader's error with its line and keeps the last
 * run; Stop ends a long run and the page answers meanwhile; the page's run equals the CLI's `run --format json`; and a
 * scenario carrying markup shows it as text. Screenshots go to test-output/ (git-ignored).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePlayground } from '../../src/cli/playground.ts';
import { runCli } from '../support/cli.ts';
import { launchBrowser, openReport, type OpenedPage } from '../support/browser.ts';

// page-side code below runs in the browser (puppeteer evaluate); the Node typecheck has no DOM library
declare const document: any;
declare const window: any;

const OUT = resolve('test-output');
let browser: Browser;

async function playground(scenario: string, name: string, maxEvents?: number): Promise<string> {
  const file = resolve(OUT, `${name}.html`);
  await writePlayground(readFileSync(scenario, 'utf8'), scenario, file, maxEvents);
  return file;
}

/** Waits until the page has finished `runs` runs and is idle. */
async function settled(page: Page, runs: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((n) => document.body.dataset.state !== 'running' && Number(document.body.dataset.runs ?? 0) >= n, { timeout }, runs);
}

async function setKnob(page: Page, id: string, value: string): Promise<void> {
  await page.$eval(`#knob-${id}`, (el, v) => {
    (el as { value: string }).value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/** Puts `yaml` in the editor and clicks Run. */
async function runYaml(page: Page, yaml: string): Promise<void> {
  await page.$eval('#scenario', (el, y) => (el.value = y), yaml);
  await page.click('#run');
}

/** The page still shows its first run, of `scenario`. */
async function keptFirstRun(page: Page, scenario: string): Promise<void> {
  expect(await page.evaluate(() => document.body.dataset.runs)).toBe('1');
  expect(await page.$eval('#report header h1 span', (el) => el.textContent)).toBe(scenario);
}

/** The comparison table as { figure: [A, B] }. */
async function compared(page: Page): Promise<Record<string, [string, string]>> {
  const rows: [string, string, string][] = await page.$$eval('.compare-table tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('.fig-a')!.textContent, tr.querySelector('.fig-b')!.textContent] as [string, string, string]));
  return Object.fromEntries(rows.map(([k, a, b]) => [k, [a, b]]));
}

/** The run's `--format json` text, as the page shows it once its box is opened. */
async function runJson(page: Page): Promise<string> {
  if (!(await page.$eval('#run-json-box', (el) => el.open))) await page.click('#run-json-box summary');
  await page.waitForFunction(() => document.getElementById('run-json').textContent !== '');
  return page.$eval('#run-json', (el) => el.textContent);
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('the playground on warm-pool-tradeoff.yaml', () => {
  let opened: OpenedPage;
  let shareLink = '';
  let bJson = '';

  beforeAll(async () => {
    opened = await openReport(browser, await playground('scenarios/warm-pool-tradeoff.yaml', 'playground-warm'));
    await settled(opened.page, 1);
  }, 90_000);

  it('runs the scenario in a worker with no console error and no request beyond its own worker', async () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.requests.filter((u) => !u.startsWith('blob:'))).toEqual([]);
    expect(await opened.page.$eval('#status', (el) => el.textContent)).toMatch(/^Run 1: 25m of virtual time, seed 1\./);
    // the report's own panels drew the run
    expect(await opened.page.$$eval('.pod-table tbody tr', (r) => r.length)).toBeGreaterThan(100);
  });

  it('pins the default run, runs WARM_IP_TARGET=2 / MINIMUM_IP_TARGET=20 and holds about half the addresses', async () => {
    const { page } = opened;
    await page.click('#pin');
    await setKnob(page, 'MINIMUM_IP_TARGET', '20');
    await setKnob(page, 'WARM_IP_TARGET', '2');
    await settled(page, 2);
    const yaml: string = await page.$eval('#scenario', (el) => el.value);
    expect(yaml).toMatch(/env:\n\s+MINIMUM_IP_TARGET: 20\n\s+WARM_IP_TARGET: 2\n/);
    const c = await compared(page);
    const [a, b] = c['addresses held by nodes, peak'].map(Number);
    expect(a).toBeGreaterThan(300);
    expect(b / a).toBeGreaterThan(0.4);
    expect(b / a).toBeLessThan(0.65);
    expect(await page.$eval('#compare', (el) => el.hidden)).toBe(false);
    expect(await page.$eval('#compare .note', (el) => el.textContent)).toContain('WARM_IP_TARGET: default → 2');
    // both runs' subnets on one chart: A solid, B dashed
    const legend: string[] = await page.$$eval('#compare .u-legend .u-label', (els) => els.map((e) => e.textContent));
    expect(legend).toEqual(expect.arrayContaining(['A subnet-private-a', 'B subnet-private-a', 'A subnet-private-b', 'B subnet-private-b']));
    await page.screenshot({ path: resolve(OUT, 'playground-compare.png'), fullPage: true });
    shareLink = await page.$eval('#share-link', (el) => el.value);
    bJson = await runJson(page);
  }, 120_000);

  it('opens the share link with the same scenario and gives the same run', async () => {
    expect(shareLink).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const other = await openReport(browser, shareLink.split('#')[0].slice('file://'.length), `#${shareLink.split('#')[1]}`);
    await settled(other.page, 1);
    expect(await other.page.$eval('#scenario', (el) => el.value)).toBe(await opened.page.$eval('#scenario', (el) => el.value));
    expect(await runJson(other.page)).toBe(bJson);
    await other.page.close();
  }, 120_000);

  it('shows a broken YAML\'s error with its line and keeps the last good run', async () => {
    const { page } = opened;
    const runs = Number(await page.evaluate(() => document.body.dataset.runs));
    await page.$eval('#scenario', (el) => {
      el.value = el.value.replace('nodeGroups:', 'nodeGroups:\n  - name: ng-2\n    instanceTyp: m5.large');
    });
    await page.click('#run');
    await page.waitForFunction(() => document.body.dataset.state === 'error');
    const error: string = await page.$eval('#yaml-error', (el) => el.textContent);
    expect(error).toMatch(/^scenarios\/warm-pool-tradeoff\.yaml:29:5: nodeGroups\[0\]\.instanceTyp: unknown key "instanceTyp" \(did you mean "instanceType"\?\) show line 29$/);
    await page.click('#yaml-error .go-to-line');
    expect(await page.$eval('#scenario', (el) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe('    instanceTyp: m5.large');
    expect(Number(await page.evaluate(() => document.body.dataset.runs))).toBe(runs);
    expect(await page.$$eval('.pod-table tbody tr', (r) => r.length)).toBeGreaterThan(100);
  }, 60_000);
});

describe('the playground on the inflate walkthrough', () => {
  it('gives the run the CLI gives: the same `run --format json`', async () => {
    const opened = await openReport(browser, await playground('scenarios/inflate-exhaustion.yaml', 'playground-inflate'));
    await settled(opened.page, 1);
    const cli = await runCli(['run', 'scenarios/inflate-exhaustion.yaml', '--format', 'json']);
    expect(cli.code).toBe(0);
    expect(await runJson(opened.page)).toBe(cli.stdout);
    await opened.page.screenshot({ path: resolve(OUT, 'playground-inflate.png') });
    await opened.page.close();
  }, 120_000);

  it('stops a long run on Stop, answering meanwhile, and keeps the last run', async () => {
    const opened = await openReport(browser, await playground('scenarios/inflate-exhaustion.yaml', 'playground-stop'));
    const { page } = opened;
    await settled(page, 1);
    // throttled-scale-up grown tenfold (1,000 nodes, 15,000 pods): far longer than the test takes to stop it
    const big = readFileSync('scenarios/throttled-scale-up.yaml', 'utf8').replace('maxSize: 100', 'maxSize: 1000').replace('nodes: 100\n', 'nodes: 1000\n').replace('replicas: 1500', 'replicas: 15000');
    await runYaml(page, big);
    await page.waitForFunction(() => /events/.test(document.getElementById('status').textContent));
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('running');
    // the page's own thread answers while the worker simulates: a timer fires about when it should
    const lateMs = await page.evaluate(() => new Promise<number>((done) => { const t0 = performance.now(); setTimeout(() => done(performance.now() - t0 - 50), 50); }));
    expect(lateMs).toBeLessThan(250);
    await page.click('#stop');
    await page.waitForFunction(() => document.body.dataset.state === 'stopped', { timeout: 2000 });
    await keptFirstRun(page, 'inflate-exhaustion');
    await page.close();
  }, 120_000);
});

describe('the playground with a bound on events', () => {
  it('stops a run past the bound with a message and keeps the last good run', async () => {
    // the inflate walkthrough takes about 1,400 events, warm-pool-tradeoff about 7,500
    const opened = await openReport(browser, await playground('scenarios/inflate-exhaustion.yaml', 'playground-bound', 5000));
    const { page } = opened;
    await settled(page, 1);
    await runYaml(page, readFileSync('scenarios/warm-pool-tradeoff.yaml', 'utf8'));
    await page.waitForFunction(() => document.body.dataset.state === 'too-large');
    expect(await page.$eval('#yaml-error', (el) => el.textContent)).toMatch(/^stopped: more than 5,000 events by \d+ s of virtual time — too large for a page; run it with the command line/);
    await keptFirstRun(page, 'inflate-exhaustion');
    await page.close();
  }, 120_000);
});

describe('the playground with markup in the scenario', () => {
  it('shows names, descriptions and errors as text and runs none of it', async () => {
    const opened = await openReport(browser, await playground('test/report/data/hostile-names.yaml', 'playground-hostile'));
    const { page } = opened;
    await settled(page, 1);
    const description: string = await page.$eval('#report header .description', (el) => el.textContent);
    expect(description).toContain('<');
    await page.$eval('#scenario', (el) => (el.value = el.value.replace('nodeGroups:', 'nodeGroups:\n  - name: ng-x\n    "<img src=x onerror=window.__pwned=1>": 1')));
    await page.click('#run');
    await page.waitForFunction(() => document.body.dataset.state === 'error');
    expect(await page.$eval('#yaml-error', (el) => el.textContent)).toContain('<img src=x onerror=window.__pwned=1>');
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(opened.consoleErrors).toEqual([]);
    await page.close();
  }, 120_000);
});
