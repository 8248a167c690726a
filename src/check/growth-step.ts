/**
 * Safety: ipamd takes at most one growth step (one IP/prefix top-up or one new ENI) per pool pass (spec §2.5
 * "at most one EC2 growth action per card per 5 s pass"; §2.1 l for the single pre-scaling step).
 *
 * The loop is sleep 2.5 s → updateIPPoolIfRequired → sleep 2.5 s → reconcile (§2.2), so two growth decisions of one
 * daemon incarnation, both after its `init`, are at least 5 s apart; two closer together mean two steps in one pass.
 * The pre-scaling step before `init` is the only growth allowed before the loop starts.
 */
import type { Invariant } from './invariant.ts';
import type { DecisionFacts } from './view.ts';

export const POOL_PASS_MS = 5000;

export const growthStep: Invariant = {
  id: 'one-growth-step-per-pass',
  class: 'safety',
  statement: 'ipamd takes at most one growth step per pool pass',
  source: 'spec §2.1 l, §2.2, §2.5',
  start() {
    const perNode = new Map<string, { incarnation: number; last?: DecisionFacts; initAt?: number; lastGrow?: number; preGrows: number }>();
    return (view, report) => {
      for (const n of view.nodes()) {
        const d = n.ipamd;
        if (d === undefined) continue;
        let st = perNode.get(n.name);
        if (st === undefined || st.incarnation !== d.incarnation) {
          st = { incarnation: d.incarnation, preGrows: 0 };
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
        for (let k = from; k < log.length; k++) {
          const r = log[k];
          st.last = r;
          // nodeInit also reports the checkpoint restore as `init`; the daemon is ready at the `init` with its mode.
          if (r.kind === 'init' && r.data?.mode !== undefined) st.initAt = r.t;
          if (r.kind !== 'pool-grow') continue;
          if (st.initAt === undefined) {
            if (++st.preGrows > 1) report({ node: n.name, message: `${st.preGrows} growth steps during nodeInit (pre-scaling takes one, §2.1 l)` });
            continue;
          }
          if (st.lastGrow !== undefined && r.t - st.lastGrow < POOL_PASS_MS) {
            report({ node: n.name, message: `growth steps at t=${st.lastGrow}ms and t=${r.t}ms, less than one ${POOL_PASS_MS}ms pass apart` });
          }
          st.lastGrow = r.t;
        }
      }
    };
  },
};
