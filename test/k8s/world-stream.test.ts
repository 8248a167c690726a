/**
 * The World's one stream of happenings (src/model/world/happenings.ts): every kind of happening arrives on it, the
 * timeline, decision log and trace are what a subscriber sees, and a World nobody listens to builds none.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTracer } from '../../src/sim/index.ts';
import { World, type WorldHappening, type WorldSpec } from '../../src/model/world.ts';
import { timelineEntry, traceHappening } from '../../src/model/world/happenings.ts';

const spec: WorldSpec = {
  seed: 3,
  region: 'us-west-2',
  vpc: { cidrBlocks: ['10.0.0.0/24'] },
  subnets: [{ id: 'private-a', az: 'us-west-2a', cidr: '10.0.0.0/26', route: 'nat' }],
  cluster: { name: 'demo', kubernetesVersion: '1.30', endpointAccess: 'public-and-private', vpcCni: { version: '1.19.0' } },
  nodeGroups: [{ name: 'ng', instanceType: 'm6a.large', subnets: ['private-a'], desiredCapacity: 1 }],
};

const app = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'c', image: 'pause' }] } } },
});

function play(w: World): void {
  w.runUntil(90_000);
  w.act('kubectl apply -f app.yaml', w.cluster.apply(app(4)));
  w.act('kubectl scale deployment/missing --replicas=1', w.cluster.scale('default', 'missing', 1)); // fails: an action-failed line
  w.runUntil(150_000);
  const node = w.nodes()[0].name;
  w.act(`aws ec2 terminate-instances --instance-ids ${node}`, w.cluster.terminate(node));
  w.runUntil(240_000);
}

describe('World.happenings', () => {
  it('carries EC2 calls, instances, decisions, timeline lines, actions, started pods and which pods, nodes and datastores changed', () => {
    const w = new World(spec);
    const seen: WorldHappening[] = [];
    w.happenings.subscribe((h) => seen.push(h));
    play(w);
    const types = new Set(seen.map((h) => h.type));
    expect([...types].sort()).toEqual(['action', 'datastore', 'decision', 'ec2-call', 'instance', 'k8s-event', 'node-changed', 'pod-changed', 'pod-running', 'timeline']);
    // a pod's life: created, bound, addressed, started, and after the node's termination gone
    const first = seen.find((h) => h.type === 'pod-changed' && h.key.startsWith('default/app-'));
    const life = seen.filter((h) => h.type === 'pod-changed' && first?.type === 'pod-changed' && h.key === first.key).length;
    expect(life).toBeGreaterThanOrEqual(4);
    const node = w.nodes().map((n) => n.name);
    const nodeChanges = seen.flatMap((h) => (h.type === 'node-changed' ? [h.node] : []));
    for (const n of node) expect(nodeChanges, `node-changed for ${n}`).toContain(n);
    expect(seen.some((h) => h.type === 'datastore' && node.includes(h.node))).toBe(true);
    // Kubernetes events as recorded on their objects (describe shows them deduplicated)
    const scheduled = seen.find((h) => h.type === 'k8s-event' && h.reason === 'Scheduled' && h.object.name.startsWith('app-'));
    expect(scheduled).toMatchObject({ object: { kind: 'Pod', namespace: 'default' }, eventType: 'Normal', from: 'default-scheduler' });
    expect(seen.some((h) => h.type === 'k8s-event' && h.object.kind === 'Node' && h.reason === 'NodeReady')).toBe(true);
    const started = seen.flatMap((h) => (h.type === 'pod-running' ? [h.pod] : []));
    expect(started.filter((p) => p.startsWith('default/app-')).length).toBeGreaterThanOrEqual(4);
    // the first node, the Auto Scaling group's replacement (running before the first has shut down), the termination
    expect(seen.flatMap((h) => (h.type === 'instance' ? [h.state] : []))).toEqual(['running', 'running', 'terminated']);
    // the timeline and the decision log are subscribers of the same stream
    expect(w.timeline).toEqual(seen.map(timelineEntry).filter((e) => e !== undefined));
    expect(w.decisionLog).toEqual(seen.flatMap((h) => (h.type === 'decision' ? [h.record] : [])));
    expect(w.timeline.map((e) => e.kind)).toContain('action-failed');
  });

  it('the trace is one more subscriber: it writes every happening it hears, at the time it happens', () => {
    const w = new World(spec);
    const tracer = new MemoryTracer();
    const mine = new MemoryTracer();
    const stop = w.traceTo(tracer);
    w.happenings.subscribe((h) => traceHappening(mine, w.now, h));
    play(w);
    stop();
    w.runUntil(300_000);
    expect(new Set(tracer.lines.map((l) => JSON.parse(l).kind))).toContain('ec2');
    expect(mine.lines.slice(0, tracer.lines.length)).toEqual(tracer.lines);
    expect(w.sim.tracer).toBe(null);
  });

  it('without history nor subscribers nothing is wanted; a subscriber to one type gets only that', () => {
    const w = new World(spec, { keepHistory: false });
    expect(['ec2-call', 'decision', 'timeline', 'action', 'pod-running', 'instance', 'k8s-event', 'sample'].some((t) => w.happenings.wants(t as WorldHappening['type']))).toBe(false);
    const samples: WorldHappening[] = [];
    w.happenings.subscribe((h) => samples.push(h), ['sample']);
    play(w);
    expect(samples).toEqual([]);
    const s = w.sample([w.resolveSubnet('private-a')!]);
    expect(samples).toEqual([{ type: 'sample', t: 240_000, ...s }]);
    expect(s.subnetFree).toBe(w.subnets()[0].availableIpAddressCount);
    expect(s.held).toBeGreaterThan(0);
    expect(w.timeline).toEqual([]);
  });

  it("an IAM denial shows where it happens: the EC2 call, the decision, then ipamd's own event on its aws-node pod", () => {
    const w = new World({ ...spec, cluster: { ...spec.cluster, vpcCni: { version: '1.23.1' } }, deniedPermissions: ['ec2:DescribeSubnets'] });
    const seen: WorldHappening[] = [];
    w.happenings.subscribe((h) => seen.push(h), ['ec2-call', 'decision', 'k8s-event']);
    w.runUntil(120_000);
    const denied = seen.findIndex((h) => h.type === 'ec2-call' && h.action === 'DescribeSubnets' && h.result === 'UnauthorizedOperation');
    expect(denied).toBeGreaterThanOrEqual(0);
    const rest = seen.slice(denied + 1);
    const decision = rest.findIndex((h) => h.type === 'decision' && h.record.kind === 'ec2-error' && h.record.data?.code === 'UnauthorizedOperation');
    const event = rest.findIndex((h) => h.type === 'k8s-event' && h.reason === 'MissingIAMPermissions');
    expect(decision).toBeGreaterThanOrEqual(0);
    expect(event).toBe(decision + 1);
    expect(rest[event]).toMatchObject({ object: { kind: 'Pod', namespace: 'kube-system' }, eventType: 'Warning', from: expect.stringMatching(/^aws-node, aws-node-/) });
    const pod = rest[event].type === 'k8s-event' ? rest[event].object.name : '';
    expect(w.podEvents(pod, 'kube-system')?.events.some((e) => e.reason === 'MissingIAMPermissions')).toBe(true);
  });
});
