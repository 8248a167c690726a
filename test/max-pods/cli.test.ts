/**
 * `vpc-cni-sim max-pods` through the command line: the dispatcher's `main` in-process (stdout, stderr and exit
 * code captured), and twice as a real subprocess of bin/vpc-cni-sim.mjs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The reference table, copied into the repository (test/data/SOURCE.md says from where).
const TABLE = fileURLToPath(new URL('../data/eni-max-pods.txt', import.meta.url));

/** `vpc-cni-sim max-pods …` in-process: exit code, stdout, stderr. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(['max-pods', ...argv]);
  return { code: r.code, out: r.stdout, err: r.stderr };
}


describe('max-pods output', () => {
  it('m5.large → "m5.large 29"', async () => {
    expect(await cli('m5.large')).toEqual({ code: 0, out: 'm5.large 29\n', err: '' });
  });

  it('several types, in the order given', async () => {
    const r = await cli('t3.small', 'm5.large', 't2.micro');
    expect(r.out).toBe('t3.small 11\nm5.large 29\nt2.micro 4\n');
  });

  it('--all prints exactly the data lines of eni-max-pods.txt', async () => {
    const expected = readFileSync(TABLE, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l + '\n')
      .join('');
    const r = await cli('--all');
    expect(r.code).toBe(0);
    expect(r.out).toBe(expected);
  });

  it('PD without --cni-version is the latest CNI, uncapped', async () => {
    expect((await cli('m5.large', '--cni-prefix-delegation-enabled')).out).toBe('m5.large 434\n');
  });

  it('calculator mode: PD, CNI 1.9.0, 2 vCPUs → 110; --show-max-allowed → 434; CNI 1.8 → 29', async () => {
    expect((await cli('m5.large', '--cni-prefix-delegation-enabled', '--cni-version', '1.9.0', '--vcpus', '2')).out).toBe(
      'm5.large 110\n',
    );
    expect(
      (await cli('m5.large', '--cni-prefix-delegation-enabled', '--cni-version', '1.9.0', '--show-max-allowed')).out,
    ).toBe('m5.large 434\n');
    expect((await cli('m5.large', '--cni-prefix-delegation-enabled', '--cni-version', '1.8.0', '--vcpus', '2')).out).toBe(
      'm5.large 29\n',
    );
    expect(
      (await cli('m5.24xlarge', '--cni-prefix-delegation-enabled', '--cni-version', 'v1.12.6-eksbuild.2', '--vcpus', '96')).out,
    ).toBe('m5.24xlarge 250\n');
  });

  it('custom networking and --cni-max-eni', async () => {
    expect((await cli('m5.large', '--cni-custom-networking-enabled')).out).toBe('m5.large 20\n');
    expect((await cli('m5.large', '--cni-max-eni', '2')).out).toBe('m5.large 20\n');
    expect((await cli('m5.large', '--cni-max-eni', '2', '--cni-custom-networking-enabled')).out).toBe('m5.large 11\n');
  });

  it('non-Nitro PD falls back to secondary IPs', async () => {
    expect((await cli('m4.4xlarge', '--cni-prefix-delegation-enabled')).out).toBe('m4.4xlarge 234\n');
  });

  it('--format json', async () => {
    const r = await cli('m5.large', 'm4.4xlarge', '--cni-prefix-delegation-enabled', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([
      {
        instanceType: 'm5.large',
        maxPods: 434,
        enis: 3,
        ipv4PerEni: 10,
        hypervisor: 'nitro',
        prefixDelegation: true,
        formula: '3*((10-1)*16)+2',
      },
      {
        instanceType: 'm4.4xlarge',
        maxPods: 234,
        enis: 8,
        ipv4PerEni: 30,
        hypervisor: 'xen',
        prefixDelegation: false,
        formula: '8*(30-1)+2',
      },
    ]);
  });

  it('--help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: vpc-cni-sim max-pods');
  });
});

describe('max-pods input errors: exit 2, one line on stderr, nothing on stdout', () => {
  const cases: Array<[string, string[], string | RegExp]> = [
    ['unknown type', ['m5.larg'], 'vpc-cni-sim max-pods: unknown instance type "m5.larg" (did you mean m5.large?)\n'],
    ['unknown type, nothing close', ['banana'], 'vpc-cni-sim max-pods: unknown instance type "banana"\n'],
    ['no type', [], /give at least one instance type/],
    ['--all with types', ['--all', 'm5.large'], /--all/],
    ['zero --cni-max-eni', ['m5.large', '--cni-max-eni', '0'], /--cni-max-eni: must be between 1/],
    ['negative --cni-max-eni', ['m5.large', '--cni-max-eni=-1'], /--cni-max-eni: must be between 1/],
    ['non-numeric --cni-max-eni', ['m5.large', '--cni-max-eni', 'two'], /--cni-max-eni: expected a whole number/],
    ['zero --vcpus', ['m5.large', '--cni-version', '1.9.0', '--vcpus', '0'], /--vcpus: must be between 1/],
    ['bad --cni-version', ['m5.large', '--cni-version', 'latest', '--vcpus', '2'], /--cni-version: expected a version/],
    [
      'calculator mode, type missing from the vCPU table, no --vcpus',
      ['c8i.large', '--cni-version', '1.9.0'],
      /needs the vCPU count.*"c8i\.large" has no default vCPU count in the vCPU table.*--vcpus N.*--show-max-allowed/,
    ],
    ['--vcpus without --cni-version', ['m5.large', '--vcpus', '2'], /--vcpus: .*give --cni-version/],
    ['--vcpus with --show-max-allowed', ['m5.large', '--cni-version', '1.9', '--vcpus', '2', '--show-max-allowed'], /--vcpus/],
    ['--vcpus for several types', ['m5.large', 'm5.xlarge', '--cni-version', '1.9', '--vcpus', '2'], /one instance type/],
    ['bad --format', ['m5.large', '--format', 'yaml'], /--format: must be one of text, json/],
    ['unknown flag', ['m5.large', '--bogus'], /--bogus/],
  ];
  it.each(cases)('%s', async (_name, argv, expected) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    if (typeof expected === 'string') expect(r.err).toBe(expected);
    else expect(r.err).toMatch(expected);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('as a real subprocess', () => {
  const bin = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/vpc-cni-sim.mjs', 'max-pods', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('node bin/vpc-cni-sim.mjs max-pods m5.large → "m5.large 29", exit 0', () => {
    const r = bin('m5.large');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('m5.large 29\n');
    expect(r.status).toBe(0);
  });

  it('unknown type → exit 2, one line, no stack trace', () => {
    const r = bin('m5.larg');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('vpc-cni-sim max-pods: unknown instance type "m5.larg" (did you mean m5.large?)\n');
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
