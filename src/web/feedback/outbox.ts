/**
 * The offline queue of field reports. A report is stored on the device (IndexedDB: the JSON and the photo
 * Blobs) with a fresh Idempotency-Key BEFORE it is sent; it leaves the queue only when the server has
 * answered with the report. A network failure, a 5xx, a 409 (the first attempt still running) or a 429
 * keeps it queued for the next attempt (the `online` event, the next start of the app, "Gửi lại"), always
 * with the same key, so the server never creates it twice. Any other 4xx is the user's to fix: the item is
 * marked rejected with the server's message and never resent blindly.
 *
 * Storage and transport are injected, so the logic runs in tests without IndexedDB or a network.
 */
import { ApiError, type FieldError, request, uuid } from '../api';
import type { CreateReportBody, Report } from './api';

export interface OutboxPhoto {
  name: string;
  type: string;
  blob: Blob;
}

export interface OutboxError {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
}

export interface OutboxItem {
  /** The Idempotency-Key, also the item's id. */
  key: string;
  createdAt: string;
  report: CreateReportBody;
  photos: OutboxPhoto[];
  /** Shown in the lists while the report has no code yet. */
  categoryName: string;
  /** Who queued it (null = not signed in), so "my reports" shows one's own. */
  accountId: string | null;
  status: 'pending' | 'rejected';
  attempts: number;
  lastAttemptAt: string | null;
  /** The last failure: a network one for pending items, the server's answer for rejected ones. */
  error: OutboxError | null;
}

export interface OutboxStore {
  all(): Promise<OutboxItem[]>;
  get(key: string): Promise<OutboxItem | undefined>;
  put(item: OutboxItem): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Sends one item; resolves with the created (or replayed) report, rejects with an ApiError. */
export type Transport = (item: OutboxItem) => Promise<Report>;

export type SendResult =
  | { status: 'sent'; key: string; report: Report }
  | { status: 'queued'; key: string; error: OutboxError }
  | { status: 'rejected'; key: string; error: OutboxError }
  | { status: 'busy' | 'missing'; key: string };

function toOutboxError(err: unknown): OutboxError {
  if (err instanceof ApiError) {
    const p = err.problem;
    return { status: err.status, code: err.code, title: p.title, detail: p.detail, errors: p.errors };
  }
  return { status: 0, code: 'network_error', title: err instanceof Error ? err.message : String(err) };
}

/** Whether a failed attempt should be tried again later with the same key. */
export function retryable(e: OutboxError): boolean {
  return e.status === 0 || e.status >= 500 || e.status === 408 || e.status === 409 || e.status === 425 || e.status === 429;
}

export class Outbox {
  private readonly inFlight = new Map<string, Promise<SendResult>>();
  private readonly listeners = new Set<() => void>();
  /** Reports sent from the queue during this page's life (newest first), to tell the user their codes. */
  readonly sent: { key: string; id: string; code: string; at: string }[] = [];

  constructor(
    private readonly store: OutboxStore,
    private readonly transport: Transport,
    private readonly now: () => Date = () => new Date(),
    private readonly newKey: () => string = uuid,
  ) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Oldest first. */
  async list(): Promise<OutboxItem[]> {
    const items = await this.store.all();
    return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  isSending(key: string): boolean {
    return this.inFlight.has(key);
  }

  /** Stores a new report (before any network use) and returns the stored item. */
  async add(
    report: CreateReportBody,
    photos: OutboxPhoto[],
    meta: { categoryName: string; accountId: string | null },
  ): Promise<OutboxItem> {
    const item: OutboxItem = {
      key: this.newKey(),
      createdAt: this.now().toISOString(),
      report,
      photos,
      categoryName: meta.categoryName,
      accountId: meta.accountId,
      status: 'pending',
      attempts: 0,
      lastAttemptAt: null,
      error: null,
    };
    await this.store.put(item);
    this.changed();
    return item;
  }

  /** One attempt for one item (a second call while it is being sent waits for the same attempt). */
  send(key: string): Promise<SendResult> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = this.attempt(key).finally(() => {
      this.inFlight.delete(key);
      this.changed();
    });
    this.inFlight.set(key, p);
    this.changed();
    return p;
  }

