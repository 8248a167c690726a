/**
 * The playground's command line: `playground` writes one page carrying the scenario as data and the simulator as a
 * worker (and no request in its policy beyond a blob: worker); the default scenario is the inflate walkthrough;
 * `run --playground` writes it beside the run and says where; bad input is one line and exit 2 with nothing written.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const OUT = resolve('test-output', 'playground-cli');
mkdirSync(OUT, { recursive: true });

/** The JSON of the page's data element. */
function pageData(html: string): { yaml: string; file: string; maxEvents: number } {
  const m = /<script type="application\/json" id="playground-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]);
}

describe('vpc-cni-sim playground', () => {
  it('writes one page with the scenario, the worker and a policy that allows only a blob: worker', async () => {
    const out = resolve(OUT, 'warm.html');
    const r = await runCli(['playground', 'scenarios/warm-pool-tradeoff.yaml', '-o', out, '--max-events', '20000']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Playground: ${out} (open it in a browser: edit scenarios/warm-pool-tradeoff.yaml, re-run, compare two runs)\n`);
    const html = readFileSync(out, 'utf8');
    expect(pageData(html)).toEqual({ yaml: readFileSync('scenarios/warm-pool-tradeoff.yaml', 'utf8'), file: 'scenarios/warm-pool-tradeoff.yaml', maxEvents: 20000 });
    expect(html).toContain('<script type="text/plain" id="core-worker">');
    expect(html).toMatch(/content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; worker-src blob:; style-src 'unsafe-inline'; img-src data:"/);
  }, 60_000);

  it('opens on the inflate walkthrough by default', async () => {
    const out = resolve(OUT, 'default.html');
    expect((await runCli(['playground', '-o', out])).code).toBe(0);
    const data = pageData(readFileSync(out, 'utf8'));
    expect(data.file).toMatch(/scenarios\/inflate-exhaustion\.yaml$/);
    expect(data.yaml).toBe(readFileSync('scenarios/inflate-exhaustion.yaml', 'utf8'));
    expect(data.maxEvents).toBe(10_000_000);
  }, 60_000);

  it('is written beside a run by run --playground, with --seed applied', async () => {
    const out = resolve(OUT, 'beside.html');
    const r = await runCli(['run', 'scenarios/inflate-ipv6.yaml', '--seed', '7', '--playground', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Playground: ${out} (edit this scenario's settings, re-run and compare, in a browser)`);
    expect(pageData(readFileSync(out, 'utf8')).yaml).toMatch(/^seed: 7$/m);
  }, 60_000);

  it('refuses bad input in one line, exit 2, writing nothing', async () => {
    const out = resolve(OUT, 'never.html');
    rmSync(out, { force: true });
    const cases: [string[], RegExp][] = [
      [['playground', 'no-such.yaml', '-o', out], /^vpc-cni-sim playground: no-such\.yaml: no such file\n$/],
      [['playground', 'test/hostile/cases/duplicate-key.yaml', '-o', out], /^vpc-cni-sim playground: test\/hostile\/cases\/duplicate-key\.yaml:\d+:\d+: /],
      [['playground', 'scenarios/inflate-exhaustion.yaml', '-o', out, '--max-events', '0'], /^vpc-cni-sim playground: --max-events: /],
      [['run', 'scenarios/inflate-exhaustion.yaml', '--set', 'seed=2', '--playground', out], /^vpc-cni-sim run: --playground: writes the scenario file as it is/],
      [['run', '-', '--playground', out], /^vpc-cni-sim run: --playground: needs a scenario file, not stdin\n$/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
