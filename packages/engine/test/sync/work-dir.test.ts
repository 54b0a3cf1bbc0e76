import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { StagingFolderError } from "../../src/sync/staging-folder-error.js";
import { createWorkDir } from "../../src/sync/work-dir.js";

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

test("a run's folder is named for its process and host; it removes those of dead processes on this host only", async () => {
  const deadPid = 4_194_399; // above Linux's highest pid: no such process
  const left = [
    `kaivo-run-${deadPid}@${hostname()}-aaaaaa`, // killed here: removed
    `kaivo-run-${process.pid}@${hostname()}-bbbbbb`, // alive here: kept
    `kaivo-run-${deadPid}@another-host-cccccc`, // another host's (a shared /tmp): kept
    "kaivo-run-Xyz123", // an older version's name: kept
  ];
  for (const name of left) mkdirSync(join(dir, name));

  const created = await createWorkDir();
  expect(created.startsWith(join(dir, `kaivo-run-${process.pid}@${hostname()}-`))).toBe(true);
  expect(readdirSync(dir).sort()).toStrictEqual([...left.slice(1), created.slice(dir.length + 1)].sort());
});

test("a temporary folder that does not exist: an error naming it and TMPDIR, exit 2", async () => {
  process.env.TMPDIR = join(dir, "missing");
  const failure = await createWorkDir().then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(StagingFolderError);
  expect((failure as StagingFolderError).message).toBe(`Cannot create a folder for staged rows in ${join(dir, "missing")} (ENOENT: the folder does not exist).`);
  expect((failure as StagingFolderError).exitCode).toBe(2);
});
