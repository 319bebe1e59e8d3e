import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

// The bundle is served from app://scribe/ in Electron and from http://127.0.0.1:PORT/ by the web
// bridge; both are origin roots, so absolute '/' paths work in both.
// The CSP allows only same-origin scripts and styles: nothing in the output may be inline.
export default defineConfig({
  root: rendererRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // The polyfill is an inline <script>, which script-src 'self' refuses.
    modulePreload: { polyfill: false },
    // Never turn small assets into data: URLs in CSS or scripts; keep everything a same-origin file.
    assetsInlineLimit: 0,
    target: 'es2023',
  },
  server: {
    host: '127.0.0.1',
    strictPort: true,
  },
});
