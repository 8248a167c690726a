/**
 * ipamd's Prometheus metrics (spec §10 "Metrics", utils/prometheusmetrics/prometheusmetrics.go): the awscni_* names,
 * help texts, labels and kinds the model keeps, as plain counters and gauges, rendered in the Prometheus text
 * exposition format 0.0.4 as client_golang's registry serves it on :61678/metrics: families sorted by name, `# HELP`
 * then `# TYPE`, label pairs sorted by name with `\`, `"` and newline escaped. A plain `prometheus.NewCounter` or
 * `NewGauge` always has its one series (0 until set); a `…Vec` family has no series, and so no lines at all, until a
 * label set is first used. Not kept: the histograms, summaries and per-CIDR/per-ENI gauges, and the go_ and process_
 * families the default registry adds. Not here: when they change (ipamd.ts and the EC2 wrapper bump them).
 */

type Labels = Record<string, string>;

/** One family's series by label string. */
type SeriesMap = Map<string, { labels: Labels; value: number }>;

/** `vec`: declared with label names (`prometheus.New…Vec`), so absent until a label set is used. */
const FAMILIES: Record<string, { help: string; type: 'counter' | 'gauge'; vec: boolean }> = {
  awscni_add_ip_req_count: { help: 'The number of add IP address requests', type: 'counter', vec: false },
  awscni_assigned_ip_addresses: { help: 'The number of IP addresses assigned to pods', type: 'gauge', vec: false },
  awscni_aws_api_error_count: { help: 'The number of times AWS API returns an error', type: 'counter', vec: true },
  awscni_del_ip_req_count: { help: 'The number of delete IP address requests', type: 'counter', vec: true },
  awscni_ec2api_req_count: { help: 'The number of requests made to EC2 APIs by CNI', type: 'counter', vec: true },
  awscni_eni_allocated: { help: 'The number of ENIs allocated', type: 'gauge', vec: false },
  awscni_eni_max: { help: 'The maximum number of ENIs that can be attached to the instance, accounting for unmanaged ENIs', type: 'gauge', vec: false },
  awscni_force_removed_enis: { help: 'The number of ENIs force removed while they had assigned pods', type: 'counter', vec: false },
  awscni_force_removed_ips: { help: 'The number of IPs force removed while they had assigned pods', type: 'counter', vec: false },
  awscni_ip_max: { help: 'The maximum number of IP addresses that can be allocated to the instance', type: 'gauge', vec: false },
  awscni_ipamd_action_inprogress: { help: 'The number of ipamd actions in progress', type: 'gauge', vec: true },
  awscni_no_available_ip_addresses: { help: 'The number of pod IP assignments that fail due to no available IP addresses', type: 'counter', vec: false },
  awscni_total_ip_addresses: { help: 'The total number of IP addresses', type: 'gauge', vec: false },
  awscni_total_ipv4_prefixes: { help: 'The total number of IPv4 prefixes', type: 'gauge', vec: false },
};

export type MetricName = keyof typeof FAMILIES;

/** "k1=v1,k2=v2" with the names sorted; every CNI ADD and DEL and EC2 call builds one, mostly of one label or none. */
function labelKey(l: Labels): string {
  let only = '';
  let n = 0;
  for (const k in l) {
    if (++n > 1) break;
    only = `${k}=${l[k]}`;
  }
  if (n <= 1) return only;
  return Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',');
}

/** The label set of unlabelled series (never changed). */
const NO_LABELS: Labels = Object.freeze({});

export class Metrics {
  /** The series of each family that has one, made at its first (every node has a Metrics; most families stay empty). */
  private readonly families = new Map<MetricName, SeriesMap>();

  inc(name: MetricName, labels: Labels = NO_LABELS, by = 1): void {
    const s = this.series(name, labels);
    s.value += by;
  }

  set(name: MetricName, value: number, labels: Labels = NO_LABELS): void {
    this.series(name, labels).value = value;
  }

  get(name: MetricName, labels: Labels = NO_LABELS): number {
    return this.families.get(name)?.get(labelKey(labels))?.value ?? 0;
  }

  /** The live series of a name and label set, for callers that bump it on every pod (no lookup per bump). */
  series(name: MetricName, labels: Labels = NO_LABELS): { value: number } {
    let f = this.families.get(name);
    if (f === undefined) this.families.set(name, (f = new Map()));
    const k = labelKey(labels);
    let s = f.get(k);
    if (s === undefined) {
      s = { labels, value: 0 };
      f.set(k, s);
    }
    return s;
  }

  /** Prometheus text exposition (families sorted by name, series by label string; empty `…Vec` families left out). */
  text(): string {
    const out: string[] = [];
    for (const name of Object.keys(FAMILIES).sort()) {
      const f = FAMILIES[name];
      const series = [...(this.families.get(name)?.entries() ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      if (series.length === 0 && f.vec) continue;
      out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
      if (series.length === 0) out.push(`${name} 0`);
      for (const [, s] of series) {
        const keys = Object.keys(s.labels).sort();
        const l = keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabel(s.labels[k])}"`).join(',')}}`;
        out.push(`${name}${l} ${goFloat(s.value)}`);
      }
    }
    return out.join('\n') + '\n';
  }
}

/** A label value in the text format: backslash, double quote and line feed escaped (`\\`, `\"`, `\n`). */
function escapeLabel(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * A sample value as expfmt writes it (`strconv.AppendFloat(v, 'g', -1, 64)`): shortest digits, exponent form with a
 * two-digit exponent from 1e+06 up or below 1e-04 ("1.5e+06"), plain otherwise ("1500").
 */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  // the decimal exponent of the shortest digits, as Go's ftoa takes it (digs.dp - 1), read off toExponential rather
  // than Math.log10, whose rounding the language leaves to each engine
  const [mant, e] = v.toExponential().split('e');
  const n = Number(e);
  if (n < -4 || n >= 6) {
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(v);
}
