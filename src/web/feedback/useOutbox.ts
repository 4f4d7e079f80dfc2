/** React glue for the offline queue and the connection state. */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { getOutbox, type OutboxItem } from './outbox';

function subscribeOnline(fn: () => void): () => void {
  window.addEventListener('online', fn);
  window.addEventListener('offline', fn);
  return () => {
    window.removeEventListener('online', fn);
    window.removeEventListener('offline', fn);
  };
}

/** navigator.onLine, kept current by the online/offline events. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine !== false,
    () => true,
  );
}

/**
 * The queue's items, kept current; `flush` and `retry` send them. The queue is also flushed when this
 * hook first runs and when the connection comes back.
 */
export function useOutbox() {
  const outbox = getOutbox();
  const [items, setItems] = useState<OutboxItem[]>([]);
  const [, setTick] = useState(0);

  useEffect(() => {
    let alive = true;
    const load = () => {
      void outbox
        .list()
        .then((list) => {
          if (alive) setItems(list);
        })
        .catch(() => {});
      setTick((n) => n + 1);
    };
    const off = outbox.subscribe(load);
    load();
    const flush = () => void outbox.flush().catch(() => {});
    window.addEventListener('online', flush);
    if (navigator.onLine !== false) flush();
    return () => {
      alive = false;
      off();
      window.removeEventListener('online', flush);
    };
  }, [outbox]);

  const retry = useCallback((key: string) => outbox.send(key), [outbox]);
  const flush = useCallback(() => outbox.flush(), [outbox]);
  const remove = useCallback((key: string) => outbox.remove(key), [outbox]);
  return { items, retry, flush, remove, isSending: (key: string) => outbox.isSending(key), sent: outbox.sent };
}
