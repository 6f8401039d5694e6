// Writes the next migration: the SQL that turns the committed migrations into prisma/schema.prisma.
// usage: npm run db:diff -- <name>
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { MIGRATIONS_DIR, SCHEMA_PATH, noFilters, openSchemaEngine, readMigrations } from "../lib/db/engine";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("usage: npm run db:diff -- <name>");
  process.exit(2);
}
const pg = new PGlite();
const engine = await openSchemaEngine(new PrismaPGlite(pg));
const migrations = readMigrations();
const from = migrations.migrationDirectories.length ? { tag: "migrations" as const, ...migrations } : { tag: "empty" as const };
const out = await engine.diff({
  from,
  to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: fs.readFileSync(SCHEMA_PATH, "utf8") }] },
  script: true,
  exitCode: null,
  filters: noFilters,
});
engine.free();
await pg.close();
const sql = (out.stdout ?? "").trim();
if (!sql || sql === "-- This is an empty migration.") {
  console.log("The schema matches the migrations: nothing to write.");
} else {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
  const lock = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider = "postgresql"\n');
  console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}
