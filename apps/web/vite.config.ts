/**
 * Vite config for the Meridian web app. `npm run dev -w @meridian/web` serves it with hot reload and
 * proxies `/api` to a server on 127.0.0.1:8080 (`meridian serve`); `vite build` writes `dist/`, which
 * the server serves at `/`.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  // `source` lets the browser bundle import @meridian/* TypeScript sources directly (pure packages only).
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: [`${root}/index.html`, `${root}/viewer.html`] },
  },
  server: {
    proxy: {
      "/api": { target: process.env.MERIDIAN_API_URL ?? "http://127.0.0.1:8080", changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      "/api": { target: process.env.MERIDIAN_API_URL ?? "http://127.0.0.1:8080", changeOrigin: false },
    },
  },
});
