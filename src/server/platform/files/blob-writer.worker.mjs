// The local blob store's writer thread (see blob-writer.ts). Plain JavaScript: worker threads load it as is,
// under tsx, vitest or plain node alike. One message per blob: hash, write beside, fsync, rename, fsync the folder.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const root = workerData.root;
/** Folders known to exist: 65,536 at most (ab/cd). */
const dirs = new Set();

function ensureDir(dir) {
  if (dirs.has(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  if (dirs.size > 70_000) dirs.clear();
  dirs.add(dir);
}

function syncDir(dir) {
  let fd;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the data itself is already synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function put(bytes) {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = path.join(root, sha256.slice(0, 2), sha256.slice(2, 4));
  ensureDir(dir);
  // Write beside the target, flush, then rename (atomic, also over an existing copy): a reader sees either
  // no blob or the whole blob, and a crash after the answer cannot lose it.
  const temp = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
  let fd;
  try {
    fd = fs.openSync(temp, 'wx', 0o640);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
    // The folder went away since it was made (store emptied by hand): make it again.
    dirs.delete(dir);
    ensureDir(dir);
    fd = fs.openSync(temp, 'wx', 0o640);
  }
  try {
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, path.join(dir, sha256));
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  syncDir(dir);
  return { sha256, size: bytes.length };
}

parentPort.on('message', ({ id, bytes }) => {
  try {
    parentPort.postMessage({ id, ref: put(bytes) });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err.message, code: err.code } });
  }
});
