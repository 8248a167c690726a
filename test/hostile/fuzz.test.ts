/**
 * Fuzzing the loader and the `run` flags: whatever the input, the loader returns a scenario or throws InputError —
 * never another exception, a hang or a crash. Inputs: YAML-ish token soup, arbitrary text, and random mutations
 * (replace, delete, rename, retype) of a valid scenario.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { InputError } from '../../src/util/input-error.ts';
import { parseRunFlags } from '../../src/cli/run.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';

const BASE_TEXT = readFileSync('test/hostile/base.yaml', 'utf8');
const INFLATE_TEXT = readFileSync('scenarios/inflate-exhaustion.yaml', 'utf8');

/** The loader's contract: a scenario or an InputError with a one-line message. */
function loadOrInputError(text: string, sets: string[] = []): 'ok' | 'input-error' {
  try {
    loadScenarioText(text, 'fuzz.yaml', { sets });
    return 'ok';
  } catch (err) {
    if (err instanceof InputError) {
      expect(err.message).not.toContain('\n');
      return 'input-error';
    }
    throw err;
  }
}

const TOKENS = [
  'name:', 'region:', 'us-west-2', 'vpc:', 'cidrBlocks:', 'subnets:', 'cluster:', 'nodeGroups:', 'timeline:', 'expect:',
  'at:', 'run:', 'kubectl apply', 'manifest:', 'count:', 'cidr:', '10.0.0.0/16', '10.0.0.0/33', 'id:', 'subnet-a',
  ' ', '  ', '\n', '\n  ', '- ', '[', ']', '{', '}', ',', ':', '&a ', '*a', '*b', '"', "'", '#', '|', '>', '---', '...',
  '\t', '<<: ', '? ', '!!str ', '!!binary ', '!custom ', '1', '-1', '0x1F', '1e999', '.nan', 'null', '~', 'true', 'yes',
  '5m', '90s', '-3m', '1.29', '\u00e9', '\u{1F600}', '\\', '%YAML 1.2\n', '%TAG ! tag:x\n', '@', '`',
];

describe('loader fuzz', () => {
  it('YAML-ish token soup → scenario or InputError', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), (toks) => {
        loadOrInputError(toks.join(''));
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary text → scenario or InputError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        loadOrInputError(s);
      }),
      { numRuns: 800 },
    );
  });

  it('a valid scenario cut or spliced anywhere → scenario or InputError', () => {
    fc.assert(
      fc.property(fc.nat(INFLATE_TEXT.length), fc.nat(INFLATE_TEXT.length), fc.constantFrom('', '\n', ' ', '[', '-', ':', '\t', 'x'), (a, b, ins) => {
        const [i, j] = a <= b ? [a, b] : [b, a];
        loadOrInputError(INFLATE_TEXT.slice(0, i) + ins + INFLATE_TEXT.slice(j));
      }),
      { numRuns: 600 },
    );
  });

  const base = parse(BASE_TEXT) as Record<string, unknown>;
  const paths: (string | number)[][] = [];
  (function collect(v: unknown, p: (string | number)[]) {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => collect(x, [...p, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, [...p, k]);
  })(base, []);

  const mutation = fc.record({
    path: fc.constantFrom(...paths.filter((p) => p.length > 0)),
    op: fc.constantFrom('replace', 'delete', 'rename', 'wrap'),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(-1, 0, 1e9, 2 ** 53, -0.5, 1e308, '', '10.0.0.0/8', '10.0.0.1/24', '5m', '-5m', 'm5.large', 'x'.repeat(300)),
    ),
    key: fc.constantFrom('nme', 'subnet', 'cidrs', 'replicas', '__proto__', 'constructor', '', 'at'),
  });

  it('random mutations of a valid scenario → scenario or InputError', () => {
    expect(loadOrInputError(BASE_TEXT)).toBe('ok');
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
        const doc = structuredClone(base);
        for (const m of muts) {
          let parent: any = doc;
          for (const k of m.path.slice(0, -1)) {
            parent = parent?.[k];
            if (parent === null || typeof parent !== 'object') return;
          }
          const last = m.path[m.path.length - 1];
          if (!(last in parent)) return;
          if (m.op === 'replace') parent[last] = m.value;
          else if (m.op === 'delete') {
            if (Array.isArray(parent)) parent.splice(Number(last), 1);
            else delete parent[last];
          } else if (m.op === 'wrap') parent[last] = [parent[last]];
          else if (!Array.isArray(parent)) {
            Object.defineProperty(parent, m.key, { value: parent[last], enumerable: true, writable: true, configurable: true });
            delete parent[last];
          }
        }
        loadOrInputError(stringify(doc));
      }),
      { numRuns: 1500 },
    );
  });

  it('random --set overrides → scenario or InputError', () => {
    const key = fc.oneof(
      fc.constantFrom(...paths.filter((p) => p.length > 0).map((p) => p.join('.'))),
      fc.constantFrom('cluster.vpcCni.env.WARM_IP_TARGET', 'nodeGroups.ng-1.desiredCapacity', 'subnets[0].tags[kubernetes.io/role/cni]', 'a..b', '[', '', '.x', 'timeline.9.at'),
      fc.string({ maxLength: 30 }),
    );
    const value = fc.oneof(fc.constantFrom('1', '-1', 'null', '[a, b]', '{x: 1}', '"1.30"', '1.30', '*x', '&a [*a]', ':', '5m', ''), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 3 }), (sets) => {
        loadOrInputError(BASE_TEXT, sets.map(([k, v]) => `${k}=${v}`));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('run flags fuzz', () => {
  const TOK = ['--seed', '--until', '--set', '--format', '--trace', '--describe', '--check-invariants', '-h', '--help', '--bogus', '-x', '--', 'json', 'text', 'xml', '5m', '-1', '99999999999', '1e3', 'pod/x', 'pods/inflate-1', 'deploy/x', 'a=b', 'x.yaml', '', '=', '--seed=3', '--until=90s', '--format=yaml'];
  it('parseRunFlags returns flags or throws InputError', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...TOK), fc.string({ maxLength: 12 })), { maxLength: 8 }), (argv) => {
        try {
          parseRunFlags(argv);
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
