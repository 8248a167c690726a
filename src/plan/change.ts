/**
 * The change a plan asks about, and how it is applied to a running World: `--scale deployment/NAME=N` (that
 * Deployment to N replicas) or `--add-pods N` (a new Deployment of N pause pods, shaped like the walkthrough's
 * `inflate`, or with `--like deployment/NAME` like that Deployment's pods), optionally with `--nodes +K` (K more
 * nodes in a node group). The size is a parameter so the headroom
 * search can try other sizes of the same change. Not here: when the change is applied (simulate.ts), what is
 * measured after it.
 */
import type { World } from '../model/world.ts';
import { objectKey, type ActionResult, type Deployment, type PodTemplate } from '../model/k8s/types.ts';
import { podSpec } from '../report/export/k8s-shapes.ts';

/** The Deployment `--add-pods` creates (namespace default). */
const ADDED_DEPLOYMENT = 'plan-added';
/** Its pod template: the pause image and the 50m CPU request of the walkthrough's `inflate`. */
const ADDED_REQUESTS = { cpu: '50m' } as const;

export type ChangeTarget =
  /** `--scale deployment/NAME=N`: N is the Deployment's replica count. */
  | { kind: 'scale'; namespace: string; name: string }
  /** `--add-pods N`: N pods more, in a Deployment of their own; `like`: with that Deployment's pod spec. */
  | { kind: 'add-pods'; like?: { namespace: string; name: string } };

export interface Change {
  target: ChangeTarget;
  /** The size asked about: replicas (scale) or pods added (add-pods). */
  n: number;
  /** Nodes added with the change (`--nodes +K`), in `nodeGroup`. */
  addNodes: number;
  /** The node group the added nodes join (default: the group with the most nodes). */
  nodeGroup?: string;
}

/** `deployment/NAME`, `deployment/NAMESPACE/NAME` or `NAME` (kubectl's resource names for a Deployment). */
const DEPLOYMENT_REF = '(?:(?:deployment|deployments|deploy|deployment\\.apps)\\/(?:([a-z0-9-]+)\\/)?)?([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)';

/** `deployment/NAME=N`, `deployment/NAMESPACE/NAME=N` or `NAME=N`; undefined when it is none of those. */
export function parseScale(text: string): { namespace: string; name: string; n: number } | undefined {
  const m = new RegExp(`^${DEPLOYMENT_REF}=(\\d+)$`).exec(text);
  if (m === null) return undefined;
  const n = Number(m[3]);
  if (!Number.isSafeInteger(n)) return undefined;
  return { namespace: m[1] ?? 'default', name: m[2], n };
}

/** `deployment/NAME`, `deployment/NAMESPACE/NAME` or `NAME`; undefined when it is none of those. */
export function parseDeploymentRef(text: string): { namespace: string; name: string } | undefined {
  const m = new RegExp(`^${DEPLOYMENT_REF}$`).exec(text);
  return m === null ? undefined : { namespace: m[1] ?? 'default', name: m[2] };
}

/** How the change reads in a report: `deployment/inflate=50`, `+50 pods`, with `, +2 nodes`. */
export function describeChange(c: Change, n = c.n): string {
  const like = c.target.kind === 'add-pods' && c.target.like !== undefined ? ` like ${deploymentRef(c.target.like)}` : '';
  const what = c.target.kind === 'scale' ? `${deploymentRef(c.target)}=${n}` : `+${n} pods${like}`;
  return c.addNodes > 0 ? `${what}, +${c.addNodes} node${c.addNodes === 1 ? '' : 's'}${c.nodeGroup === undefined ? '' : ` in ${c.nodeGroup}`}` : what;
}

/** `deployment/NAME`, or `deployment/NAMESPACE/NAME` outside the default namespace. */
function deploymentRef(d: { namespace: string; name: string }): string {
  return `deployment/${d.namespace === 'default' ? '' : `${d.namespace}/`}${d.name}`;
}

