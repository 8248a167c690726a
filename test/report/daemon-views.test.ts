/**
 * The daemon's own views in their real shapes, golden against the shapes of the real source (amazon-vpc-cni-k8s at
 * b52188387f2e):
 * - `/v1/enis`: pkg/ipamd/introspect.go `eniV1RequestHandler` marshals `map[int]*datastore.ENIInfos` with
 *   encoding/json — compact, map keys sorted, struct fields in declaration order (pkg/ipamd/datastore/data_store.go
 *   `ENIInfos`, `ENI`, `CidrInfo`, `AddressInfo`, `IPAMKey`, `IPAMMetadata` with omitempty), ContainerID and IfName
 *   scrubbed, `time.Time` as RFC3339Nano, net.IPMask as base64.
 * - `/v1/networkutils-env-settings` and `/v1/ipamd-env-settings`: the `GetConfigForDebug` maps of
 *   pkg/networkutils/network.go and pkg/ipamd/ipamd.go, keys sorted.
 * - metrics: utils/prometheusmetrics/prometheusmetrics.go names and help, in the Prometheus text exposition format
 *   0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/): HELP, TYPE, sorted label pairs, escapes;
 *   `…Vec` families print nothing until a label set is used.
 * - ipamd.log: pkg/utils/logger/zaplogger.go, zap's production JSON encoder with ISO8601 time: level, ts, caller, msg.
 */
import { describe, expect, it } from 'vitest';
import { Metrics, goFloat } from '../../src/model/ipamd/metrics.ts';
import { goJson } from '../../src/report/go-json.ts';
import { ipamdLogEntry, ipamdLogLine } from '../../src/report/ipamd-log.ts';
import { renderViews } from '../../src/report/view-text.ts';
import { loadScenario } from '../../src/cli/scenario-file.ts';
import { runReport } from '../support/report.ts';
import { freshNode } from '../ipamd/helpers.ts';

describe('/v1/enis as curl prints it', () => {
  it('is the golden shape for one ENI with one assigned and one never-used address', () => {
    const n = freshNode({ instanceType: 't3.medium', env: { WARM_ENI_TARGET: '0', WARM_IP_TARGET: '2' } });
    n.addPod('web-0');
    const eni = [...n.ipamd.datastoreView!().enis.values()][0];
    const cidrs = [...eni.cidrs.values()].sort((a, b) => (a.cidr < b.cidr ? -1 : 1));
    expect(cidrs.length).toBe(2);
    const used = [...cidrs.flatMap((c) => [...c.addresses.values()])];
    expect(used.length).toBe(1); // an address enters IPAddresses when first assigned, as in the real datastore
    const at = new Date(Date.UTC(2025, 0, 1) + used[0].assignedAt!).toISOString().replace(/\.?0*Z$/, 'Z'); // RFC3339Nano
    const cidrJson = (c: (typeof cidrs)[number]) => {
      const ip = c.cidr.replace('/32', '');
      const addresses =
        c.addresses.size === 0
          ? '{}'
          : `{"${ip}":{"Address":"${ip}","IPAMKey":{"networkName":"aws-cni","containerID":"","ifName":""},` +
            `"IPAMMetadata":{"k8sPodNamespace":"default","k8sPodName":"web-0","interfacesCount":1},"AssignedTime":"${at}","UnassignedTime":"0001-01-01T00:00:00Z"}}`;
      return `"${c.cidr}":{"Cidr":{"IP":"${ip}","Mask":"/////w=="},"IPAddresses":${addresses},"IsPrefix":false,"AddressFamily":""}`;
    };
    const golden =
      `{"0":{"TotalIPs":2,"AssignedIPs":1,"ENIs":{"${eni.id}":{"ID":"${eni.id}","IsPrimary":true,"IsTrunk":false,"IsEFA":false,"DeviceNumber":0,` +
      `"AvailableIPv4Cidrs":{${cidrs.map(cidrJson).join(',')}},"IPv6Cidrs":{},"IsExcludedForPodIPs":false,"RouteTableID":254,"SubnetID":"${eni.subnetId}"}}}}`;
    expect(goJson(n.ipamd.introspect!('/v1/enis'))).toBe(golden);
  });

  it('escapes <, > and & as Go does and writes maps in sorted key order', () => {
    expect(goJson({ a: '<b>&' })).toBe('{"a":"\\u003cb\\u003e\\u0026"}');
    const n = freshNode({ instanceType: 'm5.large', env: { WARM_IP_TARGET: '20' } });
    const enis = (n.ipamd.introspect!('/v1/enis') as Record<string, { ENIs: Record<string, { AvailableIPv4Cidrs: Record<string, unknown> }> }>)['0'].ENIs;
    for (const e of Object.values(enis)) {
      const keys = Object.keys(e.AvailableIPv4Cidrs);
      expect(keys).toEqual([...keys].sort());
    }
  });
});

