/**
 * Writes the local store's blobs on two worker threads. A blob write is a SHA-256 of the bytes and eight
 * file-system calls (open, write, fsync, close, rename, and open/fsync/close of the folder so the rename is
 * durable); done one by one from the main thread, each is a trip through libuv's pool and back to the event
 * loop, where the upload waits behind every other request. On a writer thread they run in one go: the main
 * thread posts the bytes (a copy) and gets back the name.
 */
import { Worker } from 'node:worker_threads';
import type { BlobRef } from './blob-store';

interface Pending {
  resolve: (ref: BlobRef) => void;
  reject: (err: Error) => void;
}

interface Writer {
  worker: Worker;
  pending: Map<number, Pending>;
}

const THREADS = 2;

export class BlobWriter {
  private readonly writers: (Writer | undefined)[] = [];
  private next = 0;
  private ids = 0;

  constructor(private readonly root: string) {}

  put(bytes: Uint8Array): Promise<BlobRef> {
    const writer = this.writer();
    const id = ++this.ids;
    return new Promise<BlobRef>((resolve, reject) => {
      writer.pending.set(id, { resolve, reject });
      if (writer.pending.size === 1) writer.worker.ref();
      writer.worker.postMessage({ id, bytes });
    });
  }

  /** Round robin over the threads, started on first use. */
  private writer(): Writer {
    const i = this.next++ % THREADS;
    const existing = this.writers[i];
    if (existing) return existing;
    const worker = new Worker(new URL('./blob-writer.worker.mjs', import.meta.url), { workerData: { root: this.root } });
    const writer: Writer = { worker, pending: new Map() };
    // An idle writer does not keep the process alive; one with work in flight does (see put).
    worker.unref();
    worker.on('message', (m: { id: number; ref?: BlobRef; error?: { message: string; code?: string } }) => {
      const p = writer.pending.get(m.id);
      if (!p) return;
      writer.pending.delete(m.id);
      if (writer.pending.size === 0) worker.unref();
      if (m.ref) p.resolve(m.ref);
      else p.reject(Object.assign(new Error(m.error?.message ?? 'blob write failed'), { code: m.error?.code }));
    });
    // A writer that dies fails what it held; the next put starts a new one.
    const fail = (err: Error) => {
      if (this.writers[i] === writer) this.writers[i] = undefined;
      for (const p of writer.pending.values()) p.reject(err);
      writer.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`blob writer exited (${code})`)));
    this.writers[i] = writer;
    return writer;
  }
}
