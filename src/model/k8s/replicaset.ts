/**
 * Which pods a ReplicaSet deletes when it has too many (kube-controller-manager `getPodsToDelete`, ranked as
 * `ActivePodsWithRanks`), as a pure ordering: unscheduled before scheduled; not running before running; pods on nodes
 * crowded with their siblings before lonely ones; then the newest first. Not modelled: readiness gates, restart
 * counts, the pod-deletion-cost annotation.
 */
import type { Pod } from './types.ts';

export function podsToDelete(active: readonly Pod[], count: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of active) if (p.nodeName !== undefined) perNode.set(p.nodeName, (perNode.get(p.nodeName) ?? 0) + 1);
  const rank = (p: Pod) => (p.nodeName === undefined ? 0 : p.running ? 2 : 1);
  const sorted = [...active].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (perNode.get(b.nodeName ?? '') ?? 0) - (perNode.get(a.nodeName ?? '') ?? 0) ||
      (b.runningAt ?? b.createdAt) - (a.runningAt ?? a.createdAt) ||
      b.uid - a.uid,
  );
  return sorted.slice(0, Math.max(0, count));
}
