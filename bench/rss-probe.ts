// Loaded with `node --import` by the benchmark: records the process's peak RSS (in KiB) at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.SENTINEL_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
