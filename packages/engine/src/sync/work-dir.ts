import { mkdtemp, readdir, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { PROCESS_STARTED_MS, recordedProcessIsAlive } from "../process-is-alive.js";
import { StagingFolderError } from "./staging-folder-error.js";

/** `kaivo-run-<pid>.<process start, ms>@<host>-XXXXXX` (earlier versions: no start); mkdtemp adds the six characters. */
const WORK_DIR = /^kaivo-run-(\d+)(?:\.(\d+))?@(.*)-[A-Za-z0-9]{6}$/;

/**
 * A fresh folder for one run's staged files, named for this process and host. The staged files
 * hold directory data (names, addresses), so the folders that runs on this host left behind when
 * they were killed before their cleanup (their process is gone) are removed first. A folder named
 * for another host (a /tmp shared with another container) is never touched: its process cannot be seen from here.
 */
export async function createWorkDir(): Promise<string> {
  await removeOrphanedWorkDirs();
  try {
    return await mkdtemp(join(tmpdir(), `kaivo-run-${process.pid}.${PROCESS_STARTED_MS}@${hostname()}-`));
  } catch (error) {
    throw new StagingFolderError("create", tmpdir(), error);
  }
}

async function removeOrphanedWorkDirs(): Promise<void> {
  const entries = await readdir(tmpdir(), { withFileTypes: true }).catch(() => []);
  const orphaned = entries.filter((e) => {
    const owner = e.isDirectory() ? WORK_DIR.exec(e.name) : null;
    return owner !== null && owner[3] === hostname() && !recordedProcessIsAlive(Number(owner[1]), owner[2] === undefined ? undefined : Number(owner[2]));
  });
  // Another user's folder (a shared /tmp) cannot be removed, and need not be.
  await Promise.all(orphaned.map((e) => rm(join(tmpdir(), e.name), { recursive: true, force: true }).catch(() => undefined)));
}
