import { runJobSync } from '/work/wt/record/src/bench/run-job.ts';
import { RunRecorder } from '/work/wt/record/src/report/record/recorder.ts';
import { parseCase, scaleWorkload } from '/work/wt/record/bench/scale-cases.ts';
const { kind, nodes } = parseCase(process.argv[2]);
const w = scaleWorkload(kind, nodes);
const rec = process.argv[3] !== 'norec';
let recorder: RunRecorder | undefined;
const c0 = process.cpuUsage();
const r = runJobSync({ workload: w, policy: { name: 'warm-eni-1', env: { WARM_ENI_TARGET: '1' } }, seed: 1 }, undefined, undefined, (world) => {
  if (rec) recorder = new RunRecorder(world, { name: 'x', file: 'x', description: '', seed: 1, duration: w.duration, cluster: { ipFamily: 'ipv4' } });
});
const c = process.cpuUsage(c0);
console.log('cpu s', ((c.user + c.system) / 1e6).toFixed(1), 'events', r.events, recorder ? JSON.stringify(recorder.finish([], [])).length : '');
