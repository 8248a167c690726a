/**
 * A small cluster written with an `existing` section, as plain data to change in tests: a 10.0.0.0/16 VPC, two
 * subnets in us-west-2a and one in us-west-2b, a node group of two m5.large (one node of it existing), a standalone
 * c5.large with a prefix, an `app` Deployment of 3 replicas with 2 pods running and a bare pod.
 */
import { stringify } from 'yaml';

export type Doc = Record<string, any>;

export function baseDoc(): Doc {
  return {
    name: 'existing-test',
    description: 'A small cluster that is already running.',
    region: 'us-west-2',
    vpc: { cidrBlocks: ['10.0.0.0/16'] },
    subnets: [
      { id: 'subnet-a', az: 'us-west-2a', cidr: '10.0.0.0/24', externalUse: 3 },
      { id: 'subnet-a2', az: 'us-west-2a', cidr: '10.0.1.0/24' },
      { id: 'subnet-b', az: 'us-west-2b', cidr: '10.0.2.0/24' },
    ],
    cluster: { name: 'demo', kubernetesVersion: '1.29', vpcCni: { version: '1.19.0' } },
    nodeGroups: [{ name: 'ng-1', instanceType: 'm5.large', desiredCapacity: 2, subnets: ['subnet-a', 'subnet-b'] }],
    existing: {
      nodes: [
        {
          name: 'ip-10-0-0-10.us-west-2.compute.internal',
          instanceId: 'i-0aaa',
          instanceType: 'm5.large',
          subnet: 'subnet-a',
          nodeGroup: 'ng-1',
          enis: [
            { id: 'eni-0aaa', deviceIndex: 0, subnet: 'subnet-a', primaryIp: '10.0.0.10', secondaryIps: ['10.0.0.11', '10.0.0.12', '10.0.0.13'] },
            { id: 'eni-0aab', deviceIndex: 1, subnet: 'subnet-a2', primaryIp: '10.0.1.10', secondaryIps: ['10.0.1.11', '10.0.1.12'] },
          ],
        },
        {
          name: 'ip-10-0-2-10.us-west-2.compute.internal',
          instanceId: 'i-0bbb',
          instanceType: 'c5.large',
          subnet: 'subnet-b',
          labels: { team: 'b' },
          enis: [{ id: 'eni-0bbb', deviceIndex: 0, subnet: 'subnet-b', primaryIp: '10.0.2.10', prefixes: ['10.0.2.32/28'] }],
        },
      ],
      pods: [
        { name: 'app-5d8c7f9b6d-aaaaa', node: 'ip-10-0-0-10.us-west-2.compute.internal', ip: '10.0.0.11', deployment: 'app', labels: { app: 'app' } },
        { name: 'app-5d8c7f9b6d-bbbbb', node: 'ip-10-0-2-10.us-west-2.compute.internal', ip: '10.0.2.33', deployment: 'app', labels: { app: 'app' } },
        { name: 'solo', node: 'ip-10-0-2-10.us-west-2.compute.internal', ip: '10.0.2.40', requests: { cpu: '50m', memory: '64Mi' } },
        { namespace: 'kube-system', name: 'node-agent', node: 'ip-10-0-0-10.us-west-2.compute.internal', hostNetwork: true },
      ],
      deployments: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'app' },
          spec: {
            replicas: 3,
            selector: { matchLabels: { app: 'app' } },
            template: { metadata: { labels: { app: 'app' } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'pause', resources: { requests: { cpu: '10m' } } }] } },
          },
        },
      ],
    },
  };
}

export function yamlOf(doc: Doc): string {
  return stringify(doc);
}