/** A Deployment the change names (`--scale`, `--like`), as the World has it. */
function deploymentOf(world: World, d: { namespace: string; name: string }): Deployment | undefined {
  return world.cluster.deploymentMap.get(objectKey(d.namespace, d.name));
}

/** The pod template of the Deployment `--like` names. */
export function likeTemplate(world: World, like: { namespace: string; name: string }): PodTemplate | undefined {
  return deploymentOf(world, like)?.template;
}

/** The pods the change is about, to count how many of them run: the scaled Deployment's, or the added ones. */
export function targetDeployment(c: Change): { namespace: string; name: string } {
  return c.target.kind === 'scale' ? { namespace: c.target.namespace, name: c.target.name } : { namespace: 'default', name: ADDED_DEPLOYMENT };
}

/** The manifest `--add-pods n` applies: pause pods, or `like`'s pod spec under labels of their own. */
function addedDeployment(n: number, like: PodTemplate | undefined): Record<string, unknown> {
  const labels = { app: ADDED_DEPLOYMENT };
  const spec = like !== undefined
    ? podSpec(like)
    : { terminationGracePeriodSeconds: 0, containers: [{ name: 'pause', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.7', resources: { requests: { ...ADDED_REQUESTS } } }] };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: ADDED_DEPLOYMENT, namespace: 'default' },
    spec: {
      replicas: n,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec },
    },
  };
}

/** The node group `--nodes` adds to: the one named, else the one with the most nodes (first by name on a tie). */
export function nodeGroupFor(world: World, c: Change): string | undefined {
  if (c.nodeGroup !== undefined) return world.cluster.groups.has(c.nodeGroup) ? c.nodeGroup : undefined;
  let best: { name: string; desired: number } | undefined;
  for (const [name, g] of [...world.cluster.groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (best === undefined || g.desired > best.desired) best = { name, desired: g.desired };
  }
  return best?.name;
}

/** What applying one part of the change did: the command a user would type, and what it printed. */
export interface AppliedCommand {
  t: number;
  command: string;
  ok: boolean;
  message: string;
}

/** Applies the change at size `n` to the World now, each part put on its timeline as the command a user would type. */
export function applyChange(world: World, c: Change, n: number): AppliedCommand[] {
  const out: AppliedCommand[] = [];
  const act = (command: string, r: ActionResult) => {
    world.act(command, r);
    out.push({ t: world.now, command, ok: r.ok, message: r.message });
  };
  if (c.addNodes > 0) {
    const group = nodeGroupFor(world, c);
    const desired = group === undefined ? c.addNodes : world.cluster.groups.get(group)!.desired + c.addNodes;
    act(
      `eksctl scale nodegroup --cluster ${world.spec.cluster.name} --name ${group ?? c.nodeGroup ?? '?'} --nodes ${desired}`,
      group === undefined ? { ok: false, message: `no node group ${c.nodeGroup ?? 'to add nodes to'}` } : world.cluster.scaleNodeGroup(group, desired),
    );
  }
  if (c.target.kind === 'scale') {
    const ns = c.target.namespace === 'default' ? '' : ` -n ${c.target.namespace}`;
    act(`kubectl scale deployment/${c.target.name}${ns} --replicas=${n}`, world.cluster.scale(c.target.namespace, c.target.name, n));
  } else {
    const like = c.target.like === undefined ? undefined : likeTemplate(world, c.target.like);
    const note = c.target.like === undefined ? '' : `, pods like ${deploymentRef(c.target.like)}`;
    act(`kubectl apply -f ${ADDED_DEPLOYMENT}.yaml   # ${n} replicas${note}`, world.cluster.apply(addedDeployment(n, like)));
  }
  return out;
}

/** The size the change's target has now (replicas of the Deployment, or 0 pods added). */
export function currentSize(world: World, c: Change): number | undefined {
  return c.target.kind === 'add-pods' ? 0 : deploymentOf(world, c.target)?.replicas;
}
