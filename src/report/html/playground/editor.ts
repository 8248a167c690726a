/**
 * The scenario's YAML editor: a plain textarea (Ctrl/Cmd+Enter runs) and, under it, the message of the last run — the
 * loader's one line for a broken file, with a button that selects the line it names, or the scenario's warnings.
 * Every message goes in as text. Not here: what the messages say (src/scenario, src/report/play.ts).
 */
import { h } from '../page/dom.ts';

export interface Editor {
  root: HTMLElement;
  text(): string;
  setText(text: string): void;
  /** Shows a message under the editor (empty clears it); with a line, a button that selects that line. */
  showMessage(message: string, line?: number): void;
}

export function scenarioEditor(on: { run(): void; input(): void }): Editor {
  const area = h('textarea', { id: 'scenario', spellcheck: 'false', 'aria-label': 'scenario YAML', rows: '24' });
  const message = h('pre', { id: 'yaml-error', class: 'yaml-error', role: 'alert' });
  area.addEventListener('input', () => on.input());
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      on.run();
    }
  });
  const selectLine = (line: number): void => {
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    area.scrollTop = Math.max(0, ((line - 3) / Math.max(1, lines.length)) * area.scrollHeight);
  };
  return {
    root: h('div', { class: 'pg-editor' }, area, message),
    text: () => area.value,
    setText: (text) => (area.value = text),
    showMessage(text, line) {
      message.replaceChildren(text);
      if (line === undefined) return;
      const go = h('button', { type: 'button', class: 'go-to-line', text: `show line ${line}` });
      go.addEventListener('click', () => selectLine(line));
      message.append(' ', go);
    },
  };
}
