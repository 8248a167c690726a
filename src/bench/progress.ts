/**
 * Benchmark progress on stderr: a redrawn bar when stderr is a terminal, plain lines (at most one per 5 % of
 * the jobs) when it is a log file or pipe, nothing when asked to be quiet. Wall-clock time is used only here,
 * for the ETA; no figure the benchmark reports depends on it.
 */
export interface Progress {
  update(done: number, total: number): void;
  end(): void;
}

export function makeProgress(stream: NodeJS.WriteStream, mode: 'auto' | 'off'): Progress {
  if (mode === 'off') return { update() {}, end() {} };
  const started = performance.now();
  if (stream.isTTY) {
    let drawn = false;
    return {
      update(done, total) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        const el = (performance.now() - started) / 1000;
        const eta = done > 0 ? (el / done) * (total - done) : 0;
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} jobs  ${el.toFixed(0)} s elapsed${done < total && done > 0 ? `, ~${eta.toFixed(0)} s left` : ''}   `);
        drawn = true;
      },
      end() {
        if (drawn) stream.write('\r\x1b[K');
      },
    };
  }
  let lastPct = -1;
  return {
    update(done, total) {
      const pct = Math.floor((done / total) * 20) * 5;
      if (pct === lastPct && done !== total) return;
      lastPct = pct;
      stream.write(`bench: ${done}/${total} jobs done (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    },
    end() {},
  };
}
