import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** When, which commit and on what machine a run was made: the line under a report's command. */
export function machineLine(now: Date): string {
  const cpus = os.cpus();
  return (
    `${now.toISOString()} · commit ${gitCommit()} · node ${process.version} ${os.platform()}-${os.arch()} · ` +
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${Math.round(os.totalmem() / 2 ** 30)} GiB`
  );
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}