describe('the env-settings endpoints', () => {
  it('/v1/networkutils-env-settings has the eight GetConfigForDebug values with the real defaults', () => {
    const n = freshNode({ instanceType: 'm5.large' });
    expect(goJson(n.ipamd.introspect!('/v1/networkutils-env-settings'))).toBe(
      '{"AWS_EXTERNAL_SERVICE_CIDRS":null,"AWS_VPC_CNI_NODE_PORT_SUPPORT":true,"AWS_VPC_ENI_MTU":9001,"AWS_VPC_K8S_CNI_CONNMARK":128,' +
        '"AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS":null,"AWS_VPC_K8S_CNI_EXTERNALSNAT":false,"AWS_VPC_K8S_CNI_RANDOMIZESNAT":2,"AWS_VPC_K8S_CNI_VETHPREFIX":"eni"}',
    );
  });
  it('reads its settings from the env as the real parsers do', () => {
    const n = freshNode({
      instanceType: 'm5.large',
      env: { AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: '10.1.2.3/16, bad, 192.168.0.0/24', AWS_VPC_K8S_CNI_CONNMARK: '0x100', AWS_VPC_K8S_CNI_RANDOMIZESNAT: 'none', AWS_VPC_K8S_CNI_EXTERNALSNAT: 'yes' },
    });
    const v = n.ipamd.introspect!('/v1/networkutils-env-settings') as Record<string, unknown>;
    expect(v.AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS).toEqual(['10.1.0.0/16', '192.168.0.0/24']);
    expect(v.AWS_VPC_K8S_CNI_CONNMARK).toBe(256);
    expect(v.AWS_VPC_K8S_CNI_RANDOMIZESNAT).toBe(0);
    expect(v.AWS_VPC_K8S_CNI_EXTERNALSNAT).toBe(false); // "yes" is no Go bool: the default
  });
  it('/v1/ipamd-env-settings keys are in Go map order, and an unknown path answers as / does', () => {
    const n = freshNode({ instanceType: 'm5.large', env: { WARM_IP_TARGET: '3' } });
    expect(goJson(n.ipamd.introspect!('/v1/ipamd-env-settings'))).toBe(
      '{"AWS_MANAGE_ENIS_NON_SCHEDULABLE":false,"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":false,"ENABLE_SUBNET_DISCOVERY":true,"WARM_ENI_TARGET":1,"WARM_IP_TARGET":3}',
    );
    expect(n.ipamd.introspect!('/v2/nothing')).toEqual(n.ipamd.introspect!('/'));
  });
});

