/**
 * How each tool prints the objects `run --export` writes, byte for byte:
 * - the AWS CLI's `--output json` (awscli/formatter.py `JSONFormatter`): `json.dump(response, indent=4,
 *   ensure_ascii=False)` then a newline — Python's separators with an indent are `,` and `: `, empty containers
 *   `[]` / `{}`, non-ASCII written as it is, keys in the order the response dict has them (the caller's);
 * - kubectl's `-o json` (k8s.io/cli-runtime/pkg/printers/json.go): `json.MarshalIndent(obj, "", "    ")` then a
 *   newline; `kubectl get` objects are unstructured maps, so Go writes every key sorted, and escapes `<`, `>`, `&`,
 *   U+2028 and U+2029 (encoding/json's HTML-safe default);
 * - kubectl's `-o yaml` (printers/yaml.go: sigs.k8s.io/yaml, i.e. the JSON through go-yaml v2): keys sorted, block
 *   sequences not indented under their key, strings quoted only where plain would read as another type.
 * Formatting only; the shapes are aws-shapes.ts, eks-shapes.ts and k8s-shapes.ts.
 */
import { stringify } from 'yaml';
import { goJsonEscape } from '../go-json.ts';

export function awsCliJson(v: unknown): string {
  return `${JSON.stringify(v, null, 4)}\n`;
}

/** Every object's keys sorted (byte order, as Go sorts map keys); arrays keep their order. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = sortedKeys((v as Record<string, unknown>)[k]);
  return out;
}

export function kubectlJson(v: unknown): string {
  return `${goJsonEscape(JSON.stringify(sortedKeys(v), null, 4))}\n`;
}

export function kubectlYaml(v: unknown): string {
  return stringify(sortedKeys(v), { indentSeq: false, lineWidth: 0, minContentWidth: 0 });
}

/** `kubectl get <kind> -o json|yaml` of several objects: the `List` kubectl wraps them in. */
export function kubectlList(items: readonly unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
