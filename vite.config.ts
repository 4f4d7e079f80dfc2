/**
 * Web app build (React SPA). Sources in src/web, output in dist/web, which the Fastify server serves.
 * In development (`npm run dev:web`) API calls are proxied to the server on port 3000.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://localhost:3000';

export default defineConfig({
  root: 'src/web',
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': api,
      '/oidc': api,
      '/healthz': api,
    },
  },
});
