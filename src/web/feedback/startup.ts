/**
 * Loaded by main.tsx after the first render: sends what the offline queue still holds when the app starts
 * and whenever the connection comes back, on any page (not only the field-report pages).
 */
import { getOutbox, mayHavePending } from './outbox';

let started = false;

export function resumeOutbox(): void {
  if (started) return;
  started = true;
  const flush = () => {
    if (mayHavePending() && navigator.onLine !== false)
      void getOutbox()
        .flush()
        .catch(() => {});
  };
  window.addEventListener('online', flush);
  flush();
}
