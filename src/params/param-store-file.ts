/**
 * Reading and atomically writing param store files.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The error thrown when a param store file cannot be read or written. */
export class ParamStoreIOError extends Error {
  /** Makes the error for `operation` on `path`. */
  constructor(
    /** The file. */
    readonly path: string,
    /** What failed. */
    readonly operation: "save" | "load",
    cause: unknown,
  ) {
    super(`ParamStore.${operation}(${JSON.stringify(path)}): ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "ParamStoreIOError";
  }
}

/**
 * Writes `text` to `path` atomically: into a temporary file in the same
 * directory, flushed to disk, then renamed over `path` — a reader sees the old
 * file or the new one, never a partial one; on failure `path` is untouched.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx");
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    try {
      if (fd !== undefined) closeSync(fd);
      unlinkSync(tmp);
    } catch {
      // The temporary file was never created, or is already gone.
    }
    throw new ParamStoreIOError(path, "save", err);
  }
}

/** The text of file `path` (UTF-8). */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ParamStoreIOError(path, "load", err);
  }
}
