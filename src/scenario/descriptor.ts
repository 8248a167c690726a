/**
 * The tiny descriptor language in which the scenario format is declared once (spec.ts, actions/*.ts). The same
 * declaration drives the loader's structural checks (validate.ts), the published JSON Schema (json-schema.ts) and,
 * through `Infer`, the TypeScript type of what the loader returns (each timeline action's type is inferred from its
 * fields, never written out again). Not a general schema library: only the shapes the scenario format uses.
 */
import type { CountRange } from './range.ts';

export type Desc =
  | StringDesc
  | { t: 'int'; min: number; max: number; doc?: string; default?: number }
  | { t: 'number'; min: number; max: number; doc?: string; default?: number }
  | { t: 'bool'; doc?: string; default?: boolean }
  /** `90s`, `5m`, `1h30m`, `250ms` or 0 → integer ms, within [min, max] ms when given. */
  | { t: 'duration'; min?: number; max?: number; doc?: string }
  | { t: 'cidr4'; doc?: string }
  /** A count or range (`12`, `">=45"`, `"40..50"`, `all`) → CountRange. */
  | { t: 'range'; doc?: string }
  /** An env-style value: string, number or boolean, kept as its text; `null` allowed when `nullable`. */
  | { t: 'envValue'; nullable?: boolean; doc?: string }
  | ObjectDesc
  | MapDesc
  | { t: 'array'; items: Desc; minItems?: number; maxItems: number; doc?: string }
  /** Objects told apart by the exact string in field `tag` (the timeline's `run:`); `what` names a tag value in messages. */
  | { t: 'union'; tag: string; what: string; variants: Record<string, ObjectDesc>; doc?: string }
  /** Either a single value or a list of them. */
  | { t: 'oneOrMany'; items: Desc; maxItems: number; doc?: string }
  /** Free-form YAML (a Kubernetes manifest), checked only for size by the reader. */
  | { t: 'any'; doc?: string };

export interface StringDesc<E extends string = string> {
  t: 'string';
  doc?: string;
  enum?: readonly E[];
  pattern?: RegExp;
  /** What the pattern means, for messages ("a subnet id like subnet-a1"). */
  patternDoc?: string;
  maxLength?: number;
  default?: string;
}

export interface MapDesc {
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

export interface Field<D extends Desc = Desc, R extends boolean = boolean> {
  type: D;
  required?: R;
  doc: string;
}

export interface ObjectDesc<F extends Record<string, Field> = Record<string, Field>> {
  t: 'object';
  fields: F;
  /** Exactly one of these fields must be present. */
  exactlyOne?: readonly string[];
  doc?: string;
}

export const str = <const E extends string = string>(doc: string, more: Omit<StringDesc<E>, 't' | 'doc'> = {}): StringDesc<E> => ({ t: 'string', doc, maxLength: 256, ...more });
export const req = <const D extends Desc>(type: D, doc: string): Field<D, true> => ({ type, required: true, doc });
export const opt = <const D extends Desc>(type: D, doc: string): Field<D, false> => ({ type, doc });
export const obj = <const F extends Record<string, Field>>(fields: F, extra: Pick<ObjectDesc, 'exactlyOne' | 'doc'> = {}): ObjectDesc<F> => ({ t: 'object', fields, ...extra });

/** The value the loader returns for a descriptor (durations as ms, counts as CountRange). */
export type Infer<D> = D extends StringDesc<infer E>
  ? string extends E
    ? string
    : E
  : D extends { t: 'int' | 'number' | 'duration' }
    ? number
    : D extends { t: 'bool' }
      ? boolean
      : D extends { t: 'cidr4' }
        ? string
        : D extends { t: 'range' }
          ? CountRange
          : D extends { t: 'envValue'; nullable: true }
            ? string | null
            : D extends { t: 'envValue' }
              ? string
              : D extends ObjectDesc<infer F>
                ? InferFields<F>
                : D extends { t: 'map'; value: infer V; nullableValues: true }
                  ? Record<string, Infer<V> | null>
                  : D extends { t: 'map'; value: infer V }
                    ? Record<string, Infer<V>>
                    : D extends { t: 'array' | 'oneOrMany'; items: infer I }
                      ? Infer<I>[]
                      : unknown;

type RequiredKeys<F> = { [K in keyof F]: F[K] extends { required?: true } ? K : never }[keyof F];

/** An object's fields: required ones present, the rest optional. */
export type InferFields<F> = { [K in RequiredKeys<F>]: Infer<F[K] extends Field<infer D> ? D : never> } & {
  [K in Exclude<keyof F, RequiredKeys<F>>]?: Infer<F[K] extends Field<infer D> ? D : never>;
};
