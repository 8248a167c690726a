/** A worker for the pool's tests: answers with what it was asked, what was shared, its start data and the order it served. */
import { InputError } from '../../src/util/input-error.ts';
import { serve, startData } from '../../src/workers/serve.ts';

export type EchoRequest = { op: 'echo'; arg: string } | { op: 'input-error' } | { op: 'crash' };
export interface EchoAnswer {
  arg: string;
  shared: unknown;
  data: unknown;
  served: string[];
}

let shared: unknown;
const served: string[] = [];

serve<EchoRequest, EchoAnswer>(
  (r) => {
    if (r.op === 'input-error') throw new InputError({ field: '--x' }, 'bad x');
    if (r.op === 'crash') throw new Error('boom');
    served.push(r.arg);
    return { arg: r.arg, shared, data: startData(), served: [...served] };
  },
  (d) => (shared = d),
);
