/**
 * The World's timeline entries made from other components' records: ipamd decisions worth a line (an ENI create
 * failing — once per node until a new ENI succeeds — and an ENI freed) and ENI attachments EC2 reports. Turns
 * records into `Happening`s; the World appends them. Not here: the happenings of the Kubernetes layer (k8s/cluster.ts)
 * and of scenario actions (world.ts).
 */
import type { Ec2 } from '../ec2/ec2-api.ts';
import type { EniChange } from '../ec2/state.ts';
import type { DecisionRecord } from '../ipamd/types.ts';
import type { Happening } from '../k8s/cloud.ts';
import type { Cluster } from '../k8s/cluster.ts';
import type { Node } from '../k8s/types.ts';

/** Turns ipamd decisions into timeline entries, remembering each node's last ENI-create failure. */
export class DecisionHappenings {
  private readonly lastEniFailure = new Map<string, string>();

  /** The entry for a decision, if it deserves one. */
  happening(r: DecisionRecord): Happening | undefined {
    const data = r.data ?? {};
    if (r.kind === 'eni-create-failed') {
      const key = String(data.code);
      if (this.lastEniFailure.get(r.node) === key) return undefined;
      this.lastEniFailure.set(r.node, key);
      return { t: r.t, kind: 'eni-create-failed', node: r.node, message: `${r.node}: ${r.message}` };
    }
    if (r.kind === 'pool-grow' && data.newEni === true) {
      this.lastEniFailure.delete(r.node);
    } else if (r.kind === 'eni-free') {
      return { t: r.t, kind: 'eni-deleted', node: r.node, eniId: String(data.eniId ?? ''), message: `${r.node}: ${r.message}` };
    }
    return undefined;
  }
}

/** Turns EC2's ENI attachments (not the instant ones made at launch) into timeline entries naming node and subnet. */
export class EniAttachHappenings {
  private readonly nodeByInstance = new Map<string, Node>();

  constructor(
    private readonly ec2: Ec2,
    private readonly cluster: () => Cluster,
    private readonly subnetName: (subnetId: string) => string,
  ) {}

  /** The node is known by its instance id from now on. */
  remember(instanceId: string, node: Node): void {
    this.nodeByInstance.set(instanceId, node);
  }

  happening(c: EniChange, now: number): Happening | undefined {
    if (c.kind !== 'attach' || c.immediate === true || c.snapshot === null) return undefined;
    let node = this.nodeByInstance.get(c.instanceId);
    if (node === undefined) {
      node = [...this.cluster().nodeMap.values()].find((n) => n.instanceId === c.instanceId);
      if (node !== undefined) this.nodeByInstance.set(c.instanceId, node);
    }
    const s = this.ec2.state.subnets.get(c.snapshot.subnetId);
    const where = s === undefined ? c.snapshot.subnetId : `${this.subnetName(s.id)} (${s.cidrText}, ${s.availabilityZone})`;
    return {
      t: now,
      kind: 'eni-attached',
      node: node?.name,
      eniId: c.eniId,
      subnetId: c.snapshot.subnetId,
      message: `${c.eniId} attached to ${node?.name ?? c.instanceId} as device ${c.snapshot.deviceIndex}, subnet ${where}`,
    };
  }
}
