#!/usr/bin/env node
'use strict';
// Thin launcher for the bundled CLI (built by `npm run build` into dist/bundle):
// launch.cjs runs main.cjs with V8's code cache (src/launch/). CommonJS, like
// the bundle: an ES module entry point costs Node some 4 ms more to start.
// When cargo runs us as `cargo sentinel ...`, argv[2] is "sentinel"; main() drops it.
const { launch } = require('../dist/bundle/launch.cjs');

launch(process.argv.slice(2)).then(({ code }) => {
  // Exit once our output is flushed, not when Node's loop runs dry: by then
  // every piece of work has been awaited, and what is left (an incremental GC
  // finishing its marking, a directory listing nobody needs) costs some 20 ms.
  let open = 2;
  const flushed = () => {
    if (--open === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
});
