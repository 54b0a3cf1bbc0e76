import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { StagingFolderError } from "../../src/sync/staging-folder-error.js";
import { createWorkDir } from "../../src/sync/work-dir.js";
import { PROCESS_STARTED_MS } from "../../src/process-is-alive.js";

let saved: string | undefined;
let dir: string;
beforeEach(() => {
  saved = process.env.TMPDIR;
  dir = mkdtempSync(join(tmpdir(), "kaivo-work-dir-test-"));
  process.env.TMPDIR = dir;
});
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

test("a run's folder is named for its process, its start and the host; it removes those of dead processes on this host only", async () => {
  const deadPid = 4_194_399; // above Linux's highest pid: no such process
  const removed = [
    `kaivo-run-${deadPid}.1700000000000@${hostname()}-aaaaaa`, // killed here
    `kaivo-run-${deadPid}@${hostname()}-dddddd`, // killed here, by an earlier version
    `kaivo-run-${process.pid}.1700000000000@${hostname()}-eeeeee`, // this pid in an earlier life (a restarted container's pid 1)
  ];
  const kept = [
    `kaivo-run-${process.pid}.${PROCESS_STARTED_MS}@${hostname()}-bbbbbb`, // this process's (another run in it)
    `kaivo-run-${process.pid}@${hostname()}-ffffff`, // this pid, by an earlier version: cannot be told apart
    `kaivo-run-${deadPid}.1700000000000@another-host-cccccc`, // another host's (a shared /tmp)
    "kaivo-run-Xyz123", // a much older version's name
  ];
  for (const name of [...removed, ...kept]) mkdirSync(join(dir, name));

  const created = await createWorkDir();
  expect(created.startsWith(join(dir, `kaivo-run-${process.pid}.${PROCESS_STARTED_MS}@${hostname()}-`))).toBe(true);
  expect(readdirSync(dir).sort()).toStrictEqual([...kept, created.slice(dir.length + 1)].sort());
});

test("a temporary folder that does not exist: an error naming it and TMPDIR, exit 2", async () => {
  process.env.TMPDIR = join(dir, "missing");
  const failure = await createWorkDir().then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(StagingFolderError);
  expect((failure as StagingFolderError).message).toBe(`Cannot create a folder for staged rows in ${join(dir, "missing")} (ENOENT: the folder does not exist).`);
  expect((failure as StagingFolderError).exitCode).toBe(2);
});