  private async attempt(key: string): Promise<SendResult> {
    const item = await this.store.get(key);
    if (!item) return { status: 'missing', key };
    if (item.status === 'rejected') return { status: 'rejected', key, error: item.error ?? toOutboxError(null) };
    const tried = { ...item, attempts: item.attempts + 1, lastAttemptAt: this.now().toISOString() };
    try {
      const report = await this.transport(tried);
      await this.store.delete(key);
      this.sent.unshift({ key, id: report.id, code: report.code, at: this.now().toISOString() });
      return { status: 'sent', key, report };
    } catch (err) {
      const error = toOutboxError(err);
      if (retryable(error)) {
        await this.store.put({ ...tried, error });
        return { status: 'queued', key, error };
      }
      await this.store.put({ ...tried, status: 'rejected', error });
      return { status: 'rejected', key, error };
    }
  }

  /** Tries every pending item once, oldest first, one after the other (a slow line is not flooded). */
  async flush(): Promise<SendResult[]> {
    const results: SendResult[] = [];
    for (const item of await this.list()) {
      if (item.status !== 'pending') continue;
      const r = await this.send(item.key);
      results.push(r);
      // Still offline: the others would fail the same way.
      if (r.status === 'queued' && r.error.status === 0) break;
    }
    return results;
  }

  async remove(key: string): Promise<void> {
    await this.store.delete(key);
    this.changed();
  }
}

// ---- storage ---------------------------------------------------------------------------------------------

/** In memory (tests; browsers without IndexedDB, where the queue lasts as long as the page). */
export function memoryStore(): OutboxStore {
  const m = new Map<string, OutboxItem>();
  return {
    all: async () => [...m.values()],
    get: async (k) => m.get(k),
    put: async (i) => {
      m.set(i.key, i);
    },
    delete: async (k) => {
      m.delete(k);
    },
  };
}

const DB = 'tinhso-feedback';
const STORE = 'outbox';

function idbRequest<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** IndexedDB, one object store keyed by the Idempotency-Key; Blobs are stored as they are. */
export function indexedDbStore(factory: IDBFactory = indexedDB): OutboxStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const r = factory.open(DB, 1);
      r.onupgradeneeded = () => {
        if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE, { keyPath: 'key' });
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => {
        db = null;
        reject(r.error);
      };
    });
    return db;
  };
  const run = async <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const d = await open();
    const tx = d.transaction(STORE, mode);
    const result = await idbRequest(fn(tx.objectStore(STORE)));
    if (mode === 'readwrite') {
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    }
    return result;
  };
  return {
    all: () => run('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>),
    get: (k) => run('readonly', (s) => s.get(k) as IDBRequest<OutboxItem | undefined>),
    put: async (i) => {
      await run('readwrite', (s) => s.put(i));
    },
    delete: async (k) => {
      await run('readwrite', (s) => s.delete(k));
    },
  };
}

// ---- transport -------------------------------------------------------------------------------------------

/** The multipart body: part `report` = the JSON text, one part `photo` per photo. */
export function formDataOf(item: OutboxItem): FormData {
  const fd = new FormData();
  fd.append('report', JSON.stringify(item.report));
  for (const p of item.photos) fd.append('photo', p.blob, p.name);
  return fd;
}

/** POST /api/v1/field-reports as multipart with the item's Idempotency-Key (and the CSRF token, via `request`). */
export const httpTransport: Transport = (item) =>
  request<Report>('POST', '/api/v1/field-reports', {
    body: formDataOf(item),
    headers: { 'idempotency-key': item.key },
    allowAnonymous: true,
  });

// ---- the app's queue -------------------------------------------------------------------------------------

const PENDING_FLAG = 'tinhso.feedback.outbox';
let shared: Outbox | null = null;

/** The device's queue (IndexedDB when the browser has it). */
export function getOutbox(): Outbox {
  if (!shared) {
    const store = typeof indexedDB !== 'undefined' ? indexedDbStore() : memoryStore();
    shared = new Outbox(store, httpTransport);
    // A cheap hint for the app's start: open IndexedDB only when something may be waiting.
    shared.subscribe(() => {
      void shared
        ?.list()
        .then((items) => {
          if (items.length > 0) localStorage.setItem(PENDING_FLAG, String(items.length));
          else localStorage.removeItem(PENDING_FLAG);
        })
        .catch(() => {});
    });
  }
  return shared;
}

/** Whether the queue may hold something (set while items are stored). */
export function mayHavePending(): boolean {
  try {
    return localStorage.getItem(PENDING_FLAG) !== null;
  } catch {
    return true;
  }
}
