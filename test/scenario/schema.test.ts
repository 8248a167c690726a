/**
 * The published JSON Schema stays in sync with the loader: it is exactly what spec.ts generates, every key the loader
 * accepts appears in it (and nothing else), the shipped scenarios validate against it, and structurally broken files
 * the loader refuses are refused by it too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Desc } from '../../src/scenario/descriptor.ts';
import { scenarioJsonSchema, scenarioJsonSchemaText, workloadJsonSchema, workloadJsonSchemaText } from '../../src/scenario/json-schema.ts';
import { SCENARIO } from '../../src/scenario/spec.ts';
import { WORKLOAD } from '../../src/scenario/workload-spec.ts';
import { validateJson } from './json-schema-check.ts';

const committed = JSON.parse(readFileSync('schema/scenario.schema.json', 'utf8'));
const shipped = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

/** Every dotted key path the loader's declaration accepts (map values and list items as *). */
function loaderKeys(d: Desc, prefix: string, out: Set<string>): void {
  switch (d.t) {
    case 'object':
      for (const [k, f] of Object.entries(d.fields)) {
        out.add(prefix + k);
        loaderKeys(f.type, `${prefix}${k}.`, out);
      }
      break;
    case 'array':
    case 'oneOrMany':
      loaderKeys(d.items, `${prefix}*.`, out);
      break;
    case 'map':
      loaderKeys(d.value, `${prefix}*.`, out);
      break;
    case 'union':
      for (const v of Object.values(d.variants)) loaderKeys(v, prefix, out);
      break;
    default:
      break;
  }
}

function schemaKeys(s: any, prefix: string, out: Set<string>, root: any): void {
  if (s === undefined || s === null || typeof s !== 'object') return;
  if (s.$ref !== undefined) return schemaKeys(root.$defs[s.$ref.replace('#/$defs/', '')], prefix, out, root);
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    out.add(prefix + k);
    schemaKeys(v, `${prefix}${k}.`, out, root);
  }
  if (s.items !== undefined) schemaKeys(s.items, `${prefix}*.`, out, root);
  if (typeof s.additionalProperties === 'object') schemaKeys(s.additionalProperties.anyOf?.[0] ?? s.additionalProperties, `${prefix}*.`, out, root);
  for (const b of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) schemaKeys(b, prefix, out, root);
}

/** Asserts that the schema names exactly the keys the declaration does; returns them. */
function sameKeys(desc: Desc, schema: any): Set<string> {
  const a = new Set<string>();
  loaderKeys(desc, '', a);
  const b = new Set<string>();
  schemaKeys(schema, '', b, schema);
  expect([...b].sort()).toEqual([...a].sort());
  return a;
}

describe('schema/scenario.schema.json', () => {
  it('is exactly what spec.ts generates (regenerate: npx tsx scripts/print-schema.ts > schema/scenario.schema.json)', () => {
    expect(readFileSync('schema/scenario.schema.json', 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('is draft 2020-12', () => {
    expect(committed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('names every key the loader accepts, and no other', () => {
    const a = sameKeys(SCENARIO, scenarioJsonSchema());
    expect(a.has('timeline.*.cidrBlock')).toBe(true);
    expect(a.has('cluster.vpcCni.env')).toBe(true);
  });

  for (const f of shipped) {
    it(`scenarios/${f} validates against it`, () => {
      const doc = parse(readFileSync(`scenarios/${f}`, 'utf8'));
      expect(validateJson(committed, doc)).toEqual([]);
    });
  }

  it('refuses what the loader refuses structurally', () => {
    for (const f of ['unknown-key-top.yaml', 'unknown-command.yaml', 'wrong-type-desired-capacity.yaml', 'cidr-bad-octet.yaml', 'bad-phase.yaml', 'two-checks-in-one-expect.yaml', 'kubernetes-version-unquoted.yaml', 'duration-unparseable.yaml']) {
      const doc = parse(readFileSync(`test/hostile/cases/${f}`, 'utf8'));
      expect(validateJson(committed, doc).length, f).toBeGreaterThan(0);
    }
  });
});

describe('schema/workload.schema.json', () => {
  const workloadSchema = JSON.parse(readFileSync('schema/workload.schema.json', 'utf8'));
  const workloads = readdirSync('bench/workloads').filter((f) => f.endsWith('.yaml'));

  it('is exactly what workload-spec.ts generates (regenerate: npx tsx scripts/print-schema.ts workload > schema/workload.schema.json)', () => {
    expect(readFileSync('schema/workload.schema.json', 'utf8')).toBe(workloadJsonSchemaText());
  });

  it('names every key the loader accepts, and no other; the cluster sections are the scenario\'s own', () => {
    const a = sameKeys(WORKLOAD, workloadJsonSchema());
    expect(a.has('patterns.*.lifetime')).toBe(true);
    for (const k of ['subnets', 'nodeGroups', 'vpc', 'cluster']) expect(workloadSchema.properties[k]).toEqual(committed.properties[k]);
  });

  for (const f of workloads) {
    it(`bench/workloads/${f} validates against it`, () => {
      const doc = parse(readFileSync(`bench/workloads/${f}`, 'utf8'));
      expect(validateJson(workloadSchema, doc)).toEqual([]);
    });
  }

  it('refuses the old workload dialect (no compatibility shim)', () => {
    const old = { name: 'old', duration: '10m', cluster: { vpcCidrs: ['10.0.0.0/16'], subnets: [{ name: 'a', cidr: '10.0.0.0/24', az: 'us-east-1a' }], nodegroups: [{ name: 'ng', instanceType: 'm5.large', nodes: 3 }] }, patterns: [{ kind: 'churn', pods: 5, lifetime: '1.5m' }] };
    expect(validateJson(workloadSchema, old).length).toBeGreaterThan(0);
  });
});
