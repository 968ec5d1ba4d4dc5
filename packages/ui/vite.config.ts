import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs on VITRINA_PORT (3030 by default) and Vite proxies /api to it.
export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: { '/api': `http://127.0.0.1:${process.env.VITRINA_PORT ?? 3030}` } },
  build: { outDir: 'dist', sourcemap: true },
});
