/**
 * Safety: an EC2 token bucket never goes below zero nor above its capacity (user-scenarios §C.1: each request
 * takes one token; an empty bucket answers RequestLimitExceeded instead of going into debt).
 */
import type { Invariant } from './invariant.ts';

export const tokenBuckets: Invariant = {
  id: 'token-buckets',
  class: 'safety',
  statement: 'token buckets never below zero (nor above capacity)',
  source: 'user-scenarios §C.1',
  start() {
    return (view, report) => {
      for (const b of view.buckets()) {
        if (b.tokens < 0) report({ message: `bucket ${b.name} at ${b.tokens} tokens` });
        if (b.tokens > b.capacity + 1e-9) report({ message: `bucket ${b.name} at ${b.tokens} > capacity ${b.capacity}` });
      }
    };
  },
};
