/**
 * Size and speed of the HTML run report (`npm run bench:report`): for each scenario, the time to run it with the
 * recorder attached, the record's size by part, the page's size, and in headless Chromium the time from navigation to
 * a drawn page and the median time of a slider move redrawn (the seek plus the next frame), at 1280×720.
 * Targets (issue 20, 2-core machine): throttled-scale-up.yaml ≤ 5 MB and interactive within 1 s.
 *
 * Usage: npm run bench:report [-- scenario.yaml …]   (default: the flagship and throttled-scale-up)
 */
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { recordScenario, writeHtmlReport } from '../src/cli/report-html.ts';
import { collectResult } from '../src/report/collect.ts';
import { loadScenario } from '../src/cli/scenario-file.ts';
import { launchBrowser, openReport } from '../test/support/browser.ts';

// page-side code below runs in the browser (puppeteer evaluate); the Node typecheck has no DOM library
declare const document: any;
declare const requestAnimationFrame: (f: () => void) => number;
type HTMLInputElement = { value: string; max: string; dispatchEvent(e: unknown): boolean };

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['scenarios/inflate-exhaustion.yaml', 'scenarios/throttled-scale-up.yaml'];
const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;
mkdirSync('test-output', { recursive: true });
const browser = await launchBrowser();
try {
  for (const file of files) {
    const s = loadScenario(file);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const { run, record } = recordScenario(s);
    const result = collectResult(run);
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    const out = resolve('test-output', `${s.name}.html`);
    await writeHtmlReport(record, out);
    const parts = Object.entries(record)
      .map(([k, v]) => [k, JSON.stringify(v).length] as const)
      .filter(([, n]) => n > 20_000)
      .sort((a, b) => b[1] - a[1]);
    const changes = Object.entries(record.changes).map(([k, v]) => `${k} ${v.length}`).join(', ');
    console.log(`\n${file}: ${result.pods.length} pods, ${result.nodes.length} nodes, ${result.metrics.simulatedEvents} events`);
    console.log(`  recorded run: ${(wall / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
    console.log(`  page: ${mb(statSync(out).size)}; record parts: ${parts.map(([k, n]) => `${k} ${mb(n)}`).join(', ')}`);
    console.log(`  changes: ${changes}; describes ${record.describes.length}${record.describesStopped !== undefined ? ` (bounded: none after ${record.describesStopped} ms)` : ''}`);
    const t0 = performance.now();
    const { page, consoleErrors } = await openReport(browser, out);
    const ready = performance.now() - t0;
    const inPage = await page.evaluate(() => performance.now());
    const moves: number[] = [];
    for (const f of [0.2, 0.4, 0.5, 0.7, 0.9]) {
      moves.push(
        await page.evaluate(async (frac) => {
          const slider = document.querySelector('input[type=range]') as HTMLInputElement;
          const start = performance.now();
          slider.value = String(Math.round(Number(slider.max) * frac));
          slider.dispatchEvent(new Event('input'));
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          return performance.now() - start;
        }, f),
      );
    }
    moves.sort((a, b) => a - b);
    console.log(`  browser: drawn ${ready.toFixed(0)} ms after navigation (page clock ${inPage.toFixed(0)} ms); slider move redrawn: median ${moves[2].toFixed(0)} ms, max ${moves[4].toFixed(0)} ms${consoleErrors.length > 0 ? `; console errors: ${consoleErrors.join(' | ')}` : ''}`);
    await page.close();
  }
} finally {
  await browser.close();
}
