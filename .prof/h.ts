import { searchHeadroom } from '../src/plan/headroom.ts';
function mk(limit: number, slots: number, ran: (n: number) => number, addresses: number) {
  const calls: number[] = [];
  const run = async (n: number) => { calls.push(n); const fits = n <= limit; const running = fits ? n : Math.min(n, ran(n));
    return { n, fits, stuck: n - running, stuckByCause: {}, targetRunning: running, podCapacity: slots, addressCapacity: addresses, subnets: [], throttled: {}, stoppedBy: fits ? 'all-running' : 'stalled', ranMs: 0, events: 0 } as any; };
  return { calls, run };
}
for (const [limit, first, addr] of [[18400, 13000, 23145], [24233, 13000, 47706], [19470, 13000, 23353], [1000, 500, 2000], [5000, 3000, 9000]]) {
  const out = [];
  for (const p of [0.05, 0.1]) { const c = mk(limit, 56000, (n) => n - Math.ceil((n - limit) / 40), addr); const h = await searchHeadroom(await c.run(first), c.run, { precision: p }); out.push(`${p}: ${c.calls.length} [${h.fits}, ${h.stuck})`); }
  console.log(limit, out.join(' | '));
}
