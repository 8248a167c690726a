/**
 * The restart-drops-allocation classifier (src/check/findings.ts classifySharedAddress) on hand-made node facts: it
 * names the finding only when one pod's own daemon dropped exactly that pod's checkpoint entry for exactly that
 * address and holds nothing for it, and the other pod's daemon holds the address for the other pod — on one node or
 * on two. Every other shared address stays unexplained (a safety failure).
 */
import { describe, expect, it } from 'vitest';
import { classifyAdoptedReleased, classifySharedAddress, RESTART_ADOPTS_RELEASED, RESTART_DROPS_ALLOCATION } from '../../src/check/findings.ts';
import type { DsEniFacts, IpamdFacts, NodeFacts } from '../../src/check/view.ts';

const IP = '10.0.0.16';

function node(
  name: string,
  owned: [string, string][],
  dropped: { ip: string; pod: string }[] = [],
  incarnation = 2,
  staleAtStart: { eniId: string; ip: string }[] = [],
): NodeFacts {
  const ipamd = {
    incarnation,
    state: 'ready',
    settings: {} as IpamdFacts['settings'],
    datastore: [
      {
        id: `eni-${name}`,
        primary: true,
        excluded: false,
        trunk: false,
        efa: false,
        subnetId: 'subnet-a',
        cidrs: owned.map(([ip, owner]) => ({ cidr: `${ip}/32`, prefix: false, addresses: [{ ip, owner }] })),
      },
    ],
    droppedAllocations: dropped,
    staleAtStart,
    decisions: [],
  } satisfies IpamdFacts;
  return { name, instanceId: `i-${name}`, instanceType: 'm5.large', eniLimit: 3, ipv4PerEni: 10, az: 'us-west-2a', subnetId: 'subnet-a', state: 'running', cordoned: false, terminating: false, ipamd };
}

describe('classifySharedAddress (restart-drops-allocation)', () => {
  it('two nodes: the first node dropped its pod\'s entry at restart, the address now belongs to a pod on the second', () => {
    const lostOn = node('n1', [['10.0.0.20', 'default/other']], [{ ip: IP, pod: 'default/lost' }]);
    const heldOn = node('n2', [[IP, 'default/holder']], [], 1);
    expect(classifySharedAddress(IP, { id: 'default/lost', node: lostOn }, { id: 'default/holder', node: heldOn })).toBe(RESTART_DROPS_ALLOCATION);
    expect(classifySharedAddress(IP, { id: 'default/holder', node: heldOn }, { id: 'default/lost', node: lostOn })).toBe(RESTART_DROPS_ALLOCATION);
  });

  it('one node: the dropped address came back free and went to a second pod there', () => {
    const n = node('n1', [[IP, 'default/holder']], [{ ip: IP, pod: 'default/lost' }]);
    expect(classifySharedAddress(IP, { id: 'default/lost', node: n }, { id: 'default/holder', node: n })).toBe(RESTART_DROPS_ALLOCATION);
  });

  it('stays unexplained when the drop was of another address, another pod, or nothing', () => {
    const heldOn = node('n2', [[IP, 'default/holder']], [], 1);
    for (const dropped of [[], [{ ip: '10.0.0.17', pod: 'default/lost' }], [{ ip: IP, pod: 'default/someone-else' }]]) {
      const lostOn = node('n1', [], dropped);
      expect(classifySharedAddress(IP, { id: 'default/lost', node: lostOn }, { id: 'default/holder', node: heldOn })).toBeUndefined();
    }
  });

  it('stays unexplained when the lost pod is still held, or no daemon holds the address for the other pod', () => {
    const drop = [{ ip: IP, pod: 'default/lost' }];
    const stillHeld = node('n1', [['10.0.0.30', 'default/lost']], drop);
    const heldOn = node('n2', [[IP, 'default/holder']], [], 1);
    expect(classifySharedAddress(IP, { id: 'default/lost', node: stillHeld }, { id: 'default/holder', node: heldOn })).toBeUndefined();
    const lostOn = node('n1', [], drop);
    const notHeld = node('n2', [['10.0.0.31', 'default/holder']], [], 1);
    expect(classifySharedAddress(IP, { id: 'default/lost', node: lostOn }, { id: 'default/holder', node: notHeld })).toBeUndefined();
    expect(classifySharedAddress(IP, { id: 'default/lost', node: lostOn }, { id: 'default/holder', node: undefined })).toBeUndefined();
  });
});

describe('classifyAdoptedReleased (restart-adopts-released-address)', () => {
  /** One node, two ENIs: the stale copy of IP on eni-n1 (for `a`), EC2's new one on eni-n1b (for `b`). */
  const twoEnis = (stale: { eniId: string; ip: string }[]): NodeFacts => {
    const n = node('n1', [[IP, 'default/a']], [], 2, stale);
    const ds = n.ipamd!.datastore as DsEniFacts[];
    ds.push({ ...ds[0], id: 'eni-n1b', primary: false, cidrs: [{ cidr: `${IP}/32`, prefix: false, addresses: [{ ip: IP, owner: 'default/b' }] }] });
    return n;
  };
  it('names the finding when one copy sits on an ENI that took the address from stale IMDS at start', () => {
    const n = twoEnis([{ eniId: 'eni-n1', ip: IP }]);
    expect(classifyAdoptedReleased(IP, { id: 'default/a', node: n }, { id: 'default/b', node: n })).toBe(RESTART_ADOPTS_RELEASED);
    expect(classifyAdoptedReleased(IP, { id: 'default/b', node: n }, { id: 'default/a', node: n })).toBe(RESTART_ADOPTS_RELEASED);
  });
  it('stays unexplained without that record, or with it for another ENI or address', () => {
    for (const stale of [[], [{ eniId: 'eni-n1', ip: '10.0.0.99' }], [{ eniId: 'eni-other', ip: IP }]]) {
      const n = twoEnis(stale);
      expect(classifyAdoptedReleased(IP, { id: 'default/a', node: n }, { id: 'default/b', node: n })).toBeUndefined();
    }
  });
  it('stays unexplained when both copies are on the one ENI the record names, or the other pod holds nothing', () => {
    const one = node('n1', [[IP, 'default/a']], [], 2, [{ eniId: 'eni-n1', ip: IP }]);
    expect(classifyAdoptedReleased(IP, { id: 'default/a', node: one }, { id: 'default/b', node: one })).toBeUndefined();
  });
});
