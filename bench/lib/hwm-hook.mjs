// @ts-check
/**
 * Loaded into a benchmarked node child with NODE_OPTIONS=--import=… when GNU time is not
 * available: just before the process exits, writes its peak RSS (VmHWM, KiB, from
 * /proc/self/status) to the file named by SKA_BENCH_HWM_FILE.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.SKA_BENCH_HWM_FILE;
if (target) {
  // Children of this process (none today) must not overwrite the report.
  delete process.env.SKA_BENCH_HWM_FILE;
  process.on('exit', () => {
    try {
      const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m?.[1]) writeFileSync(target, `${m[1]}\n`);
    } catch {
      // not Linux: the parent's polling is all there is
    }
  });
}
