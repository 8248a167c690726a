/**
 * `vpc-cni-sim swarm` through the command line (in-process `main`): its help, its flags refused as one line with
 * exit 2, and a short run printing the lines `npm run swarm` always printed (header, summary, findings, throughput).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('vpc-cni-sim swarm', () => {
  it('--help describes the flags', async () => {
    const r = await runCli(['swarm', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: vpc-cni-sim swarm \[--seeds N\] \[--from S\] \[--dir DIR\]\n/);
    for (const flag of ['--seeds N', '--from S', '--dir DIR']) expect(r.stdout).toContain(flag);
  });

  it.each([
    [['--seeds', '0'], 'vpc-cni-sim swarm: --seeds: must be between 1 and 1000000, got 0'],
    [['--from=-1'], 'vpc-cni-sim swarm: --from: must be between 0 and 9007199253740991, got -1'],
    [['--seeds', '2.5'], 'vpc-cni-sim swarm: --seeds: expected a whole number, got "2.5"'],
    [['--seed', '3'], 'vpc-cni-sim swarm: --seed: unknown option for swarm (did you mean --seeds?)'],
    [['7'], 'vpc-cni-sim swarm: 7: unexpected argument (swarm takes only flags; see --help)'],
  ])('refuses %j in one line, exit 2', async (argv, line) => {
    const r = await runCli(['swarm', ...argv]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('runs seeds S .. S+N-1 and reports them', async () => {
    const r = await runCli(['swarm', '--seeds', '2', '--from', '5']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('swarm: seeds 5..6, every invariant after every event');
    expect(lines).toContain('2 scenarios, 0 failing');
    expect(lines.at(-2)).toMatch(/^\d+\.\d s, \d+ simulation events, \d+ scenarios\/minute$/);
  });
});
