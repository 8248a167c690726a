/**
 * The pods EKS puts in kube-system: CoreDNS (a Deployment, 2 replicas by default) and the host-network DaemonSet pods
 * aws-node and kube-proxy, as the templates the cluster creates them from (requests, grace periods, images).
 * Templates only; who creates them and when is cluster.ts.
 */
import type { PodTemplate } from './types.ts';

/** The kube-system DaemonSets on every node: host-network pods, counted against max pods but given no pod address. */
export const NODE_DAEMONSETS = ['aws-node', 'kube-proxy'] as const;

export const COREDNS_TEMPLATE: PodTemplate = {
  labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' },
  containers: ['coredns'],
  image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.1-eksbuild.4',
  hostNetwork: false,
  nodeSelector: {},
  requests: { cpuMilli: 100, memoryBytes: 70 * 1024 * 1024 },
  requestsStated: { cpu: true, memory: true },
  terminationGracePeriodSeconds: 30,
};

/** The pod template of a kube-system DaemonSet (`aws-node` or `kube-proxy`). */
export function daemonTemplate(name: string): PodTemplate {
  return {
    labels: { 'k8s-app': name },
    containers: [name],
    image: '',
    hostNetwork: true,
    nodeSelector: {},
    requests: { cpuMilli: name === 'aws-node' ? 25 : 100, memoryBytes: 0 },
    requestsStated: { cpu: true, memory: false },
    terminationGracePeriodSeconds: name === 'aws-node' ? 10 : 30,
  };
}
