import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The dashboard lives under /app/ on the API's own origin: the API's paths (/leads, /auth…) stay
 * the API's, and the server answers any other /app/ path with index.html for the router. For
 * `npm run dev -w @leadscore/web`, the API is proxied from LEADSCORE_URL (default :8000, as `npm start` serves it).
 */
const api = process.env.LEADSCORE_URL ?? 'http://127.0.0.1:8000';
const apiPaths = [
  '/auth',
  '/leads',
  '/activities',
  '/scoring',
  '/analytics',
  '/exports',
  '/users',
  '/api-keys',
  '/alert-rules',
  '/alerts',
  '/organizations',
];

const BRAND = '#1e4fd8';

export default defineConfig({
  base: '/app/',
  plugins: [
    react(),
    // Installable (the seed's mobile app): a web manifest, and a service worker that keeps the
    // dashboard's own files so it opens without a network. API answers are never cached:
    // they are one user's organisation's data, and a score is only worth its freshness.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Leadscore',
        short_name: 'Leadscore',
        description: 'Lead scores that explain themselves, live',
        start_url: '/app/',
        scope: '/app/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: BRAND,
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/app/index.html',
        navigateFallbackAllowlist: [/^\/app\//],
      },
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      ...Object.fromEntries(apiPaths.map((path) => [path, api])),
      '/socket.io': { target: api, ws: true },
    },
  },
});
