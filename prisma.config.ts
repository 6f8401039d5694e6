// Prisma CLI settings. The app itself never reads this file: it builds its client with a driver
// adapter (lib/db/client.ts) and applies migrations itself (lib/db/migrate.ts).
import { defineConfig } from "prisma/config";
import { settings } from "./lib/env";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // The embedded default has no URL at all (and env() would make the secrets): settings() only.
  datasource: { url: settings().DATABASE_URL ?? "postgresql://localhost/unused" },
});
