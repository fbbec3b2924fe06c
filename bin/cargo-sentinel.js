#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/src/cli (built by `npm run build`).
// When cargo runs us as `cargo sentinel ...`, argv[2] is "sentinel"; main() drops it.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
