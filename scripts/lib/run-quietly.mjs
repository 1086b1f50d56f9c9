/** Runs a command with its output discarded (and colour off); resolves with its exit code. */
import { spawn } from 'node:child_process';

export function runQuietly(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}
