import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

/** Every `*.sql` under `dir`, recursively, sorted by path (folders are layers: staging/, audit/ ...). */
export function discoverModelFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith(".sql")) files.push(path);
    }
  };
  walk(dir);
  return files.sort();
}

/** Model names (file names without .sql) under `dir`, by name; none when the folder does not exist. */
export function modelFilesByName(dir: string): Map<string, string> {
  try {
    return new Map(discoverModelFiles(dir).map((file) => [basename(file, ".sql"), file]));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
}
