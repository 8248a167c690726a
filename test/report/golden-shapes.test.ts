/**
 * Whole-output goldens of two layouts, from records built by hand so every character is checked:
 * - `kubectl describe pod` of a pod stuck in ContainerCreating — the field order, names and tabwriter padding of
 *   k8s.io/kubectl/pkg/describe/describe.go `describePod` / `describeContainers` / `describeContainerState`
 *   (kubectl 1.29: PodReadyToStartContainers condition), with the Events table and our chain after it;
 * - the `awscni_*` exposition of a fresh daemon's metrics — utils/prometheusmetrics/prometheusmetrics.go families
 *   in the Prometheus text format 0.0.4 as client_golang's registry writes them (sorted families, HELP then TYPE,
 *   plain families always present, `…Vec` families only once used).
 */
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/model/ipamd/metrics.ts';
import { describePodText } from '../../src/report/describe-text.ts';
import type { PodDescribe } from '../../src/report/view-types.ts';

describe('golden: kubectl describe pod', () => {
  it('lays out a pod stuck in ContainerCreating exactly', () => {
    const d: PodDescribe = {
      name: 'inflate-6d4b5c8f9-x7k2p',
      namespace: 'default',
      node: 'ip-10-0-0-109.us-west-2.compute.internal',
      nodeIp: '10.0.0.109',
      startTime: 120_000,
      labels: { app: 'inflate', 'pod-template-hash': '6d4b5c8f9' },
      status: 'Pending',
      controlledBy: 'ReplicaSet/inflate-6d4b5c8f9',
      containers: [{ name: 'inflate', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.7', state: 'Waiting', reason: 'ContainerCreating', ready: false, restartCount: 0 }],
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'False' },
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False' },
        { type: 'ContainersReady', status: 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      qosClass: 'BestEffort',
      hostNetwork: false,
      events: 'Events:\n  Type    Reason     Age   From               Message\n  ----    ------     ----  ----               -------\n  Normal  Scheduled  2m    default-scheduler  Successfully assigned default/inflate-6d4b5c8f9-x7k2p to ip-10-0-0-109.us-west-2.compute.internal',
      why: { pod: 'inflate-6d4b5c8f9-x7k2p', namespace: 'default', status: 'ContainerCreating', cause: 'subnet empty', chain: ['default/inflate-6d4b5c8f9-x7k2p is ContainerCreating', 'cause: subnet empty'] },
    };
    expect(describePodText(d, 240_000)).toBe(
      [
        'Name:             inflate-6d4b5c8f9-x7k2p',
        'Namespace:        default',
        'Priority:         0',
        'Service Account:  default',
        'Node:             ip-10-0-0-109.us-west-2.compute.internal/10.0.0.109',
        'Start Time:       Wed, 01 Jan 2025 00:02:00 +0000',
        'Labels:           app=inflate',
        '                  pod-template-hash=6d4b5c8f9',
        'Annotations:      <none>',
        'Status:           Pending',
        'IP:               ',
        'IPs:              <none>',
        'Controlled By:    ReplicaSet/inflate-6d4b5c8f9',
        'Containers:',
        '  inflate:',
        '    Container ID:   ',
        '    Image:          public.ecr.aws/eks-distro/kubernetes/pause:3.7',
        '    Image ID:       ',
        '    Port:           <none>',
        '    Host Port:      <none>',
        '    State:          Waiting',
        '      Reason:       ContainerCreating',
        '    Ready:          False',
        '    Restart Count:  0',
        '    Environment:    <none>',
        '    Mounts:         <none>',
        'Conditions:',
        '  Type                        Status',
        '  PodReadyToStartContainers   False ',
        '  Initialized                 True ',
        '  Ready                       False ',
        '  ContainersReady             False ',
        '  PodScheduled                True ',
        'Volumes:                      <none>',
        'QoS Class:                    BestEffort',
        'Node-Selectors:               <none>',
        'Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
        '                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
        'Events:',
        '  Type    Reason     Age   From               Message',
        '  ----    ------     ----  ----               -------',
        '  Normal  Scheduled  2m    default-scheduler  Successfully assigned default/inflate-6d4b5c8f9-x7k2p to ip-10-0-0-109.us-west-2.compute.internal',
        '',
        'Why it is not Running:',
        '  default/inflate-6d4b5c8f9-x7k2p is ContainerCreating',
        '  → cause: subnet empty',
      ].join('\n'),
    );
  });
});

describe('golden: awscni_* exposition', () => {
  it('prints a daemon with one ENI, two pods and one EC2 call exactly', () => {
    const m = new Metrics();
    m.set('awscni_eni_max', 3);
    m.set('awscni_ip_max', 27);
    m.set('awscni_eni_allocated', 1);
    m.set('awscni_total_ip_addresses', 9);
    m.set('awscni_assigned_ip_addresses', 2);
    m.inc('awscni_add_ip_req_count', undefined, 2);
    m.inc('awscni_ec2api_req_count', { fn: 'AssignPrivateIpAddresses' });
    expect(m.text()).toBe(
      [
        '# HELP awscni_add_ip_req_count The number of add IP address requests',
        '# TYPE awscni_add_ip_req_count counter',
        'awscni_add_ip_req_count 2',
        '# HELP awscni_assigned_ip_addresses The number of IP addresses assigned to pods',
        '# TYPE awscni_assigned_ip_addresses gauge',
        'awscni_assigned_ip_addresses 2',
        '# HELP awscni_ec2api_req_count The number of requests made to EC2 APIs by CNI',
        '# TYPE awscni_ec2api_req_count counter',
        'awscni_ec2api_req_count{fn="AssignPrivateIpAddresses"} 1',
        '# HELP awscni_eni_allocated The number of ENIs allocated',
        '# TYPE awscni_eni_allocated gauge',
        'awscni_eni_allocated 1',
        '# HELP awscni_eni_max The maximum number of ENIs that can be attached to the instance, accounting for unmanaged ENIs',
        '# TYPE awscni_eni_max gauge',
        'awscni_eni_max 3',
        '# HELP awscni_force_removed_enis The number of ENIs force removed while they had assigned pods',
        '# TYPE awscni_force_removed_enis counter',
        'awscni_force_removed_enis 0',
        '# HELP awscni_force_removed_ips The number of IPs force removed while they had assigned pods',
        '# TYPE awscni_force_removed_ips counter',
        'awscni_force_removed_ips 0',
        '# HELP awscni_ip_max The maximum number of IP addresses that can be allocated to the instance',
        '# TYPE awscni_ip_max gauge',
        'awscni_ip_max 27',
        '# HELP awscni_no_available_ip_addresses The number of pod IP assignments that fail due to no available IP addresses',
        '# TYPE awscni_no_available_ip_addresses counter',
        'awscni_no_available_ip_addresses 0',
        '# HELP awscni_total_ip_addresses The total number of IP addresses',
        '# TYPE awscni_total_ip_addresses gauge',
        'awscni_total_ip_addresses 9',
        '# HELP awscni_total_ipv4_prefixes The total number of IPv4 prefixes',
        '# TYPE awscni_total_ipv4_prefixes gauge',
        'awscni_total_ipv4_prefixes 0',
        '',
      ].join('\n'),
    );
  });
});
