/**
 * Safety, pod side: no pod is Running without an address unless it uses the host network (spec §9.1: the sandbox
 * only starts after a successful CNI ADD); no two live pods share an address (a pod whose instance is shutting down
 * or terminated is not live: its address left with the instance's ENIs); an address is assigned to at most one pod
 * across every ipamd datastore (spec §3.1–§3.2).
 */
import { classifyAdoptedReleased, classifySharedAddress, RESTART_ADOPTS_RELEASED, RESTART_DROPS_ALLOCATION } from './findings.ts';
import type { Invariant } from './invariant.ts';
import type { NodeFacts, PodFacts } from './view.ts';

const GONE = new Set(['Succeeded', 'Failed', 'Deleted']);
const GONE_INSTANCE = new Set(['shutting-down', 'terminated']);

/** How each finding this check can name came about, for the message. */
const WHY: Record<string, string> = {
  [RESTART_DROPS_ALLOCATION]: 'a restarted ipamd dropped one allocation from its checkpoint',
  [RESTART_ADOPTS_RELEASED]: 'a restarted ipamd took from IMDS an address already released to EC2',
};

export const podAddresses: Invariant = {
  id: 'pod-addresses',
  class: 'safety',
  statement: 'no pod Running without an address unless host-network; no two pods share an address; an address is assigned to at most one pod',
  source: 'spec §3.1, §3.2, §9.1',
  start() {
    /** Address-sharing pairs already explained by a finding; the explanation holds while the pair lasts. */
    const explained = new Map<string, string>();
    return (view, report) => {
      const byIp = new Map<string, PodFacts>();
      let nodes: Map<string, NodeFacts> | undefined;
      for (const p of view.pods()) {
        if (p.hostNetwork || GONE.has(p.phase)) continue;
        if (p.phase === 'Running' && p.ip === undefined) report({ node: p.node, message: `pod ${p.id} is Running without an address` });
        if (p.ip === undefined) continue;
        const other = byIp.get(p.ip);
        if (other === undefined) {
          byIp.set(p.ip, p);
          continue;
        }
        nodes ??= new Map(view.nodes().map((n) => [n.name, n]));
        const on = (x: PodFacts) => (x.node === undefined ? undefined : nodes!.get(x.node));
        // A pod on an instance that is shutting down or gone (the view lists no terminated instance's node) is no
        // longer live: its ENIs, and the address, left with the instance, though the API keeps the pod Running
        // until the node controller evicts it.
        const gone = (x: PodFacts) => x.node !== undefined && GONE_INSTANCE.has(on(x)?.state ?? 'terminated');
        if (gone(p)) continue;
        if (gone(other)) {
          byIp.set(p.ip, p);
          continue;
        }
        const pair = `${p.ip} ${other.id} ${p.id}`;
        let finding = explained.get(pair);
        const pa = { id: other.id, node: on(other) };
        const pb = { id: p.id, node: on(p) };
        finding ??= classifySharedAddress(p.ip, pa, pb) ?? classifyAdoptedReleased(p.ip, pa, pb);
        if (finding !== undefined) explained.set(pair, finding);
        const where = other.node === p.node ? '' : ` (nodes ${other.node} and ${p.node})`;
        const why = finding === undefined ? '' : ` (${WHY[finding]})`;
        report({ node: p.node, finding, message: `pods ${other.id} and ${p.id} share ${p.ip}${where}${why}` });
      }
      const assigned = new Map<string, { node: NodeFacts; owner: string }>();
      for (const n of view.nodes()) {
        for (const e of n.ipamd?.datastore ?? []) {
          for (const c of e.cidrs) {
            for (const a of c.addresses) {
              if (a.owner === undefined) continue;
              const other = assigned.get(a.ip);
              if (other === undefined) {
                assigned.set(a.ip, { node: n, owner: a.owner });
                continue;
              }
              const finding = classifyAdoptedReleased(a.ip, { id: other.owner, node: other.node }, { id: a.owner, node: n });
              report({ node: n.name, finding, message: `${a.ip} is assigned to ${other.node.name}:${other.owner} and ${n.name}:${a.owner}` });
            }
          }
        }
      }
    };
  },
};
