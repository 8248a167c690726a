/**
 * Helpers for the fidelity tests of individual spec rules: an EC2 wrapper that fails chosen calls, and small
 * accessors for the simulated EC2 state and the ipamd metrics text.
 */
import type { Simulation } from '../../src/sim/index.ts';
import type { Ec2Api, Ec2ErrorCode } from '../../src/model/ec2/types.ts';
import type { SingleNode } from '../../src/model/world/one-node.ts';

/**
 * Wraps `api` so that the first `times` calls of `method` answer `{ ok: false, error: { code } }` after 100 ms
 * instead of reaching EC2. Returns the wrapper, a counter of the failures served, and `arm(k)` to fail the
 * next k calls.
 */
export function failCalls(
  sim: () => Simulation,
  method: keyof Ec2Api,
  code: Ec2ErrorCode,
  times = 1,
): { wrap: (api: Ec2Api) => Ec2Api; failed: () => number; arm: (more: number) => void } {
  let failed = 0;
  let limit = times;
  const wrap = (api: Ec2Api): Ec2Api =>
    new Proxy(api, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== method || typeof v !== 'function') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        return (...args: unknown[]) => {
          if (failed < limit) {
            failed++;
            return sim().timeout(100, { ok: false, error: { code, message: `injected ${code}` } });
          }
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return { wrap, failed: () => failed, arm: (more) => (limit = failed + more) };
}

/** A counter or gauge value from the metrics text (0 when absent). */
export function metric(n: SingleNode, line: string): number {
  const esc = line.replace(/[{}()[\].*+?^$|\\]/g, '\\$&');
  const m = new RegExp(`^${esc} (\\d+)$`, 'm').exec(n.ipamd.metricsText());
  return m === null ? 0 : Number(m[1]);
}

/** The EC2 view of an ENI. */
export function eniView(n: SingleNode, id: string) {
  return n.ec2.state.enis.get(id)!.view();
}
