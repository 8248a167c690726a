/**
 * "Did you mean" for misspelt keys, commands, names and instance types: the nearest candidates by edit distance, when near enough
 * to be a typo. Not a fuzzy search.
 */

/** Candidates within a typo's distance of `word` (case-insensitive), nearest first; at most `max`. */
export function nearest(word: string, candidates: Iterable<string>, max = 2): string[] {
  const q = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(q.length / 3)));
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const d = editDistance(q, c.toLowerCase(), limit);
    if (d <= limit) scored.push([d, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return scored.slice(0, max).map(([, c]) => c);
}

/** " (did you mean x?)" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = nearest(word, candidates);
  return near.length === 0 ? '' : ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)`;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment: "evn" → "env" is 1), giving up (returning
 * cap + 1) once every path exceeds `cap`.
 */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > cap) return cap + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}
