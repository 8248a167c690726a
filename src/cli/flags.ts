/**
 * Flag parsing for every command: node's parseArgs in strict mode, with its errors turned into InputError
 * so an unknown or malformed flag is one clear line and exit 2.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearest } from '../util/suggest.ts';
import { InputError } from '../util/input-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--seed -1` → `--seed=-1`: parseArgs takes a value starting with `-` for an option ("argument is ambiguous"); a
 * negative number after a flag that takes a value is that flag's value, and the flag's own check then says what is
 * wrong with it.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < argv.length && /^-\d/.test(argv[i + 1])) {
      out.push(`${a}=${argv[++i]}`);
    } else out.push(a);
  }
  return out;
}

export function parseFlags<O extends Options>(argv: string[], options: O, command: string) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const flag = /'(-{1,2}[^' ]+)/.exec(msg)?.[1];
    if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag !== undefined) {
      const known = Object.keys(options).map((o) => `--${o}`);
      const near = nearest(flag, known);
      const hint = near.length > 0 ? `did you mean ${near.join(' or ')}?` : `known: ${known.join(', ')}`;
      throw new InputError({ field: flag }, `unknown option for ${command} (${hint})`);
    }
    throw new InputError({ field: flag }, `${command}: ${msg.split('\n')[0]}`);
  }
}

/** A whole number within [min, max], or an InputError naming the flag. */
export function intFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(value.trim())) throw new InputError({ field: flag }, `expected a whole number, got "${value}"`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError({ field: flag }, `must be between ${min} and ${max}, got ${value}`);
  }
  return n;
}

/** One of the allowed words, or an InputError naming the flag. */
export function enumFlag<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], dflt: T): T {
  if (value === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError({ field: flag }, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}