describe('metrics exposition', () => {
  it('prints plain families always, …Vec families only once used, labels sorted and escaped', () => {
    const m = new Metrics();
    m.inc('awscni_aws_api_error_count', { error: 'a"b\\c\nd', api: 'CreateNetworkInterface' });
    m.set('awscni_total_ip_addresses', 1_500_000);
    const text = m.text();
    expect(text).toContain(
      '# HELP awscni_aws_api_error_count The number of times AWS API returns an error\n# TYPE awscni_aws_api_error_count counter\n' +
        'awscni_aws_api_error_count{api="CreateNetworkInterface",error="a\\"b\\\\c\\nd"} 1\n',
    );
    expect(text).toContain('# HELP awscni_add_ip_req_count The number of add IP address requests\n# TYPE awscni_add_ip_req_count counter\nawscni_add_ip_req_count 0\n');
    expect(text).toContain('awscni_total_ip_addresses 1.5e+06\n');
    expect(text).not.toContain('awscni_del_ip_req_count'); // a CounterVec with no series
    expect(text).not.toContain('awscni_ec2api_req_count');
    const names = [...text.matchAll(/^# HELP (\S+)/gm)].map((x) => x[1]);
    expect(names).toEqual([...names].sort());
  });
  it('writes values as strconv.FormatFloat(v, g, -1, 64)', () => {
    expect([0, 7, 999999, 1e6, 1234567, 0.5, 0.00001].map(goFloat)).toEqual(['0', '7', '999999', '1e+06', '1.234567e+06', '0.5', '1e-05']);
  });
});

describe('run views at --until', () => {
  const r = runReport(loadScenario('scenarios/inflate-exhaustion.yaml'), {
    until: 150_000,
    views: [
      { kind: 'introspect', node: 'ip-10-0-0-147', path: '/v1/enis' },
      { kind: 'metrics', node: 'ip-10-0-0-147' },
      { kind: 'ipamd-log', node: 'i-00000000000000002' },
    ],
  });

  it('answer for the node named by short name or instance id, at the time asked', () => {
    expect(r.views.map((v) => (v.kind === 'introspect' || v.kind === 'metrics' || v.kind === 'ipamd-log' ? v.node : ''))).toEqual(Array(3).fill('ip-10-0-0-147.us-west-2.compute.internal'));
    const intro = r.views[0] as { body: Record<string, { AssignedIPs: number }> };
    const metrics = (r.views[1] as { text: string }).text;
    expect(metrics).toMatch(new RegExp(`^awscni_assigned_ip_addresses ${intro.body['0'].AssignedIPs}$`, 'm'));
    const log = r.views[2] as { entries: { ts: string }[] };
    expect(log.entries.length).toBeGreaterThan(0);
    expect(log.entries.every((e) => e.ts <= '2025-01-01T00:02:30.000Z')).toBe(true);
  });

  it('print as the real tools do, with a tail-style header each when there are several', () => {
    const text = renderViews(r.views, r.time);
    expect(text.startsWith('==> ip-10-0-0-147.us-west-2.compute.internal: curl -s localhost:61679/v1/enis <==\n{"0":{"TotalIPs":')).toBe(true);
    expect(text).toContain('==> ip-10-0-0-147.us-west-2.compute.internal: curl -s localhost:61678/metrics | grep awscni_ <==\n# HELP awscni_add_ip_req_count');
    expect(renderViews([r.views[0]], r.time)).toBe(goJson((r.views[0] as { body: unknown }).body) + '\n');
  });

  it('ipamd.log lines are zap JSON: level, ts, caller, msg in that order', () => {
    const lines = renderViews([r.views[2]], r.time).trimEnd().split('\n');
    for (const l of lines) {
      const o = JSON.parse(l) as Record<string, string>;
      expect(Object.keys(o)).toEqual(['level', 'ts', 'caller', 'msg']);
      expect(o.level).toMatch(/^(debug|info|warn|error)$/);
      expect(o.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(o.caller).toMatch(/^[a-z0-9-]+\/[a-z_]+\.go:\d+$/);
    }
    expect(ipamdLogLine(ipamdLogEntry({ t: 2_500, node: 'n', kind: 'eni-create', message: 'attached eni-1' }))).toBe(
      '{"level":"info","ts":"2025-01-01T00:00:02.500Z","caller":"awsutils/awsutils.go:1018","msg":"attached eni-1"}',
    );
  });
});
