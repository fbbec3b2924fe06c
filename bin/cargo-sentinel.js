#!/usr/bin/env node
// Thin launcher for the bundled CLI (built by `npm run build` into dist/bundle).
// When cargo runs us as `cargo sentinel ...`, argv[2] is "sentinel"; main() drops it.
import { main } from '../dist/bundle/main.js';

process.exitCode = await main(process.argv.slice(2));
