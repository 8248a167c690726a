/**
 * Building the page's elements. Every text from the record goes in through `textContent` or an attribute set by
 * property — never as markup — so names, tags and descriptions show literally whatever they contain.
 */
import { formatDuration } from '../../../util/duration.ts';

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'title') el.title = v;
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

export function panel(id: string, title: string, lesson: string): { root: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'panel-body' });
  const root = h('section', { class: 'panel', id }, h('h2', { text: title }), h('p', { class: 'lesson', text: lesson }), body);
  return { root, body };
}

export { shortNode } from '../../../model/k8s/names.ts';

/**
 * A note that shows while the chosen time lies past the record's size bound for pods and address slots
 * (`RunRecord.detailStopped`): what the panel shows then is their state at the bound.
 */
export function boundNote(detailStopped: number | undefined): { el: HTMLElement; update(t: number): void } {
  const el = h('p', { class: 'note bound', hidden: '' });
  return {
    el,
    update(t) {
      const past = detailStopped !== undefined && t > detailStopped;
      el.hidden = !past;
      if (past) el.textContent = `Shown as at ${formatDuration(detailStopped)}: this run's pods and address slots are recorded up to then only (the report's size bound). run --until T prints any later time.`;
    },
  };
}

/** A time in whole seconds for lists ("2m18s" reads better than "2m17s872ms"); the clock keeps milliseconds. */
export function secs(ms: number): string {
  return ms === 0 ? '0s' : ms < 1000 ? `${Math.round(ms)}ms` : formatDuration(Math.round(ms / 1000) * 1000);
}
