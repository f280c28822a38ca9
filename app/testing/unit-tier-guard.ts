import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

// The unit tier is the one-minute loop a developer runs after every change. A test that starts a process
// belongs to the e2e tier; failing here, with the fix in the message, keeps the tiers honest without a
// list of files that drifts.
const SPAWNERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

function refuse(name: string): never {
  throw new Error(
    `unit tier: this test calls child_process.${name}; put \`// @module-tag e2e\` on the first line of its file`,
  );
}

for (const name of SPAWNERS) {
  Object.defineProperty(childProcess, name, { value: () => refuse(name), configurable: true, writable: true });
}
syncBuiltinESMExports();
