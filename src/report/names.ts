/**
 * Finding what a `--describe`, `--introspect`, `--metrics` or `--ipamd-log` flag names among the objects that exist
 * at the end of the run: an exact name, else (as `kubectl describe` does) every name starting with it; nodes also by
 * their short name (`ip-10-0-0-109`) or instance id. A name that matches nothing is one line naming the flag, with
 * "did you mean" and a few names that do exist (exit 2). Not here: what is shown for the object (describe.ts, views.ts).
 */
import { InputError } from '../util/input-error.ts';
import { nearest } from '../util/suggest.ts';

export interface Named {
  name: string;
  /** Other names the object answers to exactly (a node's short name and instance id). */
  aliases?: readonly string[];
}

/**
 * The objects `query` names: an exact match (name or alias), else all whose name or an alias starts with it.
 * `single`: more than one match is an error listing them (a node view shows one node).
 */
export function resolveNames<T extends Named>(flag: string, resource: string, query: string, objects: readonly T[], single = false): T[] {
  const exact = objects.filter((o) => o.name === query || (o.aliases ?? []).includes(query));
  if (exact.length > 0) return exact.slice(0, single ? 1 : exact.length);
  const prefixed = objects.filter((o) => o.name.startsWith(query) || (o.aliases ?? []).some((a) => a.startsWith(query)));
  if (prefixed.length === 1 || (prefixed.length > 1 && !single)) return prefixed;
  if (prefixed.length > 1) {
    const list = prefixed.slice(0, 4).map((o) => o.aliases?.[0] ?? o.name);
    throw new InputError({ field: flag }, `"${query}" matches ${prefixed.length} ${resource}s (${list.join(', ')}${prefixed.length > 4 ? ', …' : ''}); give one`);
  }
  const all = objects.flatMap((o) => [o.name, ...(o.aliases ?? [])]);
  const near = nearest(query, all);
  const hint = near.length > 0 ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : '';
  const some = objects.length === 0 ? `there are no ${resource}s` : `${objects.length} ${resource}${objects.length === 1 ? '' : 's'}, e.g. ${objects.slice(0, 3).map((o) => o.aliases?.[0] ?? o.name).join(', ')}`;
  throw new InputError({ field: flag }, `no ${resource} named "${query}" at the end of the run${hint}; ${some}`);
}
