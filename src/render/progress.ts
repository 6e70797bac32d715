/**
 * A progress bar for long reads, on stderr, only on a terminal (never in pipes, files or CI logs)
 * and never with --quiet. Redrawn at most five times a second; cleared when reading ends.
 */
export interface Progress {
  update(file: string, done: number, total: number | undefined): void;
  done(): void;
}

const WIDTH = 24;
const MIN_BYTES = 32 * 1024 * 1024;

export function makeProgress(stream: { isTTY?: boolean; write(text: string): unknown }, enabled: boolean, now: () => number = () => Date.now()): Progress | null {
  if (!enabled || !stream.isTTY) return null;
  let last = 0;
  let drawn = false;
  return {
    update(file, done, total) {
      if (total !== undefined && total < MIN_BYTES) return;
      const time = now();
      if (time - last < 200) return;
      last = time;
      const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
      let bar = '';
      if (total) {
        const filled = Math.round((WIDTH * Math.min(done, total)) / total);
        bar = `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${String(Math.floor((100 * done) / total)).padStart(3)} % `;
      }
      stream.write(`\r${bar}${file} ${mb(done)}${total ? `/${mb(total)}` : ''} MB\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
