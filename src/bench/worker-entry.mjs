// Worker-thread entry of the benchmark pool (src/bench/pool.ts). A worker thread does not inherit the parent's
// TypeScript loader, so this plain-JavaScript file registers tsx first and then loads the TypeScript worker.
// It works the same under `npx vpc-cni-sim`, `node --import tsx` and vitest, whatever the current directory.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
