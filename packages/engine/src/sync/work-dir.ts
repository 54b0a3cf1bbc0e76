import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processIsAlive } from "../process-is-alive.js";

const PREFIX = "kaivo-run-";

/**
 * A fresh folder for one run's staged files, named for this process. The staged files hold
 * directory data (names, addresses), so the folders that runs killed before their cleanup left
 * behind (their process is gone) are removed first.
 */
export async function createWorkDir(): Promise<string> {
  await removeOrphanedWorkDirs();
  return mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
}

async function removeOrphanedWorkDirs(): Promise<void> {
  const entries = await readdir(tmpdir(), { withFileTypes: true }).catch(() => []);
  const orphaned = entries.filter((e) => {
    const pid = e.isDirectory() ? new RegExp(`^${PREFIX}(\\d+)-`).exec(e.name)?.[1] : undefined;
    return pid !== undefined && !processIsAlive(Number(pid));
  });
  // Another user's folder (a shared /tmp) cannot be removed, and need not be.
  await Promise.all(orphaned.map((e) => rm(join(tmpdir(), e.name), { recursive: true, force: true }).catch(() => undefined)));
}
