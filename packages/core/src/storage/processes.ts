import { hostname } from 'node:os';

/** This process as run records name it. */
export const thisProcess = { host: hostname(), pid: process.pid } as const;

/** Whether a process of this machine is alive (signal 0 checks without touching it). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
