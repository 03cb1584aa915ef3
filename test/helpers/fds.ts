// Open file descriptors of this process, from /proc/self/fd (Linux): what a test counts to show that
// nothing was left open. Node only.
import { readdirSync, readlinkSync } from 'node:fs';

/** What each open descriptor points to ('socket:[…]', 'pipe:[…]', a path, …). */
export function targets(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.push(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed meanwhile (the fd of readdir itself)
    }
  }
  return out;
}

/** Open descriptors of this process that point into `dir`. */
export function fdsUnder(dir: string): string[] {
  return targets().filter((t) => t.startsWith(dir));
}

/**
 * The open descriptors that are files (not sockets, pipes, event fds, terminals): what a load could
 * leak. Their count must not grow across a failed load.
 */
export function fileFds(): string[] {
  return targets().filter((t) => t.startsWith('/') && !t.startsWith('/dev/') && !t.startsWith('/proc/')).sort();
}
