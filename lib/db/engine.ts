// Prisma's schema engine compiled to wasm, driven through a driver adapter: migrations work offline
// (the CLI would download a native engine). Used to apply the committed SQL migrations at start
// and by scripts/db-diff.ts to write new ones.
import fs from "node:fs";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
// Imported statically: Turbopack cannot follow a computed path to it.
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { settings } from "@/lib/env";
import { log } from "@/lib/log";

let ready = false;

function loadWasm() {
  if (ready) return;
  const file = path.join(process.cwd(), "node_modules/@prisma/schema-engine-wasm/schema_engine_bg.wasm");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), {
    "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
  });
  (bg as unknown as { __wbg_set_wasm(x: unknown): void }).__wbg_set_wasm(instance.exports);
  (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
  ready = true;
}

export const SCHEMA_PATH = path.join(process.cwd(), "prisma/schema.prisma");
export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma/migrations");
export const noFilters = { externalTables: [], externalEnums: [] };

export async function openSchemaEngine(factory: SqlMigrationAwareDriverAdapterFactory) {
  loadWasm();
  const schema = fs.readFileSync(SCHEMA_PATH, "utf8");
  const debug = settings().PRISMA_ENGINE_DEBUG ? (line: string) => log.info("db.schema_engine", { line }) : () => {};
  return bg.SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    debug,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}

export function readMigrations(): bg.MigrationList {
  const dirs = fs.existsSync(MIGRATIONS_DIR)
    ? fs.readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: fs.readFileSync(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8") },
      },
    })),
  };
}
