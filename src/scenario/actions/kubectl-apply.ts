/**
 * `kubectl apply -f FILE` or `kubectl apply -f -`: create or update Kubernetes objects (Deployment, Pod, ENIConfig) read
 * from a manifest file (one or more YAML documents) or given inline, one command per object. The objects are checked
 * as kubectl would check them when the scenario loads (manifest-check.ts); a file's objects become the step's
 * `manifest`. The effect is the cluster's (src/model/k8s/cluster-actions.ts `apply`).
 */
import { opt, str } from '../descriptor.ts';
import { checkManifest, manifestDocuments } from '../manifest-check.ts';
import type { Located, Path } from '../source.ts';
import { fail } from '../validate.ts';
import { defineAction, type CheckContext } from './action.ts';

export default defineAction({
  run: 'kubectl apply',
  fields: {
    manifest: opt({ t: 'oneOrMany', items: { t: 'any' }, maxItems: 100 }, 'The object(s), as in the YAML you would apply.'),
    file: opt(str('manifest file', { maxLength: 1024 }), 'A manifest file to apply (`kubectl apply -f FILE`), relative to the scenario; several documents allowed.'),
  },
  doc: 'Create or update Kubernetes objects (Deployment, Pod, ENIConfig), inline or from a manifest file.',
  exactlyOne: ['manifest', 'file'],
  check(a, ctx, path) {
    const objects = a.file !== undefined ? fromFile(a.file, ctx, [...path, 'file']) : inline(a.manifest ?? [], ctx, path);
    for (const o of objects) {
      const d = checkManifest(o.src, o.path, o.value, ctx.warn);
      if (d !== undefined) ctx.deployments.add(d);
    }
    a.manifest = objects.map((o) => o.value);
  },
  targets: (a) => (a.manifest ?? []).map((_, j) => String(j)),
  command: (a) => `kubectl apply -f ${a.file ?? '-'}`,
  apply: (a, world, target) => world.cluster.apply((a.manifest ?? [])[Number(target)] as Record<string, unknown>),
});

interface Placed {
  src: Located;
  path: Path;
  value: unknown;
}

function inline(manifest: unknown[], ctx: CheckContext, path: Path): Placed[] {
  const listed = Array.isArray(ctx.written.manifest);
  return manifest.map((value, j) => ({ src: ctx.src, path: listed ? [...path, 'manifest', j] : [...path, 'manifest'], value }));
}

function fromFile(file: string, ctx: CheckContext, path: Path): Placed[] {
  if (ctx.readFile === undefined) fail(ctx.src, path, 'manifest files are read by the vpc-cni-sim command; give the objects inline under manifest');
  let text: string;
  try {
    text = ctx.readFile(file);
  } catch (err) {
    fail(ctx.src, path, `cannot read ${file}: ${(err as { code?: string }).code === 'ENOENT' ? 'no such file' : ((err as { code?: string }).code ?? String(err))}`);
  }
  // Messages name the file as seen from where the command ran: the scenario's directory joined by hand (no node:path here).
  const shown = file.startsWith('/') ? file : ctx.src.file.replace(/[^/]*$/, '') + file;
  const docs = manifestDocuments(text, shown);
  if (docs.length === 0) fail(ctx.src, path, `${file} holds no Kubernetes object`);
  return docs.map((src) => ({ src, path: [], value: src.value }));
}
