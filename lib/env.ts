// The one place that reads process.env: every setting Batchboard has, validated once. settings() is
// the validated variables alone, for code that must not make the secrets (proxy.ts, the schema
// engine, test helpers); env() adds the secrets. Files Node loads itself, which cannot import this
// one (next.config.mjs, scripts/start.mjs), read the few variables they need directly; the server
// validates them all here when it starts (lib/server/start.ts).
// On the embedded default (no DATABASE_URL) the two secrets are generated on first start and kept
// in the data folder, so a new user has no file to edit. With PostgreSQL, several instances must
// share them: then they must be set, and a missing one stops the start with a clear message.
// ENCRYPTION_KEY_PREVIOUS is set only during a key rotation (lib/crypto.ts, lib/admin/keys.ts): from
// the environment beside ENCRYPTION_KEY, or, for the generated key, in secrets.json beside it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);
const str = () => z.preprocess(emptyAsUndefined, z.string().optional());
const int = (d: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().nonnegative().default(d));
/** A comma-separated list of host names (Next's serverActions.allowedOrigins form: "app.example.com", "*.example.com"). */
const hostList = () =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("")
      .transform((v) => v.split(",").map((h) => h.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[^\s/:]+(:\d+)?$/, "write host names such as app.example.com or *.example.com:8443, without http:// or a path"))),
  );
const bool = (d: boolean) =>
  z.preprocess(emptyAsUndefined, z.enum(["true", "false", "1", "0"]).default(d ? "true" : "false")).transform((v) => v === "true" || v === "1");

const schema = z.object({
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  DATABASE_URL: str(),
  AUTH_SECRET: str(),
  ENCRYPTION_KEY: str(),
  /** The key ENCRYPTION_KEY replaced, read (never written with) while a rotation is under way. */
  ENCRYPTION_KEY_PREVIOUS: str(),
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
  /**
   * Tests and demos: poll every batch this often instead of at its provider's own pace
   * (lib/providers/poll.ts); SYNC_MIN_INTERVAL_MS still bounds it from below.
   */
  SYNC_POLL_OVERRIDE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().nonnegative().optional()),
  /**
   * Private hosts provider connections may reach (a team's own vLLM or Ollama): host names (exact
   * or *.suffix), IPs and CIDRs, separated by commas. Everything private is refused otherwise.
   */
  ALLOWED_PRIVATE_HOSTS: str(),
  /**
   * Other sites' hosts whose pages may post to Batchboard (server actions and mutating routes); the
   * app's own address (Host or X-Forwarded-Host) is always allowed. See lib/http/origin.ts.
   */
  ALLOWED_ORIGINS: hostList(),
  /** Set by Next itself ("development" under next dev): the page policy allows eval there only. */
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(["development", "production", "test"]).default("production")),
  /**
   * How many reverse proxies stand in front of the app and append to X-Forwarded-For. 0: the client
   * talks to the app directly, and any forwarding header it sends is ignored (lib/http/client-ip.ts).
   */
  TRUST_PROXY: int(0),
  /** Who may create an account once the first one exists (lib/auth/sign-up.ts). */
  SIGN_UP: z.preprocess(emptyAsUndefined, z.enum(["open", "invite", "closed"]).default("invite")),
  /** Sign-up attempts one client address may make per hour (lib/auth/rate-limits.ts). */
  SIGN_UPS_PER_IP_PER_HOUR: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(10)),
  /**
   * The address people open Batchboard at (https://batchboard.example.com): links in notification
   * emails and webhook messages. Unset: they carry the path alone.
   */
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.string().url("write the full address, such as https://batchboard.example.com").optional()),
  /** Email notifications over SMTP (lib/notify/email.ts). Unset host: no email is sent. */
  SMTP_HOST: str(),
  SMTP_PORT: int(587),
  SMTP_USER: str(),
  SMTP_PASS: str(),
  /** The sender, "Batchboard <batchboard@example.com>"; required with SMTP_HOST. */
  SMTP_FROM: str(),
  /**
   * starttls: plain connection upgraded with STARTTLS, required (port 587); tls: TLS from the first
   * byte (port 465); none: no encryption (a relay on the same host only).
   */
  SMTP_TLS: z.preprocess(emptyAsUndefined, z.enum(["starttls", "tls", "none"]).default("starttls")),
  /** Requests one API token may make per minute (lib/api/auth.ts); the next answers 429 with Retry-After. */
  API_REQUESTS_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(300)),
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

