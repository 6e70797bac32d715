#!/usr/bin/env node
import { main } from '../dist/cli.js';
import { processIo } from '../dist/io.js';

// `… | head` closes stdout early: end quietly, as a pipeline expects.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`ska-analyze: cannot write the report: ${error.message}\n`);
  process.exit(2);
});
process.exitCode = await main(process.argv.slice(2), processIo());
