/**
 * A value as Go's `json.Marshal` writes it, for the daemon's introspection endpoints: compact (no spaces, no newline),
 * with `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` … (encoding/json's HTML-safe default). Key order is the
 * caller's: the introspection builders (src/model/ipamd/introspect.ts) insert map keys sorted, as Go writes maps, and
 * struct fields in declaration order.
 */

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export function goJson(v: unknown): string {
  return goJsonEscape(JSON.stringify(v));
}

/** JSON text with encoding/json's HTML-safe escapes applied (also for indented output: `json.MarshalIndent`). */
export function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c]);
}
