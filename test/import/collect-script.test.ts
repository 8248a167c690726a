/**
 * scripts/collect-cluster.sh runs exactly the read-only commands of Contract 2, in that order, for the cluster and
 * region given, and writes one file per command; an optional command that fails leaves its file out, a required one
 * stops the script with nothing left half-written. `aws` and `kubectl` are stand-ins on PATH that log their
 * arguments and print the walkthrough fixtures.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCluster } from '../../src/import/index.ts';
import { WALKTHROUGH } from './walkthrough-files.ts';

const tmp = mkdtempSync(join(tmpdir(), 'vpc-cni-sim-collect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fixtures = resolve(WALKTHROUGH);

/** A stand-in command: logs `name args…` and prints the fixture its arguments ask for (or fails for FAIL_ON). */
function standIns(bin: string, log: string): void {
  const script = (name: string, cases: string) => `#!/usr/bin/env bash
echo "${name} $*" >> "${log}"
if [[ -n "\${FAIL_ON:-}" && "$*" == *"\${FAIL_ON}"* ]]; then echo "An error occurred (ResourceNotFoundException) when calling the DescribeAddon operation: No addon" >&2; exit 254; fi
case "$*" in
${cases}
  *) exit 0 ;;
esac
`;
  const cat = (pattern: string, file: string) => `  *"${pattern}"*) cat "${fixtures}/${file}" ;;`;
  writeFileSync(join(bin, 'aws'), script('aws', [cat('describe-cluster', 'cluster.json'), cat('describe-addon', 'addon-vpc-cni.json'), cat('describe-vpcs', 'vpcs.json'), cat('describe-subnets', 'subnets.json'), cat('describe-network-interfaces', 'network-interfaces.json'), cat('describe-instances', 'instances.json')].join('\n')));
  writeFileSync(join(bin, 'kubectl'), script('kubectl', ['  *"current-context"*) echo arn:aws:eks:us-west-2:111122223333:cluster/esd-demo ;;', cat('get nodes', 'nodes.json'), cat('get pods', 'pods.json'), cat('get daemonset', 'aws-node.json'), cat('get deployments', 'deployments.json'), cat('get eniconfigs', 'eniconfigs.yaml')].join('\n')));
  chmodSync(join(bin, 'aws'), 0o755);
  chmodSync(join(bin, 'kubectl'), 0o755);
}

function collect(name: string, env: Record<string, string> = {}, into?: string) {
  const root = mkdtempSync(join(tmp, `${name}-`));
  const log = join(root, 'log');
  standIns(root, log);
  const out = into ?? join(root, 'out');
  const r = spawnSync('bash', ['scripts/collect-cluster.sh', '--cluster', 'esd-demo', '--region', 'us-west-2', out], { env: { ...process.env, ...env, PATH: `${root}:${process.env.PATH}` }, encoding: 'utf8' });
  return { ...r, out, log: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
}

const VPC = 'vpc-0a3c5e7f9b1d24680';
const J = '--output json --region us-west-2';

describe('scripts/collect-cluster.sh', () => {
  it('runs exactly the read-only commands and writes what import reads', () => {
    const r = collect('ok');
    expect(r.status, r.stderr).toBe(0);
    expect(r.log).toEqual([
      'kubectl config current-context',
      `aws eks describe-cluster --name esd-demo ${J}`,
      `aws eks describe-addon --cluster-name esd-demo --addon-name vpc-cni ${J}`,
      `aws ec2 describe-vpcs --vpc-ids ${VPC} ${J}`,
      `aws ec2 describe-subnets --filters Name=vpc-id,Values=${VPC} ${J}`,
      `aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=${VPC} ${J}`,
      `aws ec2 describe-instances --filters Name=vpc-id,Values=${VPC} ${J}`,
      'kubectl get nodes -o json',
      'kubectl get pods -A -o json',
      'kubectl get daemonset aws-node -n kube-system -o json',
      'kubectl get deployments -A -o json',
      'kubectl get eniconfigs -o yaml',
    ]);
    const files = readdirSync(r.out).sort();
    expect(files).toEqual(readdirSync(fixtures).sort());
    const imported = importCluster(files.map((f) => ({ file: join(r.out, f), text: readFileSync(join(r.out, f), 'utf8') })));
    expect((imported.scenario as { name: string }).name).toBe('esd-demo');
  });

  it('leaves an optional file out when its command fails', () => {
    const r = collect('no-addon', { FAIL_ON: 'describe-addon' });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(r.out)).not.toContain('addon-vpc-cni.json');
    expect(readdirSync(r.out).some((f) => f.endsWith('.partial'))).toBe(false);
    expect(r.stderr).toContain('skipped addon-vpc-cni.json');
  });

  it('stops at a required command that fails, leaving no half-written file nor one of an earlier run', () => {
    const first = collect('again');
    expect(first.status).toBe(0);
    const r = collect('no-subnets', { FAIL_ON: 'describe-subnets' }, first.out);
    expect(r.status).not.toBe(0);
    expect(readdirSync(r.out).sort()).toEqual(['addon-vpc-cni.json', 'cluster.json', 'vpcs.json']);
    expect(r.log.at(-1)).toContain('describe-subnets');
  });

  it('refuses to run without --cluster', () => {
    const r = spawnSync('bash', ['scripts/collect-cluster.sh'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--cluster NAME is required');
  });
});
