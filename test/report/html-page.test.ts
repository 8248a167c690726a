/**
 * The flagship's HTML report in a real headless Chromium (test/support/browser.ts): it draws itself with no console
 * error and no request; at 4m30s 25 inflate pods are ContainerCreating and one of them says "subnet empty"; at 10m all
 * 50 run, the rescued ones on 10.1.x.x; the pod list matches the record's fold; ←/→ and the URL hash move the clock.
 * Screenshots go to test-output/ (git-ignored) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordScenario, writeHtmlReport } from '../../src/cli/report-html.ts';
import { stateAt } from '../../src/report/record/fold.ts';
import type { RunRecord } from '../../src/report/record/types.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { BROWSER_HINT, launchBrowser, openReport, type OpenedPage } from '../support/browser.ts';

// page-side code below runs in the browser (puppeteer evaluate); the Node typecheck has no DOM library
declare const document: any;
declare const location: any;
type HTMLInputElement = { value: string; max: string; dispatchEvent(e: unknown): boolean };

const OUT = resolve('test-output');
const FILE = resolve(OUT, 'inflate-exhaustion.html');
let browser: Browser;
let record: RunRecord;
let opened: OpenedPage;

/** Goes to a time through the URL hash, as a shared link would. */
async function seek(page: Page, hash: string): Promise<number> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForFunction((h) => document.querySelector('.clock')?.textContent?.startsWith(`t = ${h.slice(3)} `), {}, hash);
  return Number(await page.evaluate(() => document.body.dataset.t));
}

async function setFilters(page: Page, phase: string, label: string): Promise<void> {
  await page.select('select[aria-label="phase"]', phase);
  await page.$eval('input[aria-label="label selector"]', (el, v) => {
    (el as HTMLInputElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, label);
}

async function podRows(page: Page): Promise<string[][]> {
  return page.$$eval('.pod-table tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  record = recordScenario(loadScenario('scenarios/inflate-exhaustion.yaml')).record;
  await writeHtmlReport(record, FILE);
  browser = await launchBrowser();
  opened = await openReport(browser, FILE);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('the flagship report in a browser', () => {
  it('draws itself with no console error and no request', async () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(await opened.page.$$eval('section.panel h2', (hs) => hs.map((x) => x.textContent))).toEqual(['Subnets', 'Nodes: ENI address slots', 'Pods', 'ipamd and EC2', 'Expectations']);
  });

  it('at 4m30s shows 25 inflate pods ContainerCreating, and one of them is stuck because its subnet is empty', async () => {
    const { page } = opened;
    expect(await seek(page, '#t=4m30s')).toBe(270_000);
    await setFilters(page, 'ContainerCreating', 'app=inflate');
    const rows = await podRows(page);
    expect(rows.length).toBe(25);
    expect(rows.every((r) => r[1] === 'ContainerCreating' && r[4] === 'subnet empty')).toBe(true);
    await page.click('.pod-table tbody tr');
    const text = await page.$eval('.describe pre', (el) => el.textContent ?? '');
    expect(text).toMatch(new RegExp(`^Name:\\s+${rows[0][0]}$`, 'm'));
    expect(text).toContain('Why it is not Running:');
    expect(text).toContain('cause: subnet empty');
    await page.screenshot({ path: resolve(OUT, 'inflate-4m30s.png') });
  });

  it('at 10m shows all 50 inflate pods Running, the rescued ones with 10.1.x.x addresses', async () => {
    const { page } = opened;
    expect(await seek(page, '#t=10m')).toBe(600_000);
    await setFilters(page, 'Running', 'app=inflate');
    const rows = await podRows(page);
    expect(rows.length).toBe(50);
    const rescued = rows.filter((r) => r[2].startsWith('10.1.'));
    expect(rescued.length).toBeGreaterThanOrEqual(25);
    expect(rows.every((r) => /^10\.[01]\.\d+\.\d+$/.test(r[2]))).toBe(true);
    // the pod picked at 4m30s now runs: its pane shows it Running, not the chain of why it was waiting
    const text = await page.$eval('.describe pre', (el) => el.textContent ?? '');
    expect(text).toMatch(/^Status:\s+Running$/m);
    expect(text).not.toContain('Why it is not Running:');
    await page.screenshot({ path: resolve(OUT, 'inflate-10m.png') });
  });

  it('shows what the record folds to: pods per phase and ENI slots at several times', async () => {
    const { page } = opened;
    await setFilters(page, '', '');
    for (const [hash, t] of [['#t=2m5s', 125_000], ['#t=5m', 300_000], ['#t=6m30s', 390_000]] as const) {
      await seek(page, hash);
      const s = stateAt(record, t);
      const want = [...s.pods.values()].filter((p) => record.pods[p.pod].namespace !== 'kube-system').map((p) => `${record.pods[p.pod].name} ${p.phase} ${p.ip ?? ''}`).sort();
      expect((await podRows(page)).map((r) => `${r[0]} ${r[1]} ${r[2]}`).sort()).toEqual(want);
      let assigned = 0;
      for (const m of s.slots.values()) for (const slot of m.values()) if (slot.pod >= 0) assigned++;
      expect(await page.$$eval('.slot.assigned', (els) => els.filter((e) => !e.closest('.legend')).length)).toBe(assigned);
    }
  });

  it('steps with the keyboard and keeps the time in the URL', async () => {
    const { page } = opened;
    await seek(page, '#t=4m30s');
    const pressed = async (key: 'ArrowLeft' | 'ArrowRight', from: number): Promise<number> => {
      await page.keyboard.press(key);
      await page.waitForFunction((t: number) => document.body.dataset.t !== String(t), {}, from);
      return Number(await page.evaluate(() => document.body.dataset.t));
    };
    const next = await pressed('ArrowRight', 270_000);
    expect(next).toBeGreaterThan(270_000);
    expect(next).toBeLessThan(310_000);
    expect(await pressed('ArrowLeft', next)).toBeLessThan(next);
    expect(await page.evaluate(() => location.hash)).toMatch(/^#t=\d+m\d+s/);
    // a link opens at its instant
    const again = await openReport(browser, FILE, '#t=7m');
    expect(await again.page.evaluate(() => document.body.dataset.t)).toBe('420000');
    await again.page.close();
  });
});

describe('without a browser', () => {
  it('fails with a one-line hint, not a skip', async () => {
    const before = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = resolve('test-output/no-such-chromium');
    try {
      const err = await launchBrowser().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message.startsWith(BROWSER_HINT)).toBe(true);
      expect(err?.message.includes('\n')).toBe(false);
    } finally {
      if (before === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = before;
    }
  });
});
