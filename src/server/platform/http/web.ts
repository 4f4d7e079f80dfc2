/**
 * Serves the built React app (dist/web) with long-lived caching for hashed assets.
 * Unknown non-API GET routes fall back to index.html (client-side routing).
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { App } from './types';

export const webDistDir = path.resolve(import.meta.dirname, '../../../../dist/web');

export async function registerWeb(app: App): Promise<void> {
  if (!fs.existsSync(path.join(webDistDir, 'index.html'))) {
    app.log.warn('dist/web chưa được build: chạy `npm run build:web`');
  }
  await app.register(fastifyStatic, {
    root: webDistDir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    setHeaders(res, filePath) {
      if (filePath.includes(`${path.sep}assets${path.sep}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
      else res.header('cache-control', 'no-cache');
    },
  });
}
