// Applies prisma/migrations/*/migration.sql that the database has not seen, keeping Prisma's own
// `_prisma_migrations` table (so `prisma migrate deploy` stays compatible where it can run).
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { noFilters, openSchemaEngine, readMigrations } from "./engine";

export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await openSchemaEngine(factory);
  try {
    const out = await engine.applyMigrations({ migrationsList: readMigrations(), filters: noFilters });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}
