/**
 * What changed in a World since the last instant ended, as its stream says: which pods and nodes, which node's
 * datastore, ENIs on which instance, ipamd decisions and timeline lines as they come, and whether a timeline action
 * changed the world outside any event. The run recorder (recorder.ts) reads only what this names, so recording costs
 * what changed, not the size of the cluster. The one place the recorder listens to the World.
 * Browser-safe (no `node:` import). Not here: reading the changed things (recorder.ts).
 */
import type { World, WorldHappening } from '../../model/world.ts';
import type { DecisionRecord } from '../../model/ipamd/types.ts';
import type { Happening } from '../../model/k8s/cloud.ts';
import { timelineEntry } from '../../model/world/happenings.ts';

/** The things to look at again at the end of the instant. */
export class Dirty {
  /** Pods (`namespace/name`) that were created, moved, or left. */
  readonly pods = new Set<string>();
  /** Pods with a new Kubernetes event (their describe text may be due). */
  readonly eventful = new Set<string>();
  /** Nodes whose STATUS or ENIs may have changed. */
  readonly nodes = new Set<string>();
  /** Nodes whose waiting pods' stuck cause may have changed (a decision, an ENI, datastore or pod change there). */
  readonly causes = new Set<string>();
  /** Nodes whose datastore changed. */
  readonly datastores = new Set<string>();
  /** Instances whose ENIs changed on EC2 (the recorder knows which node each one is). */
  readonly instances = new Set<string>();
  /** A node's STATUS changed: whether any node is Ready may have flipped. */
  nodeStatus = false;
  /** Something happened since the last instant ended. */
  any = false;

  clear(): void {
    this.pods.clear();
    this.eventful.clear();
    this.nodes.clear();
    this.causes.clear();
    this.datastores.clear();
    this.instances.clear();
    this.nodeStatus = false;
    this.any = false;
  }
}

/** What the recorder is told besides the dirty sets. */
export interface Listener {
  /** No more events at this time: the instant is complete. */
  instantEnded(): void;
  /** A timeline action just changed the world (outside any event). */
  action(): void;
  decision(r: DecisionRecord): void;
  timeline(h: Happening): void;
}

/** What the recorder hears; EC2 calls and instances only mark the instant (a call's answer may move a subnet's free count). */
const HEARD: ReadonlyArray<WorldHappening['type']> = ['pod-changed', 'node-changed', 'datastore', 'decision', 'timeline', 'action', 'k8s-event', 'ec2-call', 'instance'];

/**
 * Subscribes to the World's stream and EC2's changes of instances' ENIs, marking `dirty`; the end of each instant is heard from the
 * World's after-event hook. Returns the unsubscribe.
 */
export function listen(world: World, dirty: Dirty, to: Listener): () => void {
  const offEvent = world.onEvent((w) => {
    if (w.sim.peek() !== w.now) to.instantEnded();
  });
  const offStream = world.happenings.subscribe((h) => {
    dirty.any = true;
    switch (h.type) {
      case 'pod-changed': {
        dirty.pods.add(h.key);
        // a pod coming or going, or its node's aws-node changing, moves what the node's waiting pods wait for
        const node = world.cluster.podMap.get(h.key)?.nodeName;
        if (node !== undefined) dirty.causes.add(node);
        return;
      }
      case 'node-changed':
        dirty.nodes.add(h.node);
        dirty.causes.add(h.node);
        dirty.nodeStatus = true;
        return;
      case 'datastore':
        dirty.datastores.add(h.node);
        dirty.causes.add(h.node);
        return;
      case 'decision':
        dirty.causes.add(h.record.node);
        dirty.nodes.add(h.record.node);
        return to.decision(h.record);
      case 'k8s-event':
        if (h.object.kind === 'Pod') {
          const key = `${h.object.namespace ?? 'default'}/${h.object.name}`;
          dirty.pods.add(key);
          dirty.eventful.add(key);
        }
        return;
      case 'timeline':
      case 'action': {
        const e = timelineEntry(h);
        if (e !== undefined) to.timeline(e);
        if (h.type === 'action') to.action();
        return;
      }
      default:
        return;
    }
  }, HEARD);
  let live = true;
  world.ec2.state.onInstanceEnis((id) => {
    if (!live) return;
    dirty.any = true;
    dirty.instances.add(id);
  });
  return () => {
    live = false;
    offEvent();
    offStream();
  };
}
