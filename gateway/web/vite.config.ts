import { defineConfig } from "vite";

// Everything the UI needs is bundled into dist/ (no CDN: the product runs offline). `npm run dev` proxies the API
// to a local ./run.sh.
export default defineConfig({
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/api": "http://127.0.0.1:8080", "/health": "http://127.0.0.1:8080" } },
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});
