/**
 * The worker pool (src/workers/pool.ts) on real worker threads: answers come back to their requests, shared data
 * reaches a worker before the requests after it, a smaller priority is served first, and errors cross the thread
 * (an InputError stays one, so the CLI still prints its one line).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/input-error.ts';
import { WorkerPool } from '../../src/workers/pool.ts';
import type { EchoAnswer, EchoRequest } from './echo-worker.ts';

const ECHO = new URL('./echo-worker.ts', import.meta.url);
let pool: WorkerPool<EchoRequest, EchoAnswer> | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool', () => {
  it('answers each request with its own answer, on every worker, with the start data and what was shared before', async () => {
    pool = new WorkerPool<EchoRequest, EchoAnswer>(ECHO, { size: 2, data: { scenario: 'x' } });
    pool.share({ n: 1 });
    const args = ['a', 'b', 'c', 'd', 'e', 'f'];
    const answers = await Promise.all(args.map((arg) => pool!.run({ op: 'echo', arg })));
    expect(answers.map((a) => a.arg)).toEqual(args);
    for (const a of answers) expect(a).toMatchObject({ shared: { n: 1 }, data: { scenario: 'x' } });
    // both workers took part
    const served = answers.map((a) => a.served.join('')).sort((x, y) => y.length - x.length);
    expect(new Set(answers.map((a) => a.served[0])).size).toBe(2);
    expect(served[0].length).toBeLessThan(args.length);
  });

  it('hands out a queued request with a smaller priority first, in order within a priority', async () => {
    pool = new WorkerPool<EchoRequest, EchoAnswer>(ECHO, { size: 1 });
    const runs = [pool.run({ op: 'echo', arg: 'a' }, 1), pool.run({ op: 'echo', arg: 'b' }, 1), pool.run({ op: 'echo', arg: 'c' }, 1), pool.run({ op: 'echo', arg: 'd' }, 0)];
    const answers = await Promise.all(runs);
    // 'a' went out at once; 'd' jumped the queue of priority 1
    const last = answers.reduce((x, y) => (y.served.length > x.served.length ? y : x));
    expect(last.served).toEqual(['a', 'd', 'b', 'c']);
  });

  it('an InputError thrown in a worker rejects as an InputError; another error with its message', async () => {
    pool = new WorkerPool<EchoRequest, EchoAnswer>(ECHO, { size: 1 });
    const bad = await pool.run({ op: 'input-error' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InputError);
    expect((bad as InputError).where).toEqual({ field: '--x' });
    expect((bad as InputError).reason).toBe('bad x');
    await expect(pool.run({ op: 'crash' })).rejects.toThrow(/boom/);
    // the worker goes on serving
    expect((await pool.run({ op: 'echo', arg: 'z' })).arg).toBe('z');
  });

  it('close rejects what is still waiting, and nothing runs after it', async () => {
    const p = new WorkerPool<EchoRequest, EchoAnswer>(ECHO, { size: 1 });
    const waiting = [p.run({ op: 'echo', arg: 'a' }), p.run({ op: 'echo', arg: 'b' })].map((w) => w.then(() => 'answered', (e: Error) => e.message));
    await p.close();
    expect(await Promise.all(waiting)).toEqual(['worker pool closed', 'worker pool closed']);
    await expect(p.run({ op: 'echo', arg: 'c' })).rejects.toThrow('worker pool closed');
  });
});
