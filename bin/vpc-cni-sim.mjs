#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx vpc-cni-sim` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// A reader that closes the pipe early (`… | head`) is not our error: stop quietly, as Unix tools do, rather than
// die with Node's unhandled-'error' stack trace.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
