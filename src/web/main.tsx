import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { initI18n } from './i18n';
import './styles.css';

const root = document.getElementById('root');
void initI18n().then(() => {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // Field reports waiting on this device (offline queue) are sent now and whenever the connection returns.
  void import('./feedback/startup').then((m) => m.resumeOutbox());
});

// The service worker (installable app, the shell and the map offline) only in production builds.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
    // Files this page loaded before the worker was in control are handed to it, so the first visit works offline too.
    const handOver = () =>
      navigator.serviceWorker.controller?.postMessage({
        type: 'cache-assets',
        urls: performance
          .getEntriesByType('resource')
          .map((e) => new URL(e.name).pathname)
          .filter((p) => p.startsWith('/assets/')),
      });
    void navigator.serviceWorker.ready.then(() => {
      setTimeout(handOver, 1000);
      setTimeout(handOver, 8000);
    });
  });
}
