/** Whether a process with this id exists on this machine (one of another user counts: EPERM). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * When this process started, in ms since the epoch: the same in every thread of it. With the pid it
 * tells this process apart from an earlier one that had the same pid, such as the previous life
 * of a container, whose first process is always pid 1.
 */
export const PROCESS_STARTED_MS = Math.round(performance.timeOrigin);

/**
 * Whether the process that recorded `pid` (and, when it recorded it, its start `startedMs`) on
 * this machine still runs. Another process's start time cannot be read portably: for another pid,
 * only its existence counts.
 */
export function recordedProcessIsAlive(pid: number, startedMs: number | undefined): boolean {
  if (pid === process.pid) return startedMs === undefined || startedMs === PROCESS_STARTED_MS;
  return processIsAlive(pid);
}