const withRules = schema.superRefine((v, ctx) => {
  if (v.SMTP_HOST && !v.SMTP_FROM) ctx.addIssue({ code: "custom", path: ["SMTP_FROM"], message: "set the sender (\"Batchboard <batchboard@example.com>\") when SMTP_HOST is set" });
  if (v.SMTP_USER && !v.SMTP_PASS) ctx.addIssue({ code: "custom", path: ["SMTP_PASS"], message: "set the password of SMTP_USER" });
});

/** The environment's variables, validated; no secret is read or made. Not cached: tests change process.env. */
export function settings(): Settings {
  const parsed = withRules.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid settings in the environment:\n${lines}`);
  }
  return parsed.data;
}

export type Env = Settings & { AUTH_SECRET: string; ENCRYPTION_KEY: string; ENCRYPTION_KEY_PREVIOUS?: string; INTERNAL_URL: string };

/** What DATA_DIR/secrets.json holds (embedded database, secrets not set in the environment). */
export interface EmbeddedSecrets {
  AUTH_SECRET: string;
  ENCRYPTION_KEY: string;
  /** Only while a rotation of the generated key is under way. */
  ENCRYPTION_KEY_PREVIOUS?: string;
}

const isKey = (v: string) => Buffer.from(v, "base64").length === 32;
const keyRule = (name: string) => `${name} must be 32 bytes in base64 (make one with: openssl rand -base64 32)`;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const e = settings();
  const secrets = e.AUTH_SECRET && e.ENCRYPTION_KEY ? null : embeddedSecrets(e);
  const encryptionKey = e.ENCRYPTION_KEY ?? secrets!.ENCRYPTION_KEY;
  if (!isKey(encryptionKey)) throw new Error(keyRule("ENCRYPTION_KEY"));
  // The previous key goes with the current one: from the environment, or from the file with it.
  const previousKey = e.ENCRYPTION_KEY_PREVIOUS ?? (e.ENCRYPTION_KEY ? undefined : secrets!.ENCRYPTION_KEY_PREVIOUS);
  if (previousKey !== undefined && !isKey(previousKey)) throw new Error(keyRule("ENCRYPTION_KEY_PREVIOUS"));
  cached = {
    ...e,
    AUTH_SECRET: e.AUTH_SECRET ?? secrets!.AUTH_SECRET,
    ENCRYPTION_KEY: encryptionKey,
    ENCRYPTION_KEY_PREVIOUS: previousKey,
    INTERNAL_URL: (e.INTERNAL_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, ""),
  };
  return cached;
}

/** Forget the cached settings (tests change process.env between suites). */
export function resetEnvForTests() {
  cached = undefined;
}

/** Tests: sets variables of this process's environment and forgets the cached settings. */
export function setEnvForTests(values: Record<string, string>) {
  Object.assign(process.env, values);
  resetEnvForTests();
}

/** The environment of a child process (a test's server or admin CLI run): this one's, with overrides. */
export function childProcessEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

export const secretsFile = (dataDir: string) => path.join(dataDir, "secrets.json");

/** The generated secrets, or undefined when there are none yet. */
export function readEmbeddedSecrets(dataDir: string): EmbeddedSecrets | undefined {
  try {
    return JSON.parse(fs.readFileSync(secretsFile(dataDir), "utf8")) as EmbeddedSecrets;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    return undefined;
  }
}

/**
 * Replaces secrets.json whole or not at all: written beside it, flushed to disk, renamed over it
 * (atomic), and the folder flushed, so a crash leaves the old file or the new one, never half of one.
 */
export function writeEmbeddedSecrets(dataDir: string, secrets: EmbeddedSecrets) {
  const file = secretsFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(secrets, null, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(dataDir, "r");
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

function embeddedSecrets(e: Settings): EmbeddedSecrets {
  if (e.DATABASE_URL) {
    const missing = ["AUTH_SECRET", "ENCRYPTION_KEY"].filter((k) => !process.env[k]);
    throw new Error(
      `${missing.join(" and ")} must be set when DATABASE_URL is set (all instances must share them). ` +
        "Make each with: openssl rand -base64 32",
    );
  }
  const file = secretsFile(e.DATA_DIR);
  const existing = readEmbeddedSecrets(e.DATA_DIR);
  if (existing) return existing;
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
