// Fails when any installed package declares an install-time script: a supply-chain
// security tool must not run third-party code when it is installed.
import { readFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const offenders = Object.entries(lock.packages ?? {})
  .filter(([name, meta]) => name !== '' && meta.hasInstallScript)
  .map(([name]) => name.replace(/^node_modules\//, ''));
if (offenders.length > 0) {
  console.error(`packages with install scripts: ${offenders.join(', ')}`);
  process.exit(1);
}
console.log(`install scripts: none in ${Object.keys(lock.packages ?? {}).length - 1} locked packages`);
