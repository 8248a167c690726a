/**
 * What import says besides the scenario: a default it took for something missing (a warning on stderr and a `#`
 * comment in the YAML at that place) or a remark that only belongs in the YAML (a comment). Each note names the
 * place in the written scenario it sits above, as a path of keys and indexes. Not here: rendering (yaml-out.ts).
 */
export type OutPath = (string | number)[];

export interface Note {
  /** Where in the written scenario the comment goes (above this key or item). */
  path: OutPath;
  text: string;
  /** Also printed on stderr as a warning. */
  warn: boolean;
}

export class Notes {
  readonly list: Note[] = [];

  /** A default taken for something missing: warned and commented. */
  warn(path: OutPath, text: string): void {
    this.list.push({ path, text, warn: true });
  }

  /** A remark for the reader of the YAML only. */
  remark(path: OutPath, text: string): void {
    this.list.push({ path, text, warn: false });
  }

  warnings(): string[] {
    return this.list.filter((n) => n.warn).map((n) => n.text);
  }
}
