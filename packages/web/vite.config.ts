import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard lives under /app/ on the API's own origin: the API's paths (/leads, /auth…) stay
 * the API's, and the server answers any other /app/ path with index.html for the router. For
 * `npm run dev -w @leadscore/web`, the API is proxied from LEADSCORE_URL (default :8000, as `npm start` serves it).
 */
const api = process.env.LEADSCORE_URL ?? 'http://127.0.0.1:8000';
const apiPaths = ['/auth', '/leads', '/activities', '/scoring', '/analytics', '/exports', '/users'];

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      ...Object.fromEntries(apiPaths.map((path) => [path, api])),
      '/socket.io': { target: api, ws: true },
    },
  },
});
