/**
 * Vitest setup (vitest.config.ts `setupFiles`): every fast-check property in the suite runs from one fixed seed, so
 * `npm test` is reproducible — the same inputs on every machine and every run. `FC_SEED=<integer>` replaces the seed
 * to explore other inputs; a failure prints its seed (and fast-check's counterexample path), and running the same
 * test again with that `FC_SEED` replays it (docs/testing.md, "Property seeds"). Properties that pass their own
 * `seed` option (test/properties) keep it. Not a test itself; it only configures fast-check.
 */
import fc from 'fast-check';

/** The seed `npm test` uses when FC_SEED is not set. */
export const DEFAULT_FC_SEED = 20251122;

function seedFromEnv(): number {
  const raw = process.env.FC_SEED;
  if (raw === undefined || raw.trim() === '') return DEFAULT_FC_SEED;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`FC_SEED must be an integer, got "${raw}"`);
  return n | 0;
}

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: seedFromEnv() });
