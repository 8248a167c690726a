/**
 * The published JSON Schemas (draft 2020-12) of the scenario format and the benchmark workload format, generated from
 * their declarations (spec.ts, workload-spec.ts) so editors can offer completion and the loader and the schema cannot
 * disagree (test/scenario/schema.test.ts compares this output with schema/*.schema.json). Regenerate with:
 * `npx tsx scripts/print-schema.ts > schema/scenario.schema.json` and
 * `npx tsx scripts/print-schema.ts workload > schema/workload.schema.json`.
 * The schemas check structure only; the loaders' cross-field rules (semantic.ts, workload.ts) are beyond them.
 */
import type { Desc, ObjectDesc } from './descriptor.ts';
import { SCENARIO } from './spec.ts';
import { WORKLOAD } from './workload-spec.ts';

type Json = Record<string, unknown>;

const DURATION = '^(0|(?=\\d)(\\d{1,9}h)?(\\d{1,9}m(?!s))?(\\d{1,12}s)?(\\d{1,15}ms)?)$';
const RANGE = '^\\s*(all|(>=|<=|>|<|=|==)?\\s*\\d{1,10}|\\d{1,10}\\s*\\.\\.\\s*\\d{1,10})\\s*$';
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CIDR4 = `^(${OCTET}\\.){3}${OCTET}/(3[0-2]|[12]?\\d)$`;

function withDoc(s: Json, doc: string | undefined): Json {
  return doc === undefined ? s : { description: doc, ...s };
}

/** `defs` collects the variants of unions (timeline commands, workload pattern kinds) as `$defs` entries. */
function convert(d: Desc, defs: Json, doc?: string): Json {
  const description = doc ?? d.doc;
  switch (d.t) {
    case 'string': {
      const s: Json = { type: 'string' };
      if (d.enum !== undefined) s.enum = [...d.enum];
      if (d.pattern !== undefined) s.pattern = d.pattern.source;
      if (d.maxLength !== undefined) s.maxLength = d.maxLength;
      if (d.default !== undefined) s.default = d.default;
      return withDoc(s, description);
    }
    case 'int':
    case 'number': {
      const s: Json = { type: d.t === 'int' ? 'integer' : 'number', minimum: d.min, maximum: d.max };
      if (d.default !== undefined) s.default = d.default;
      return withDoc(s, description);
    }
    case 'bool':
      return withDoc(d.default === undefined ? { type: 'boolean' } : { type: 'boolean', default: d.default }, description);
    case 'duration':
      return withDoc({ anyOf: [{ type: 'string', pattern: DURATION }, { const: 0 }], examples: ['250ms', '90s', '5m', '1h30m'] }, description);
    case 'cidr4':
      return withDoc({ type: 'string', pattern: CIDR4, examples: ['10.0.0.0/16'] }, description);
    case 'range':
      return withDoc({ anyOf: [{ type: 'integer', minimum: 0, maximum: 1_000_000_000 }, { type: 'string', pattern: RANGE }], examples: [0, '>=45', '40..50', 'all'] }, description);
    case 'envValue':
      return withDoc({ type: d.nullable ? ['string', 'number', 'boolean', 'null'] : ['string', 'number', 'boolean'] }, description);
    case 'object':
      return objectSchema(d, defs, description);
    case 'map': {
      const value = convert(d.value, defs);
      const s: Json = {
        type: 'object',
        additionalProperties: d.nullableValues ? { anyOf: [value, { type: 'null' }] } : value,
        maxProperties: d.maxEntries,
        propertyNames: d.keyPattern === undefined ? { minLength: 1, maxLength: d.maxKeyLength } : { minLength: 1, maxLength: d.maxKeyLength, pattern: d.keyPattern.source },
      };
      if (d.keys !== undefined) s.propertyNames = { enum: [...d.keys] };
      return withDoc(s, description);
    }
    case 'array': {
      const s: Json = { type: 'array', items: convert(d.items, defs), maxItems: d.maxItems };
      if (d.minItems !== undefined) s.minItems = d.minItems;
      return withDoc(s, description);
    }
    case 'oneOrMany':
      return withDoc({ anyOf: [convert(d.items, defs), { type: 'array', items: convert(d.items, defs), minItems: 1, maxItems: d.maxItems }] }, description);
    case 'union':
      for (const [k, v] of Object.entries(d.variants)) defs[defName(k)] = convert(v, defs);
      return withDoc(
        { type: 'object', required: [d.tag], oneOf: Object.keys(d.variants).map((k) => ({ $ref: `#/$defs/${defName(k)}` })) },
        description,
      );
    case 'any':
      return withDoc({}, description);
  }
}

function objectSchema(d: ObjectDesc, defs: Json, description: string | undefined): Json {
  const properties: Json = {};
  const required: string[] = [];
  for (const [k, f] of Object.entries(d.fields)) {
    properties[k] = convert(f.type, defs, f.doc);
    if (f.required) required.push(k);
  }
  const s: Json = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) s.required = required;
  if (d.exactlyOne !== undefined) s.oneOf = d.exactlyOne.map((k) => ({ required: [k] }));
  return withDoc(s, description);
}

/** `kubectl set env daemonset aws-node` → `kubectl-set-env-daemonset-aws-node`. */
export function defName(command: string): string {
  return command.replace(/[^A-Za-z0-9]+/g, '-');
}

/** The JSON Schema of a format declared in the descriptor language. */
export function jsonSchemaOf(desc: ObjectDesc, meta: { id: string; title: string }): Json {
  const defs: Json = {};
  const body = convert(desc, defs);
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: meta.id, title: meta.title, ...body, $defs: defs };
}

export function scenarioJsonSchema(): Json {
  return jsonSchemaOf(SCENARIO, { id: 'https://github.com/vpc-cni-sim/vpc-cni-sim/schema/scenario.schema.json', title: 'vpc-cni-sim scenario' });
}

export function workloadJsonSchema(): Json {
  return jsonSchemaOf(WORKLOAD, { id: 'https://github.com/vpc-cni-sim/vpc-cni-sim/schema/workload.schema.json', title: 'vpc-cni-sim benchmark workload' });
}

export function scenarioJsonSchemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
}

export function workloadJsonSchemaText(): string {
  return JSON.stringify(workloadJsonSchema(), null, 2) + '\n';
}
