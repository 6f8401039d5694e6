// The one place that reads process.env: every setting Batchboard has, validated once. settings() is
// the validated variables alone, for code that must not make the secrets (the build's config, the
// schema engine, test helpers); env() adds the secrets.
// On the embedded default (no DATABASE_URL) the two secrets are generated on first start and kept
// in the data folder, so a new user has no file to edit. With PostgreSQL, several instances must
// share them: then they must be set, and a missing one stops the start with a clear message.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);
const str = () => z.preprocess(emptyAsUndefined, z.string().optional());
const int = (d: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().nonnegative().default(d));
const bool = (d: boolean) =>
  z.preprocess(emptyAsUndefined, z.enum(["true", "false", "1", "0"]).default(d ? "true" : "false")).transform((v) => v === "true" || v === "1");

const schema = z.object({
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  DATABASE_URL: str(),
  AUTH_SECRET: str(),
  ENCRYPTION_KEY: str(),
  /** A team's files may hold at most this many MB (valid files and those being stored); 0: no quota. */
  TEAM_STORAGE_QUOTA_MB: int(0),
  /** Uploads one user may run at once; the next is refused with 429 until one ends. 0: no limit. */
  MAX_UPLOADS_PER_USER: int(3),
  PORT: int(3000),
  /** Where the app reaches itself (the sandbox provider is served by the app). */
  INTERNAL_URL: str(),
  SYNC_WORKER: bool(true),
  SYNC_MIN_INTERVAL_MS: int(1000),
  SYNC_MAX_INTERVAL_MS: int(60_000),
  SANDBOX_MS_PER_REQUEST: int(400),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["debug", "info", "warn", "error"]).default("info")),
  /** Next's build folder: several dev servers can share one checkout, each with its own. */
  NEXT_DIST_DIR: z.preprocess(emptyAsUndefined, z.string().default(".next")),
  /** Print the schema engine's log lines (migrations) to stderr. */
  PRISMA_ENGINE_DEBUG: bool(false),
  /** Tests: a PostgreSQL server URL whose user may create databases (otherwise PGlite in memory). */
  TEST_DATABASE_URL: str(),
  /** Tests and bench: the team's shared folder, when it is not beside the checkout as ../shared. */
  SHARED_DIR: str(),
});

export type Settings = z.infer<typeof schema>;

/** The environment's variables, validated; no secret is read or made. Not cached: tests change process.env. */
export function settings(): Settings {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid settings in the environment:\n${lines}`);
  }
  return parsed.data;
}

export type Env = Settings & { AUTH_SECRET: string; ENCRYPTION_KEY: string; INTERNAL_URL: string };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const e = settings();
  const secrets = e.AUTH_SECRET && e.ENCRYPTION_KEY ? null : embeddedSecrets(e);
  const encryptionKey = e.ENCRYPTION_KEY ?? secrets!.ENCRYPTION_KEY;
  if (Buffer.from(encryptionKey, "base64").length !== 32) {
    throw new Error("ENCRYPTION_KEY must be 32 bytes in base64 (make one with: openssl rand -base64 32)");
  }
  cached = {
    ...e,
    AUTH_SECRET: e.AUTH_SECRET ?? secrets!.AUTH_SECRET,
    ENCRYPTION_KEY: encryptionKey,
    INTERNAL_URL: (e.INTERNAL_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, ""),
  };
  return cached;
}

/** Forget the cached settings (tests change process.env between suites). */
export function resetEnvForTests() {
  cached = undefined;
}

function embeddedSecrets(e: Settings) {
  if (e.DATABASE_URL) {
    const missing = ["AUTH_SECRET", "ENCRYPTION_KEY"].filter((k) => !process.env[k]);
    throw new Error(
      `${missing.join(" and ")} must be set when DATABASE_URL is set (all instances must share them). ` +
        "Make each with: openssl rand -base64 32",
    );
  }
  const file = path.join(e.DATA_DIR, "secrets.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as { AUTH_SECRET: string; ENCRYPTION_KEY: string };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const made = {
    AUTH_SECRET: crypto.randomBytes(32).toString("base64"),
    ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
  };
  fs.mkdirSync(e.DATA_DIR, { recursive: true });
  // "wx": if another process wrote it first, keep theirs.
  try {
    fs.writeFileSync(file, JSON.stringify(made, null, 2), { mode: 0o600, flag: "wx" });
    return made;
  } catch {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  }
}
