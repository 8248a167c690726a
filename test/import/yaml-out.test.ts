/**
 * The import's YAML emitter (src/import/yaml-out.ts): whatever the values (strings that look like numbers, booleans,
 * versions, CIDRs, quotes, colons, `#`, line breaks, unicode), the YAML library reads back exactly what was written,
 * in block and in flow (one-line) positions, with comments anywhere.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderYaml } from '../../src/import/yaml-out.ts';

const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('1.29', '1.18.0', '010', '0x1F', 'true', 'No', 'null', '~', '-', '.5', '1e3', 'a: b', 'a #b', '#x', '[a]', '{}', '*a', '&a', '!t', '@x', "it's", '"q"', 'x\ny', ' lead', 'trail ', '10.0.0.0/24', 'kubernetes.io/role/cni', 'ü', ''),
);
const scalar = fc.oneof(tricky, fc.integer(), fc.boolean());
const flat = fc.dictionary(tricky, scalar, { maxKeys: 4 });
const pod = fc.record({ name: tricky, ip: tricky, labels: flat, list: fc.array(tricky, { maxLength: 3 }) });

describe('renderYaml', () => {
  it('reads back as the same object, flow and block alike', () => {
    fc.assert(
      fc.property(fc.record({ name: tricky, description: tricky, cluster: fc.record({ name: tricky, env: flat }), existing: fc.record({ pods: fc.array(pod, { maxLength: 4 }), nodes: fc.array(fc.record({ name: tricky, labels: flat, enis: fc.array(flat, { maxLength: 2 }) }), { maxLength: 2 }) }) }), fc.array(fc.string(), { maxLength: 3 }), (doc, texts) => {
        const notes = texts.map((text, i) => ({ path: i === 0 ? [] : i === 1 ? ['existing', 'pods', 0, 'labels'] : ['cluster', 'env'], text: text.replace(/\n/g, ' '), warn: false }));
        const text = renderYaml(doc, ['header'], notes);
        expect(parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
      }),
      { numRuns: 300 },
    );
  });

  it('writes strings YAML would read as something else in quotes, and the rest plain', () => {
    const text = renderYaml({ a: '1.29', b: '1.18.0', c: 'true', d: '10.0.0.0/24', e: 'eni-0aaa', f: 'x: y', g: [] }, [], []);
    expect(text).toBe('\na: "1.29"\nb: 1.18.0\nc: "true"\nd: 10.0.0.0/24\ne: eni-0aaa\nf: "x: y"\ng: []\n');
  });
});
