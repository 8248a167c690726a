/**
 * Kubernetes resource quantities as the scheduler reads them: CPU in millicores ("250m", "0.5", "2") and memory in
 * bytes ("128Mi", "1G", "1e3"), and back in the canonical form the API server returns (apimachinery `Quantity.String`:
 * "100m", "2", "70Mi"). Pure; the only rules are the apimachinery suffixes. Not a full `resource.Quantity` (no
 * rounding modes, no decimal-SI memory).
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity as a plain number of base units; undefined when it is not a quantity. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) && q >= 0 ? q : undefined;
  const m = /^\s*([+]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?\s*$/.exec(q);
  if (m === null) return undefined;
  const base = Number(m[1] + (m[2] ?? ''));
  const suffix = m[3] ?? '';
  const mult = BINARY[suffix] ?? DECIMAL[suffix];
  return base * mult;
}

/** CPU in millicores, rounded up as the API server does ("0.1" → 100, "1m" → 1). */
export function parseCpuMilli(q: string | number): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.ceil(v * 1000 - 1e-9);
}

/** Memory in bytes, rounded up. */
export function parseMemoryBytes(q: string | number): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.ceil(v - 1e-9);
}

/** Millicores as the API server writes them back (DecimalSI): whole cores plain ("2"), else millicores ("1930m"). */
export function formatCpuMilli(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes as the API server writes them back (BinarySI): the largest binary suffix that divides them ("70Mi"). */
export function formatMemoryBytes(bytes: number): string {
  for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) if (bytes > 0 && bytes % BINARY[s] === 0) return `${bytes / BINARY[s]}${s}`;
  return String(bytes);
}
