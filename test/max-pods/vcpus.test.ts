/**
 * The cited vCPU table (src/model/ec2/instance-vcpus.ts, data/instance-vcpus.json) and its use by `max-pods` in
 * calculator mode (spec §7, the 110/250 cap): coverage of our instance table, table-backed caps, `--vcpus` overriding
 * the table, and the input error for a type the table lacks.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { instanceTypeNames } from '../../src/model/ec2/instance-types.ts';
import { findDefaultVcpus, INSTANCE_VCPUS_SOURCE, instanceVcpuTypeNames } from '../../src/model/ec2/instance-vcpus.ts';

/** `vpc-cni-sim max-pods …` in-process: exit code, stdout, stderr. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(['max-pods', ...argv]);
  return { code: r.code, out: r.stdout, err: r.stderr };
}


describe('the vCPU table', () => {
  it('cites repository, path and commit', () => {
    expect(INSTANCE_VCPUS_SOURCE).toMatch(/^kubernetes\/autoscaler \S+\/ec2_instance_types\.go at commit [0-9a-f]{40}$/);
  });

  it('covers 831 of our 1391 instance types', () => {
    expect(instanceTypeNames).toHaveLength(1391);
    const covered = instanceTypeNames.filter((n) => findDefaultVcpus(n) !== undefined);
    expect(covered).toHaveLength(831);
  });

  it('every entry names a type of our instance table, except these 12 (reported: retired types the CNI table lacks)', () => {
    const known = new Set(instanceTypeNames);
    const unknown = instanceVcpuTypeNames.filter((n) => !known.has(n));
    expect(unknown).toEqual([
      'g3.16xlarge',
      'g3.4xlarge',
      'g3.8xlarge',
      'g3s.xlarge',
      'i3.metal',
      'p2.16xlarge',
      'p2.8xlarge',
      'p2.xlarge',
      'u-12tb1.112xlarge',
      'u-18tb1.112xlarge',
      'u-24tb1.112xlarge',
      'u-9tb1.112xlarge',
    ]);
    expect(instanceVcpuTypeNames).toHaveLength(843);
  });

  it('counts are positive whole numbers; known types read as EC2 states them', () => {
    for (const n of instanceVcpuTypeNames) {
      const v = findDefaultVcpus(n)!;
      expect(Number.isSafeInteger(v) && v >= 1, n).toBe(true);
    }
    expect(findDefaultVcpus('m5.large')).toBe(2);
    expect(findDefaultVcpus('m5.24xlarge')).toBe(96);
    expect(findDefaultVcpus('t3.small')).toBe(2);
    expect(findDefaultVcpus('c4.8xlarge')).toBe(36);
    expect(findDefaultVcpus('c8i.large')).toBeUndefined();
    expect(findDefaultVcpus('toString')).toBeUndefined();
  });
});

describe('max-pods calculator mode with the vCPU table', () => {
  it('m5.large (2 vCPUs), CNI 1.9.0: 29, under the 110 cap anyway', async () => {
    expect(await cli('m5.large', '--cni-version', '1.9.0')).toEqual({ code: 0, out: 'm5.large 29\n', err: '' });
  });

  it('m5.large with prefix delegation, CNI 1.9.0: 434 capped to 110 (2 vCPUs from the table)', async () => {
    expect((await cli('m5.large', '--cni-prefix-delegation-enabled', '--cni-version', '1.9.0')).out).toBe('m5.large 110\n');
  });

  it('m5.24xlarge (96 vCPUs), CNI 1.9.0: 737 capped to 250, with or without prefix delegation', async () => {
    expect((await cli('m5.24xlarge', '--cni-version', '1.9.0')).out).toBe('m5.24xlarge 250\n');
    expect((await cli('m5.24xlarge', '--cni-prefix-delegation-enabled', '--cni-version', '1.9.0')).out).toBe(
      'm5.24xlarge 250\n',
    );
  });

  it('several types at once, each with its own vCPU count', async () => {
    expect((await cli('t3.small', 'm5.large', 'm5.24xlarge', '--cni-version', '1.12.0')).out).toBe(
      't3.small 11\nm5.large 29\nm5.24xlarge 250\n',
    );
  });

  it('--vcpus overrides the table', async () => {
    expect((await cli('m5.24xlarge', '--cni-version', '1.9.0', '--vcpus', '30')).out).toBe('m5.24xlarge 110\n');
  });

  it('a type missing from the table works with --vcpus or --show-max-allowed', async () => {
    expect((await cli('c8i.large', '--cni-version', '1.9.0', '--vcpus', '2')).code).toBe(0);
    expect((await cli('c8i.large', '--cni-version', '1.9.0', '--show-max-allowed')).code).toBe(0);
  });

  it('--format json says where the vCPU count came from', async () => {
    const table = JSON.parse((await cli('m5.24xlarge', '--cni-version', '1.9.0', '--format', 'json')).out);
    expect(table).toEqual([
      {
        instanceType: 'm5.24xlarge',
        maxPods: 250,
        enis: 15,
        ipv4PerEni: 50,
        hypervisor: 'nitro',
        prefixDelegation: false,
        formula: 'min(250, 15*(50-1)+2)',
        vcpus: 96,
        vcpusSource: 'table',
      },
    ]);
    const flag = JSON.parse((await cli('m5.24xlarge', '--cni-version', '1.9.0', '--vcpus', '8', '--format', 'json')).out);
    expect(flag[0]).toMatchObject({ maxPods: 110, vcpus: 8, vcpusSource: 'flag' });
    // No cap, no vCPU count: table mode and --show-max-allowed carry neither field.
    const uncapped = JSON.parse((await cli('m5.24xlarge', '--cni-version', '1.9.0', '--show-max-allowed', '--format', 'json')).out);
    expect(uncapped[0]).not.toHaveProperty('vcpusSource');
    expect(JSON.parse((await cli('m5.24xlarge', '--format', 'json')).out)[0]).not.toHaveProperty('vcpus');
  });

  it('a type missing from the table, without --vcpus: exit 2, one line naming the type and the missing data', async () => {
    const r = await cli('c8i.large', '--cni-version', '1.9.0');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'vpc-cni-sim max-pods: --vcpus: with --cni-version the 110/250 cap needs the vCPU count, and "c8i.large" has no default vCPU count in the vCPU table: give --vcpus N, or --show-max-allowed for no cap\n',
    );
  });

  it('several missing types are counted and named (first three); --all in calculator mode needs --show-max-allowed', async () => {
    const r = await cli('m5.large', 'c8i.large', 'm8a.large', 'p5.4xlarge', 'bmn-sf1.metal', '--cni-version', '1.9.0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/4 of the given types have \(c8i\.large, m8a\.large, p5\.4xlarge, \.\.\.\) no default vCPU count/);
    const all = await cli('--all', '--cni-version', '1.9.0');
    expect(all.code).toBe(2);
    expect(all.err).toMatch(/560 of the given types have/);
    expect((await cli('--all', '--cni-version', '1.9.0', '--show-max-allowed')).code).toBe(0);
  });

  it('--help names the table source and the override', async () => {
    const r = await cli('--help');
    expect(r.out).toContain(INSTANCE_VCPUS_SOURCE);
    expect(r.out).toMatch(/overrides the built-in vCPU table/);
    expect(r.out).toMatch(/vcpusSource/);
  });
});
