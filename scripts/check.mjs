// Type check everything (src, tests, bench, scripts) and build dist/ (the end-to-end tests run the
// built program), at the same time: both are tsc, and npm test should not wait for one then the other.
import { spawn } from 'node:child_process';

const run = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/typescript/bin/tsc', ...args], { stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });

const codes = await Promise.all([run(['-p', 'tsconfig.json', '--noEmit']), run(['-p', 'tsconfig.build.json'])]);
process.exitCode = codes.some((code) => code !== 0) ? 1 : 0;
