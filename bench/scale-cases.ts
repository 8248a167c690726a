/**
 * The scale benchmark's cases as workloads (bench/scale.ts runs them; bench/fingerprint.ts replays small ones):
 * `churn:N`, `burst:N` and `idle:N` clusters of N nodes, default policy, throttling off.
 */
import type { Workload } from '../src/scenario/workload.ts';

export type ScaleKind = 'churn' | 'burst' | 'idle';

/** A /16 block holds 65,536 addresses; give each case enough blocks for ~40 addresses a node. */
function subnetsFor(nodes: number): { cidrBlocks: string[]; subnets: Workload['world']['subnets'] } {
  const blocks = Math.max(1, Math.min(5, Math.ceil((nodes * 40) / 60_000)));
  const cidrBlocks: string[] = [];
  const subnets: Workload['world']['subnets'] = [];
  for (let b = 0; b < blocks; b++) {
    cidrBlocks.push(`10.${b}.0.0/16`);
    subnets.push({ id: `s${b}`, az: b % 2 === 0 ? 'us-east-1a' : 'us-east-1b', cidr: `10.${b}.0.0/16`, tags: {} });
  }
  return { cidrBlocks, subnets };
}

export function scaleWorkload(kind: ScaleKind, nodes: number): Workload {
  const { cidrBlocks, subnets } = subnetsFor(nodes);
  const base: Workload = {
    name: `${kind}:${nodes}`,
    description: '',
    file: '(scale)',
    duration: kind === 'burst' ? 600_000 : 3_600_000,
    sampleEvery: 60_000,
    world: {
      region: 'us-east-1',
      vpc: { cidrBlocks },
      subnets,
      cluster: { name: 'bench', kubernetesVersion: '1.29', vpcCni: { version: '1.23.1', env: {} } },
      nodeGroups: [{ name: 'ng', instanceType: kind === 'burst' ? 'm5.large' : 'm5.xlarge', subnets: subnets.map((s) => s.id), desiredCapacity: nodes }],
      // Simulator speed, not account limits: with the RunInstances buckets (2 instances/s) a 5,000-node group
      // would take 40 simulated minutes just to launch. The policy benchmark keeps throttling on.
      ec2: { throttling: { enabled: false } },
    },
    deployments: [],
    patterns: [],
    policies: ['warm-eni-1'],
    definePolicies: {},
  };
  if (kind === 'churn') base.patterns.push({ kind: 'churn', pods: nodes * 20, lifetime: 600_000, from: 0, until: base.duration });
  if (kind === 'burst') {
    base.deployments.push({ name: 'inflate', replicas: 0 });
    base.patterns.push({ kind: 'burst', at: 0, deployment: 'inflate', replicas: nodes * 5 });
  }
  if (kind === 'idle') base.patterns.push({ kind: 'burst', at: 0, deployment: 'idle', replicas: 0 }), base.deployments.push({ name: 'idle', replicas: 0 });
  return base;
}

export function parseCase(text: string): { kind: ScaleKind; nodes: number } {
  const m = /^(churn|burst|idle):(\d+)$/.exec(text);
  if (m === null) throw new Error(`a case is churn:N, burst:N or idle:N, got "${text}"`);
  return { kind: m[1] as ScaleKind, nodes: Number(m[2]) };
}
