import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import nodePath from 'node:path';

// Writing outputs so that nothing half-written is ever seen (DESIGN.md, principle 8): a file is
// written beside its target under a temporary name, flushed to disk, then renamed into place; a
// directory of outputs is built as a temporary sibling and renamed into place once complete.

/** File content: one string, or chunks written one after another (a long CSV). */
export type Content = string | Iterable<string>;

export interface OutputFile {
  /** A plain file name, no directories. */
  readonly name: string;
  readonly content: Content;
}

const CHUNK_BYTES = 1 << 16;

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/** Writes content to an open file descriptor, batching small chunks. */
function writeContent(fd: number, content: Content): void {
  if (typeof content === 'string') {
    fs.writeSync(fd, content);
    return;
  }
  let pending = '';
  for (const chunk of content) {
    pending += chunk;
    if (pending.length >= CHUNK_BYTES) {
      fs.writeSync(fd, pending);
      pending = '';
    }
  }
  if (pending !== '') fs.writeSync(fd, pending);
}

/** Creates a new file (failing if it exists), writes it and flushes it to disk. */
function writeNewFile(file: string, content: Content): void {
  const fd = fs.openSync(file, 'wx', 0o666);
  try {
    writeContent(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a directory entry (a rename) to disk, where the platform allows it. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not supported everywhere (Windows); the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The temporary name a file is written under before it is renamed to `file`. */
export function tempFileName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Writes a file atomically: readers see the old file or the complete new one, never a part. The
 * content goes to `<file>.<pid>.<random>.tmp` in the same directory, is flushed, then renamed over
 * `file`. On any error the temporary file is removed and `file` is left as it was.
 */
export function writeFileAtomic(file: string, content: Content): void {
  const tmp = tempFileName(file);
  let renamed = false;
  try {
    writeNewFile(tmp, content);
    fs.renameSync(tmp, file);
    renamed = true;
    fsyncDir(nodePath.dirname(file));
  } finally {
    if (!renamed) fs.rmSync(tmp, { force: true });
  }
}

/** The temporary sibling a directory of outputs is built in: `<dir>.tmp-<pid>`. */
export function tempDirName(dir: string): string {
  return `${nodePath.resolve(dir)}.tmp-${process.pid}`;
}

function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) throw new Error(`not a plain file name: "${name}"`);
}

function isDirectory(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Moves the files of a complete temporary directory into an existing directory, one atomic rename each. */
function moveFilesInto(tmpDir: string, dir: string, files: readonly OutputFile[]): void {
  for (const f of files) fs.renameSync(nodePath.join(tmpDir, f.name), nodePath.join(dir, f.name));
  fsyncDir(dir);
}

/** Removes the directories a failed write created, from the innermost up to `top`, while they are empty. */
function removeCreatedParents(innermost: string, top: string): void {
  let dir = innermost;
  for (;;) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return; // not empty any more (someone else wrote there), or gone: leave it
    }
    if (dir === top) return;
    const up = nodePath.dirname(dir);
    if (up === dir) return;
    dir = up;
  }
}

/**
 * Writes a set of files into `dir` so that nothing half-written is ever left there.
 *
 * The files are written (and flushed) into the temporary sibling `<dir>.tmp-<pid>`. When `dir` does
 * not exist, that directory is then renamed to `dir`: the output directory appears complete or not
 * at all. When `dir` exists already, each file is renamed into it in turn, replacing the old file
 * atomically (other files in it are left alone). Files are moved in the order given, so put the
 * one that marks a complete set (a manifest) last. On any error the temporary directory, and any
 * parent directory created for `dir`, are removed.
 */
export function writeDirAtomic(dir: string, files: readonly OutputFile[]): void {
  for (const f of files) checkName(f.name);
  const target = nodePath.resolve(dir);
  const parent = nodePath.dirname(target);
  const tmpDir = tempDirName(target);
  const createdParent = fs.mkdirSync(parent, { recursive: true });
  let done = false;
  try {
    // A leftover of a crashed earlier process that had the same pid: it is ours to remove.
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.mkdirSync(tmpDir);
    for (const f of files) writeNewFile(nodePath.join(tmpDir, f.name), f.content);
    fsyncDir(tmpDir);
    if (isDirectory(target)) {
      moveFilesInto(tmpDir, target, files);
    } else {
      try {
        fs.renameSync(tmpDir, target);
      } catch (e) {
        // Another process created the directory meanwhile: replace files one by one instead.
        const code = errorCode(e);
        if ((code !== 'EEXIST' && code !== 'ENOTEMPTY') || !isDirectory(target)) throw e;
        moveFilesInto(tmpDir, target, files);
      }
    }
    fsyncDir(parent);
    done = true;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    if (!done && createdParent !== undefined) removeCreatedParents(parent, createdParent);
  }
}
