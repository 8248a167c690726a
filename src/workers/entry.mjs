// Worker-thread entry of a WorkerPool (pool.ts). A worker thread does not inherit the parent's TypeScript loader, so
// this plain-JavaScript file registers tsx first and then loads the worker's module (a file URL in workerData).
// It works the same under `npx vpc-cni-sim`, `node --import tsx` and vitest, whatever the current directory.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
