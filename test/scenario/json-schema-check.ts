/**
 * A tiny JSON Schema checker covering exactly the keywords schema/scenario.schema.json uses (type, enum, const,
 * pattern, minimum/maximum, maxLength, min/maxItems, maxProperties, properties, required, additionalProperties,
 * propertyNames, items, anyOf, oneOf, $ref into $defs). Enough to prove the shipped scenarios validate against the
 * published schema without adding a dependency. Returns the paths that fail.
 */
type Schema = Record<string, any> | boolean;

export function validateJson(root: Record<string, any>, value: unknown): string[] {
  const errors: string[] = [];
  validateAt(root, root, value, '', errors);
  return errors;
}

function validateAt(root: Record<string, any>, schema: Schema, value: unknown, at: string, errors: string[]): void {
  const check = (s: Schema, v: unknown, path: string): boolean => {
    let ok = true;
    const fail = (p: string, why: string): boolean => {
      errors.push(`${p || '/'}: ${why}`);
      ok = false;
      return false;
    };
    if (s === true) return true;
    if (s === false) return fail(path, 'false schema');
    if (s.$ref !== undefined) return check(root.$defs[String(s.$ref).replace('#/$defs/', '')], v, path);
    if (s.type !== undefined) {
      const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
      const actual = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;
      if (!types.some((t) => t === actual || (t === 'number' && actual === 'integer'))) return fail(path, `type ${actual}, want ${types.join('|')}`);
    }
    if (s.const !== undefined && v !== s.const) return fail(path, `want ${JSON.stringify(s.const)}`);
    if (s.enum !== undefined && !s.enum.includes(v)) return fail(path, `${JSON.stringify(v)} not in enum`);
    if (typeof v === 'string') {
      if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) fail(path, `"${v}" !~ ${s.pattern}`);
      if (s.maxLength !== undefined && v.length > s.maxLength) fail(path, 'too long');
      if (s.minLength !== undefined && v.length < s.minLength) fail(path, 'too short');
    }
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum) fail(path, `${v} < ${s.minimum}`);
      if (s.maximum !== undefined && v > s.maximum) fail(path, `${v} > ${s.maximum}`);
    }
    if (Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems) fail(path, 'too few items');
      if (s.maxItems !== undefined && v.length > s.maxItems) fail(path, 'too many items');
      if (s.items !== undefined) v.forEach((x, i) => check(s.items, x, `${path}/${i}`) || (ok = false));
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const r of s.required ?? []) if (!(r in o)) fail(path, `missing ${r}`);
      if (s.maxProperties !== undefined && Object.keys(o).length > s.maxProperties) fail(path, 'too many properties');
      for (const [k, x] of Object.entries(o)) {
        if (s.propertyNames !== undefined) check(s.propertyNames, k, `${path}/${k}(name)`) || (ok = false);
        if (s.properties?.[k] !== undefined) check(s.properties[k], x, `${path}/${k}`) || (ok = false);
        else if (s.additionalProperties !== undefined) check(s.additionalProperties, x, `${path}/${k}`) || (ok = false);
      }
    }
    const quiet = (sub: Schema): boolean => {
      const sink: string[] = [];
      validateAt(root, sub, v, path, sink);
      return sink.length === 0;
    };
    if (s.anyOf !== undefined && !s.anyOf.some(quiet)) fail(path, 'matches no anyOf branch');
    if (s.oneOf !== undefined) {
      const n = s.oneOf.filter(quiet).length;
      if (n !== 1) fail(path, `matches ${n} oneOf branches`);
    }
    return ok;
  };
  check(schema, value, at);
}
