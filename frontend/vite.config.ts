import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const here = path.dirname(fileURLToPath(import.meta.url));

// The dApp imports the shared reference model, signing helpers and generated ABIs from
// ../scripts/lib, so the dev server must be allowed to read outside frontend/.
export default defineConfig({
  root: here,
  base: "./",
  plugins: [react()],
  server: { fs: { allow: [path.resolve(here, "..")] } },
  build: { outDir: path.resolve(here, "dist"), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
