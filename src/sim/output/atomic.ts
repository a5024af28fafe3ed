import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import nodePath from 'node:path';

// Writing outputs so that nothing half-written is ever seen (DESIGN.md, principle 8): a file is
// written beside its target under a temporary name, flushed to disk, then renamed into place; a
// directory of outputs is built as a temporary sibling and renamed into place once complete.
//
// A write may take fewer bytes than it was given (a nearly full disk, a signal): every write here
// goes on until all its bytes are taken, treats a write of nothing as a full disk, and checks the
// file's size on disk against the bytes written before the file is renamed into place.

/** File content: one string, raw bytes (a PNG), or chunks written one after another (a long CSV). */
export type Content = string | Uint8Array | Iterable<string>;

export interface OutputFile {
  /** A plain file name, no directories. */
  readonly name: string;
  readonly content: Content;
}

/** The size and SHA-256 of a file as written, by which readers tell that it belongs to a manifest. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

const CHUNK_BYTES = 1 << 16;

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/** The error a write that took no bytes stands for: the device is full (or the file has hit a limit). */
function noSpace(file: string, done: number, total: number): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`ENOSPC: no space left on device, wrote ${done} of ${total} bytes of ${file}`);
  e.code = 'ENOSPC';
  e.path = file;
  return e;
}

/** A file being written: every byte goes through `write`, which counts and hashes them. */
class Sink {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly fd: number, private readonly file: string) {}

  write(data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const n = fs.writeSync(this.fd, data, done, data.length - done);
      if (!(n > 0)) throw noSpace(this.file, this.bytes + done, this.bytes + data.length);
      done += n;
    }
    this.hash.update(data);
    this.bytes += data.length;
  }

  writeText(text: string): void {
    if (text !== '') this.write(Buffer.from(text, 'utf8'));
  }

  /** Flushes the file to disk and checks that it holds every byte written. */
  finish(): FileDigest {
    fs.fsyncSync(this.fd);
    const size = fs.fstatSync(this.fd).size;
    if (size !== this.bytes) throw noSpace(this.file, size, this.bytes);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** Writes content through a sink, batching small chunks. */
function writeContent(sink: Sink, content: Content): void {
  if (typeof content === 'string') return sink.writeText(content);
  if (content instanceof Uint8Array) return sink.write(content);
  let pending = '';
  for (const chunk of content) {
    pending += chunk;
    if (pending.length >= CHUNK_BYTES) {
      sink.writeText(pending);
      pending = '';
    }
  }
  sink.writeText(pending);
}

/** Creates a new file (failing if it exists), writes it, flushes it to disk and checks its size. */
export function writeNewFile(file: string, content: Content): FileDigest {
  const fd = fs.openSync(file, 'wx', 0o666);
  try {
    const sink = new Sink(fd, file);
    writeContent(sink, content);
    return sink.finish();
  } finally {
    fs.closeSync(fd);
  }
}

/** The SHA-256 (hex) of a text or of bytes, as FileDigest has it. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Flushes a directory entry (a rename) to disk, where the platform allows it. */
export function fsyncDir(dir: string): void {
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

/** Whether a name is one tempFileName gives (a leftover of a write that was killed). */
export function isTempFileName(name: string): boolean {
  return /\.\d+\.[0-9a-f]{12}\.tmp$/.test(name);
}

/**
 * Writes a file atomically: readers see the old file or the complete new one, never a part. The
 * content goes to `<file>.<pid>.<random>.tmp` in the same directory, is flushed and checked, then
 * renamed over `file`. On any error the temporary file is removed and `file` is left as it was.
 */
export function writeFileAtomic(file: string, content: Content): FileDigest {
  const tmp = tempFileName(file);
  let renamed = false;
  try {
    const digest = writeNewFile(tmp, content);
    fs.renameSync(tmp, file);
    renamed = true;
    fsyncDir(nodePath.dirname(file));
    return digest;
  } finally {
    if (!renamed) fs.rmSync(tmp, { force: true });
  }
}

/** The temporary sibling a directory of outputs is built in: `<dir>.tmp-<pid>`. */
export function tempDirName(dir: string): string {
  return `${nodePath.resolve(dir)}.tmp-${process.pid}`;
}

export function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) throw new Error(`not a plain file name: "${name}"`);
}

export function isDirectory(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Moves the files of a complete temporary directory into an existing directory, one atomic rename each. */
export function moveFilesInto(tmpDir: string, dir: string, names: readonly string[]): void {
  for (const name of names) fs.renameSync(nodePath.join(tmpDir, name), nodePath.join(dir, name));
  fsyncDir(dir);
}

/** Removes the directories a failed write created, from the innermost up to `top`, while they are empty. */
export function removeCreatedParents(innermost: string, top: string): void {
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
 * Writes files, in order, into a fresh temporary directory `tmpDir` (a leftover of a crashed process
 * with the same pid is removed first); `last`, given the digests of the others, is the content of a
 * final file (a manifest that lists them). Returns every file's digest. On error, removes `tmpDir`.
 */
export function buildDir(
  tmpDir: string,
  files: readonly OutputFile[],
  last?: { readonly name: string; readonly content: (digests: Readonly<Record<string, FileDigest>>) => Content },
): Record<string, FileDigest> {
  for (const f of files) checkName(f.name);
  if (last !== undefined) checkName(last.name);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir);
  try {
    const digests: Record<string, FileDigest> = {};
    for (const f of files) digests[f.name] = writeNewFile(nodePath.join(tmpDir, f.name), f.content);
    if (last !== undefined) digests[last.name] = writeNewFile(nodePath.join(tmpDir, last.name), last.content({ ...digests }));
    fsyncDir(tmpDir);
    return digests;
  } catch (e) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw e;
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
 * parent directory created for `dir`, are removed. (Result directories, which must not keep files
 * of an earlier result, are written by writeResultDir.)
 */
export function writeDirAtomic(dir: string, files: readonly OutputFile[]): Record<string, FileDigest> {
  for (const f of files) checkName(f.name);
  const target = nodePath.resolve(dir);
  const parent = nodePath.dirname(target);
  const tmpDir = tempDirName(target);
  const createdParent = fs.mkdirSync(parent, { recursive: true });
  let done = false;
  try {
    const digests = buildDir(tmpDir, files);
    const names = files.map((f) => f.name);
    if (isDirectory(target)) {
      moveFilesInto(tmpDir, target, names);
    } else {
      try {
        fs.renameSync(tmpDir, target);
      } catch (e) {
        // Another process created the directory meanwhile: replace files one by one instead.
        const code = errorCode(e);
        if ((code !== 'EEXIST' && code !== 'ENOTEMPTY') || !isDirectory(target)) throw e;
        moveFilesInto(tmpDir, target, names);
      }
    }
    fsyncDir(parent);
    done = true;
    return digests;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    if (!done && createdParent !== undefined) removeCreatedParents(parent, createdParent);
  }
}
