import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Writes `files` ({"models/a.sql": text}) into a fresh temp folder, runs `fn` with the folder,
 * and removes it (dbt's models fixture, vitest's runInlineTests).
 */
export function withModelProject<T>(files: Record<string, string>, fn: (root: string) => T): T {
  const root = mkdtempSync(join(tmpdir(), "kaivo-models-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A model file: a minimal front matter, then the template. */
export function modelFile(template: string, config: Record<string, unknown> = {}): string {
  return `---\n${JSON.stringify({ description: "A test model.", columns: {}, ...config })}\n---\n${template}`;
}
