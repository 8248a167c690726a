/**
 * Field shapes several parts of the scenario format share — names, subnet ids, zones, selectors, tags, labels, a
 * node reference — declared once for spec.ts (the file's sections) and actions/*.ts (the timeline's steps).
 * Not here: any section or step itself.
 */
import { opt, req, str, type Desc, type Field } from './descriptor.ts';

export const NAME = /^[a-z0-9]([a-z0-9._-]{0,98}[a-z0-9])?$/;
export const K8S_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
export const SUBNET_ID = /^subnet-[0-9a-zA-Z-]{1,40}$/;
export const AZ = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/;
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
export const SELECTOR = /^[A-Za-z0-9._/-]+(\s*(=|==|!=)\s*[A-Za-z0-9._-]*)?(\s*,\s*[A-Za-z0-9._/-]+(\s*(=|==|!=)\s*[A-Za-z0-9._-]*)?)*$/;
export const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const tags = (doc: string) => ({ t: 'map', value: str('tag value', { maxLength: 256 }), maxEntries: 50, maxKeyLength: 128, doc }) as const satisfies Desc;
export const labels = (doc: string) => ({ t: 'map', value: str('label value', { maxLength: 63 }), maxEntries: 64, maxKeyLength: 253, doc }) as const satisfies Desc;
export const subnetId = (doc: string) => str(doc, { pattern: SUBNET_ID, patternDoc: 'a subnet id like subnet-private-a', maxLength: 48 });
export const az = (doc: string) => str(doc, { pattern: AZ, patternDoc: 'an availability zone like us-west-2a' });
export const route = (doc: string) => str(doc, { enum: ['igw', 'nat', 'none'] });
export const count = (doc: string): Field => req({ t: 'range' }, doc);

/** A node by name or every node a label selector matches. */
export const nodeRef = {
  node: opt(str('node name', { maxLength: 253 }), 'The node, by name (ip-10-0-0-12.us-west-2.compute.internal).'),
  selector: opt(str('label selector', { pattern: SELECTOR, patternDoc: 'a label selector like app=inflate or k=v,k2!=v2' }), 'Every node matching this label selector (eks.amazonaws.com/nodegroup=ng-1).'),
};

export const NAMESPACE = opt(str('namespace', { pattern: K8S_NAME, patternDoc: 'a namespace name' }), 'Namespace (default `default`).');
