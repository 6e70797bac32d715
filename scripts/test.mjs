// npm test: build dist/ (the end-to-end tests run the built program) unless it is newer than every
// source already, then run the whole suite and the type check of everything (src, tests, bench,
// scripts) side by side. The build skips the type check (tsc --noCheck: the same JavaScript for a
// third of the CPU), since the second run checks src with everything else; a failed type check
// fails the run like a failed test. Arguments go to vitest (`npm test -- tests/cli`).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const node = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
const tsc = (...args) => node(['node_modules/typescript/bin/tsc', ...args]);

/** Whether dist/ holds a .js newer than each src/ .ts and than the tsconfig files (after `npm install` it does). */
function distIsCurrent() {
  const modified = (path) => {
    try {
      return statSync(path).mtimeMs;
    } catch {
      return -1;
    }
  };
  const configs = Math.max(modified('tsconfig.json'), modified('tsconfig.build.json'), modified('package.json'));
  for (const entry of readdirSync('src', { recursive: true })) {
    const file = String(entry);
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const built = modified(join('dist', file.replace(/\.ts$/, '.js')));
    if (built < 0 || built < modified(join('src', file)) || built < configs) return false;
  }
  return true;
}

if (!distIsCurrent() && (await tsc('-p', 'tsconfig.build.json', '--noCheck')) !== 0) {
  console.error('npm test: the build failed');
  process.exit(1);
}
// The type check keeps what it learnt in node_modules/.cache (it emits nothing, so nothing can go stale
// on disk): a second run checks only what changed.
const typecheck = ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/ska-analyze/typecheck.tsbuildinfo'];
const [checked, tested] = await Promise.all([tsc(...typecheck), node(['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)])]);
if (checked !== 0) console.error('npm test: the type check failed (tsc -p tsconfig.json --noEmit)');
process.exitCode = checked !== 0 || tested !== 0 ? 1 : 0;
