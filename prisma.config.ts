// Prisma CLI settings. The app itself never reads this file: it builds its client with a driver
// adapter (lib/db/client.ts) and applies migrations itself (lib/db/migrate.ts).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // env() would throw when unset; the embedded default has no URL at all.
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
