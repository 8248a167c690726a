/**
 * Hostile input in the HTML report, in a real headless Chromium: a scenario whose description, subnet tags, action
 * note and expectation description carry HTML and script payloads, and — for the names the loader refuses such text
 * in — pod, node and subnet names rewritten in the record before the page is written. Nothing executes (no marker
 * global, no console error, which a blocked inline script would also raise), nothing is requested, and the payloads
 * show as literal text. Also the escaping functions on their own.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordScenario, writeHtmlReport } from '../../src/cli/report-html.ts';
import { escapeHtml, scriptSafeJson } from '../../src/report/html/render.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { launchBrowser, openReport, type OpenedPage } from '../support/browser.ts';

// page-side code below runs in the browser (puppeteer evaluate); the Node typecheck has no DOM library
declare const window: any;

const OUT = resolve('test-output');
const FILE = resolve(OUT, 'hostile-names.html');
const POD_NAME = `<img src=x onerror="window.__pwned='pod'">web`;
const NODE_NAME = `</script><script>window.__pwned='node'</script>`;
const SUBNET_NAME = `<svg/onload=window.__pwned='subnet'>`;
let browser: Browser;
let opened: OpenedPage;
let description: string;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const scenario = loadScenario('test/report/data/hostile-names.yaml');
  description = scenario.description.trim();
  const { record } = recordScenario(scenario);
  const web = record.pods.findIndex((p) => p.name.startsWith('web-'));
  record.pods[web].name = POD_NAME;
  const oldNode = record.nodes[0].name;
  record.nodes[0].name = NODE_NAME;
  for (const c of record.changes.pods) if (c[4] === oldNode) c[4] = NODE_NAME;
  record.subnets[0].id = SUBNET_NAME;
  await writeHtmlReport(record, FILE);
  browser = await launchBrowser();
  opened = await openReport(browser, FILE, '#t=2m');
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('hostile names in the HTML report', () => {
  it('runs none of the payloads and requests nothing', async () => {
    const { page, consoleErrors, requests } = opened;
    // hover and click what a reader would, so event-handler payloads get their chance
    for (const sel of ['.subnet-seg', '.marker.action', '.pod-table tbody tr', '.expect']) {
      const el = await page.$(sel);
      expect(el, sel).not.toBeNull();
      await el!.hover();
    }
    await page.click('.pod-table tbody tr');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.$$eval('script', (s) => s.length)).toBe(2);
    expect(await page.$$eval('img, svg:not(.uplot svg), iframe', (s) => s.length)).toBe(0);
  });

  it('shows every payload as literal text', async () => {
    const { page } = opened;
    expect(await page.$eval('.description', (e) => e.textContent)).toBe(description);
    const rows = await page.$$eval('.pod-table tbody tr', (rs) => rs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.some((r) => r[0] === POD_NAME && r[3] === NODE_NAME)).toBe(true);
    expect(await page.$eval('.subnet-seg', (e) => e.getAttribute('title'))).toContain(`${SUBNET_NAME} 10.0.0.0/25`);
    expect(await page.$eval('.subnet-seg', (e) => e.getAttribute('title'))).toContain(`<b onmouseover=window.__pwned='tagkey'>k</b>=</script><script>window.__pwned='tag'</script>`);
    expect(await page.$eval('.marker.action', (e) => e.getAttribute('title'))).toContain('$ kubectl apply -f -');
    expect(await page.$eval('.expect', (e) => e.textContent)).toContain(`<script>window.__pwned='expect'</script>`);
    expect(await page.title()).toBe('hostile-names — vpc-cni-sim run report');
    await page.screenshot({ path: resolve(OUT, 'hostile-names.png') });
  });

  it('keeps the record out of markup: no raw < inside the JSON element', () => {
    const html = readFileSync(FILE, 'utf8');
    const json = /<script type="application\/json" id="run-record">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(json).not.toMatch(/[<>]/);
    expect(JSON.parse(json).pods.some((p: { name: string }) => p.name === POD_NAME)).toBe(true);
  });
});

describe('escaping', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
  it('writes JSON a script element cannot be closed by, and parses back to the same value', () => {
    const v = { s: '</script><!-- \u2028 & >' };
    const text = scriptSafeJson(v);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(v);
  });
});
