/**
 * Kubernetes equality-based label selectors as `kubectl -l` takes them: `app=inflate`, `app==inflate`,
 * `tier!=web`, `app` (key exists), `!app` (key absent), comma-separated (all must hold). Not set-based selectors.
 */

type Term = { key: string; op: '=' | '!=' | 'exists' | '!exists'; value: string };

export function parseSelector(text: string): Term[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t): Term => {
      const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(t);
      if (m !== null) return { key: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() };
      if (t.startsWith('!')) return { key: t.slice(1).trim(), op: '!exists', value: '' };
      return { key: t, op: 'exists', value: '' };
    });
}

export function matchesSelector(labels: Record<string, string>, selector: string | undefined): boolean {
  if (selector === undefined) return true;
  return parseSelector(selector).every((t) => {
    const has = Object.prototype.hasOwnProperty.call(labels, t.key);
    switch (t.op) {
      case '=':
        return has && labels[t.key] === t.value;
      case '!=':
        return !has || labels[t.key] !== t.value;
      case 'exists':
        return has;
      case '!exists':
        return !has;
    }
  });
}
