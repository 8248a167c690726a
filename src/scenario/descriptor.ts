/**
 * The tiny descriptor language in which the scenario format is declared once (spec.ts). The same declaration drives
 * the loader's structural checks (validate.ts) and the published JSON Schema (json-schema.ts), so the two cannot
 * drift. Not a general schema library: only the shapes the scenario format uses.
 */

export type Desc =
  | StringDesc
  | { t: 'int'; min: number; max: number; doc?: string; default?: number }
  | { t: 'number'; min: number; max: number; doc?: string; default?: number }
  | { t: 'bool'; doc?: string; default?: boolean }
  /** `90s`, `5m`, `1h30m`, `250ms` or 0 → integer ms. */
  | { t: 'duration'; doc?: string }
  | { t: 'cidr4'; doc?: string }
  /** A count or range (`12`, `">=45"`, `"40..50"`, `all`) → CountRange. */
  | { t: 'range'; doc?: string }
  /** An env-style value: string, number or boolean, kept as its text; `null` allowed when `nullable`. */
  | { t: 'envValue'; nullable?: boolean; doc?: string }
  | ObjectDesc
  | {
      t: 'map';
      value: Desc;
      keyPattern?: RegExp;
      keyDoc?: string;
      /** The only keys allowed (unknown ones get a "did you mean"). */
      keys?: readonly string[];
      maxEntries: number;
      maxKeyLength: number;
      /** `null` values allowed (they mean "remove"). */
      nullableValues?: boolean;
      doc?: string;
    }
  | { t: 'array'; items: Desc; minItems?: number; maxItems: number; doc?: string }
  /** Objects told apart by the exact string in field `tag` (the timeline's `run:`). */
  | { t: 'union'; tag: string; variants: Record<string, ObjectDesc>; doc?: string }
  /** Either a single value or a list of them. */
  | { t: 'oneOrMany'; items: Desc; maxItems: number; doc?: string }
  /** Free-form YAML (a Kubernetes manifest), checked only for size by the reader. */
  | { t: 'any'; doc?: string };

export interface StringDesc {
  t: 'string';
  doc?: string;
  enum?: readonly string[];
  pattern?: RegExp;
  /** What the pattern means, for messages ("a subnet id like subnet-a1"). */
  patternDoc?: string;
  maxLength?: number;
  default?: string;
}

export interface Field {
  type: Desc;
  required?: boolean;
  doc: string;
}

export interface ObjectDesc {
  t: 'object';
  fields: Record<string, Field>;
  /** Exactly one of these fields must be present. */
  exactlyOne?: readonly string[];
  doc?: string;
}

export const str = (doc: string, more: Omit<StringDesc, 't' | 'doc'> = {}): StringDesc => ({ t: 'string', doc, maxLength: 256, ...more });
export const req = (type: Desc, doc: string): Field => ({ type, required: true, doc });
export const opt = (type: Desc, doc: string): Field => ({ type, doc });
export const obj = (fields: Record<string, Field>, extra: Partial<ObjectDesc> = {}): ObjectDesc => ({ t: 'object', fields, ...extra });
