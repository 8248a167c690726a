/**
 * Size and speed of the HTML run report (`npm run bench:report`): for each case, the time to run it with the recorder
 * attached, the record's size by part, the page's size, and in headless Chromium the time from navigation to a drawn
 * page and the median time of a slider move redrawn (the seek plus the next frame), at 1280×720.
 * A case is a scenario file, or `churn:N`: the scale benchmark's churn workload (bench/scale-cases.ts: N m5.xlarge
 * nodes, 20 pods a node with exponential lifetimes, one hour after the warm-up) run by the benchmark's job runner with
 * the recorder attached.
 * Targets (issue 20, 2-core machine): throttled-scale-up.yaml ≤ 5 MB and interactive within 1 s; churn:1000 ≤ 25 MB.
 *
 * Usage: npm run bench:report [-- scenario.yaml | churn:N …]   (default: the flagship, throttled-scale-up, churn:1000)
 */
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runJobSync } from '../src/bench/run-job.ts';
import { recordScenario, writeHtmlReport } from '../src/cli/report-html.ts';
import { collectResult } from '../src/report/collect.ts';
import { RunRecorder } from '../src/report/record/recorder.ts';
import type { RunRecord } from '../src/report/record/types.ts';
import { loadScenario } from '../src/cli/scenario-file.ts';
import { launchBrowser, openReport } from '../test/support/browser.ts';
import { parseCase, scaleWorkload } from './scale-cases.ts';

/** A case recorded: the record, what it ran, and what it cost. */
interface Recorded {
  name: string;
  record: RunRecord;
  summary: string;
}

/** A shipped scenario, as `run --report` records it. */
function recordFile(file: string): Recorded {
  const s = loadScenario(file);
  const { run, record } = recordScenario(s);
  const result = collectResult(run);
  return { name: s.name, record, summary: `${file}: ${result.pods.length} pods, ${result.nodes.length} nodes, ${result.metrics.simulatedEvents} events` };
}

/** A scale-benchmark churn case, the job runner's run recorded whole (warm-up included). */
function recordChurn(text: string): Recorded {
  const { kind, nodes } = parseCase(text);
  const w = scaleWorkload(kind, nodes);
  let recorder: RunRecorder | undefined;
  const r = runJobSync({ workload: w, policy: { name: 'warm-eni-1', env: { WARM_ENI_TARGET: '1' } }, seed: 1 }, undefined, undefined, (world) => {
    recorder = new RunRecorder(world, { name: w.name.replace(':', '-'), file: '(scale benchmark)', description: `${text}: ${nodes} nodes, churn for one hour after the warm-up`, seed: 1, duration: w.duration, cluster: { ipFamily: w.world.cluster.ipFamily ?? 'ipv4' } });
  });
  const record = recorder!.finish([], []);
  return { name: w.name.replace(':', '-'), record, summary: `${text}: ${record.pods.length} pods created, ${record.nodes.length} nodes, ${r.events} events, ${(r.simMs / 60_000).toFixed(0)} simulated minutes` };
}

// page-side code below runs in the browser (puppeteer evaluate); the Node typecheck has no DOM library
declare const document: any;
declare const requestAnimationFrame: (f: () => void) => number;
type HTMLInputElement = { value: string; max: string; dispatchEvent(e: unknown): boolean };

const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['scenarios/inflate-exhaustion.yaml', 'scenarios/throttled-scale-up.yaml', 'churn:1000'];
const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;
mkdirSync('test-output', { recursive: true });
const browser = await launchBrowser();
try {
  for (const file of files) {
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const { name, record, summary } = /^churn:\d+$/.test(file) ? recordChurn(file) : recordFile(file);
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    const heap = process.memoryUsage().heapUsed;
    const out = resolve('test-output', `${name}.html`);
    const w0 = performance.now();
    await writeHtmlReport(record, out);
    const written = performance.now() - w0;
    const parts = Object.entries(record)
      .map(([k, v]) => [k, JSON.stringify(v).length] as const)
      .filter(([, n]) => n > 20_000)
      .sort((a, b) => b[1] - a[1]);
    const changes = Object.entries(record.changes).map(([k, v]) => `${k} ${v.length}`).join(', ');
    console.log(`\n${summary}`);
    console.log(`  recorded run: ${(wall / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, heap ${(heap / 2 ** 20).toFixed(0)} MiB after; page written in ${(written / 1000).toFixed(1)} s`);
    console.log(`  page: ${mb(statSync(out).size)}; record parts: ${parts.map(([k, n]) => `${k} ${mb(n)}`).join(', ')}`);
    console.log(`  changes: ${changes}; describes ${record.describes.length}${record.describesStopped !== undefined ? ` (bounded: none after ${record.describesStopped} ms)` : ''}`);
    if (record.detailStopped !== undefined) console.log(`  bounded: pods, slots and timeline lines recorded up to ${record.detailStopped} ms of ${record.end} ms`);
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
