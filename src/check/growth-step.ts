/**
 * Safety: ipamd takes at most one growth step (one IP/prefix top-up or one new ENI) per pool pass (docs/ipamd-model.md §2.5
 * "at most one EC2 growth action per card per 5 s pass"; §2.1 l for the single pre-scaling step).
 *
 * Passes are the daemon's own pass markers (view.ts PassFacts): pass 0 is nodeInit (its pre-scaling step), pass n
 * the n-th `updateIPPoolIfRequired` of the pool loop (§2.2). The checker runs after every event and a pass starts
 * in an event of its own (after a 2.5 s sleep), so a `pool-grow` decision first seen at a check belongs to the pass
 * current then — or, if it is older than that pass's start, to the one before. A daemon without pass markers is
 * not judged. Not here: whether the step was the right one (pool-policy tests), how many addresses it added.
 */
import type { Invariant } from './invariant.ts';
import type { DecisionFacts } from './view.ts';

export const growthStep: Invariant = {
  id: 'one-growth-step-per-pass',
  class: 'safety',
  statement: 'ipamd takes at most one growth step per pool pass',
  source: 'docs/ipamd-model.md §2.1 l, §2.2, §2.5',
  start() {
    /** Per node: the daemon incarnation, the last decision read, and the growth steps (times) of the latest two passes. */
    const perNode = new Map<string, { incarnation: number; last?: DecisionFacts; grows: Map<number, number[]> }>();
    return (view, report) => {
      for (const n of view.nodes()) {
        const d = n.ipamd;
        if (d === undefined || d.passes === undefined) continue;
        let st = perNode.get(n.name);
        if (st === undefined || st.incarnation !== d.incarnation) {
          st = { incarnation: d.incarnation, grows: new Map() };
          perNode.set(n.name, st);
        }
        // The daemon keeps a bounded log; resume after the last record read (by identity, else by time).
        const log = d.decisions;
        let from = 0;
        if (st.last !== undefined) {
          const i = log.lastIndexOf(st.last);
          from = i >= 0 ? i + 1 : log.findIndex((r) => r.t > st!.last!.t);
          if (from < 0) from = log.length;
        }
        if (from >= log.length) continue;
        const { pool, poolStartedAt } = d.passes;
        for (let k = from; k < log.length; k++) {
          const r = log[k];
          st.last = r;
          if (r.kind !== 'pool-grow') continue;
          const pass = pool > 0 && r.t < poolStartedAt ? pool - 1 : pool;
          const times = st.grows.get(pass) ?? [];
          times.push(r.t);
          st.grows.set(pass, times);
          if (times.length === 2 || (times.length > 2 && pass === 0)) {
            report({
              node: n.name,
              message:
                pass === 0
                  ? `${times.length} growth steps during nodeInit (pre-scaling takes one, docs/ipamd-model.md §2.1 4l)`
                  : `growth steps at t=${times[0]}ms and t=${times[1]}ms in one pool pass (pass ${pass})`,
            });
          }
        }
        for (const p of st.grows.keys()) if (p < pool - 1) st.grows.delete(p);
      }
    };
  },
};
