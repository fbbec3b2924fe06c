#!/usr/bin/env node
'use strict';
// Thin launcher for the bundled CLI (built by `npm run build` into dist/bundle):
// launch.cjs runs main.cjs with V8's code cache (src/launch/). CommonJS, like
// the bundle: an ES module entry point costs Node some 4 ms more to start.
// When cargo runs us as `cargo sentinel ...`, argv[2] is "sentinel"; main() drops it.
const { launch } = require('../dist/bundle/launch.cjs');

// The run has flushed its output when it resolves (runProcess in src/cli/main.ts).
// Exit then, not when Node's loop runs dry: every piece of work has been
// awaited, and what is left (an incremental GC finishing its marking, a
// directory listing nobody needs) costs some 20 ms.
launch(process.argv.slice(2)).then(({ code }) => process.exit(code));
