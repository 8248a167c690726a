/**
 * The knob controls (src/scenario/knobs.ts: warm-pool env, VPC CNI version, instance type, replicas, seed): one field
 * each, showing the value the YAML holds, and an edit of a field rewrites the YAML through the knob (comments kept).
 * Not here: the knobs' paths and writing (knobs.ts), running (main.ts).
 */
import { KNOBS, readKnobs, type Knob } from '../../../scenario/knobs.ts';
import { h } from '../page/dom.ts';

export interface Controls {
  root: HTMLElement;
  /** Shows the values `yaml` holds (fields disabled when it is not YAML or has no place for a knob). */
  show(yaml: string): void;
}

function field(k: Knob): HTMLInputElement | HTMLSelectElement {
  if (k.kind === 'bool') {
    return h('select', { id: `knob-${k.id}`, 'data-knob': k.id }, h('option', { value: '', text: '(default)' }), h('option', { value: 'true', text: 'true' }), h('option', { value: 'false', text: 'false' }));
  }
  const input = h('input', { id: `knob-${k.id}`, 'data-knob': k.id, type: k.kind === 'int' ? 'number' : 'text', placeholder: k.kind === 'int' && k.id.includes('_') ? 'default' : '', spellcheck: 'false' });
  if (k.kind === 'int') input.min = '0';
  if (k.suggestions !== undefined) input.setAttribute('list', `knob-${k.id}-list`);
  return input;
}

/** `onEdit(id, value)` is called when a field is changed by the user. */
export function controls(onEdit: (id: string, value: string) => void): Controls {
  const fields = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const rows = KNOBS.map((k) => {
    const f = field(k);
    fields.set(k.id, f);
    f.addEventListener('change', () => onEdit(k.id, f.value));
    const list = k.suggestions === undefined ? null : h('datalist', { id: `knob-${k.id}-list` }, ...k.suggestions.map((s) => h('option', { value: s })));
    return h('label', { class: 'knob', title: k.help }, h('span', { class: 'knob-name', text: k.label }), f, list);
  });
  const root = h('fieldset', { class: 'knobs' }, h('legend', { text: 'Settings (each edits the YAML)' }), ...rows);
  return {
    root,
    show(yaml) {
      const values = readKnobs(yaml);
      for (const [id, f] of fields) {
        const v = values?.get(id);
        f.disabled = v === undefined || !v.settable;
        if (document.activeElement !== f) f.value = v?.value ?? '';
      }
    },
  };
}
