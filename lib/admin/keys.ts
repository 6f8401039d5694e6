// `npm run admin -- keys rotate`: re-encrypts every stored secret under a new ENCRYPTION_KEY, losing
// nothing whatever the moment a crash comes, with one procedure per place the key lives (README,
// Settings):
// - Set in the environment (PostgreSQL, where every instance shares it; or set by hand): the operator
//   sets the new ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS=<old key> on every instance (which then
//   read both), then runs the command: every secret not yet under the current key is re-encrypted,
//   in one transaction that locks the rows it reads; then ENCRYPTION_KEY_PREVIOUS can go.
// - Generated into DATA_DIR/secrets.json (embedded database): with the server stopped (the command
//   takes the data folder's lock, and says so if the folder is in use), it makes a new key, writes
//   it into secrets.json as current with the old one kept as previous (an atomic rename), then
//   re-encrypts in one transaction, then drops the previous key from the file. Until that last write
//   the file names both keys, so every stored secret decrypts at every step; run again after a crash,
//   the command finishes the interrupted rotation instead of starting another.
import "server-only";
import crypto from "node:crypto";
import path from "node:path";
import { openDatabase, type Db } from "@/lib/db/client";
import { withDatabase } from "./db";
import { Prisma } from "@/lib/generated/prisma/client";
import { decryptSecret, encryptSecret, keyId, keyRing, needsReencryption, SecretKeyMismatch, type KeyRing } from "@/lib/crypto";
import { readEmbeddedSecrets, secretsFile, settings, writeEmbeddedSecrets, type EmbeddedSecrets } from "@/lib/env";

/** Every column that holds encryptSecret's output. A new one must be added here, or a rotation would leave it behind. */
export const ENCRYPTED_COLUMNS = [
  { table: "ProviderConnection", column: "encryptedKey", what: "provider connection" },
  { table: "Webhook", column: "encryptedUrl", what: "webhook URL of" },
  { table: "Webhook", column: "encryptedSecret", what: "webhook secret of" },
] as const;

export interface Reencrypted {
  /** Secrets re-encrypted under the current key. */
  reencrypted: number;
  /** Secrets that were under it already. */
  alreadyCurrent: number;
}

/**
 * Re-encrypts, in one transaction, every stored secret that is not under `ring.current`. A secret
 * that neither key opens stops it all (nothing is written), with a message naming the row and the
 * setting to fix.
 */
export async function reencryptAll(prisma: Db, ring: KeyRing): Promise<Reencrypted> {
  return prisma.$transaction(
    async (tx) => {
      const out: Reencrypted = { reencrypted: 0, alreadyCurrent: 0 };
      for (const { table, column, what } of ENCRYPTED_COLUMNS) {
        const t = Prisma.raw(`"${table}"`);
        const c = Prisma.raw(`"${column}"`);
        // FOR UPDATE: an instance saving a key meanwhile waits, and its write is not lost under ours.
        const rows = await tx.$queryRaw<{ id: string; secret: string }[]>`SELECT "id", ${c} AS "secret" FROM ${t} WHERE ${c} IS NOT NULL ORDER BY "id" FOR UPDATE`;
        for (const r of rows) {
          if (!needsReencryption(r.secret, ring)) {
            out.alreadyCurrent++;
            continue;
          }
          let plain: string;
          try {
            plain = decryptSecret(r.secret, ring);
          } catch (err) {
            const why = err instanceof Error ? err.message : String(err);
            throw new SecretKeyMismatch(`Nothing was re-encrypted: the ${what} ${r.id} cannot be read. ${why}`);
          }
          await tx.$executeRaw`UPDATE ${t} SET ${c} = ${encryptSecret(plain, ring)} WHERE "id" = ${r.id}`;
          out.reencrypted++;
        }
      }
      return out;
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}

export type RotationStep = "new key written" | "re-encrypted";

export interface RotationOutcome extends Reencrypted {
  /** Where the keys live: the environment, or the data folder's secrets.json. */
  procedure: "environment" | "generated";
  keyId: string;
  previousKeyId?: string;
  /** The generated procedure found a rotation a crash had interrupted, and finished it. */
  resumed?: boolean;
  secretsFile?: string;
}

export interface RotateOptions {
  /** Called after each step that changes something: tests stop there to act a crash. */
  afterStep?: (step: RotationStep) => void | Promise<void>;
}

const b64 = (k: string) => Buffer.from(k, "base64");

/** `keys rotate`: the procedure for where the key lives, from the same settings as the server's. */
export async function rotateKeys(opts: RotateOptions = {}): Promise<RotationOutcome> {
  const s = settings();
  if (s.DATABASE_URL || s.ENCRYPTION_KEY) return rotateFromEnvironment();
  if (s.ENCRYPTION_KEY_PREVIOUS) {
    throw new Error(
      `ENCRYPTION_KEY_PREVIOUS is set but ENCRYPTION_KEY is not: the key is generated into ${secretsFile(s.DATA_DIR)}, and \`keys rotate\` replaces it there. Unset ENCRYPTION_KEY_PREVIOUS, or set both.`,
    );
  }
  return rotateGenerated(s.DATA_DIR, opts);
}

async function rotateFromEnvironment(): Promise<RotationOutcome> {
  const ring = keyRing();
  const done = await withDatabase((prisma) => reencryptAll(prisma, ring));
  return { procedure: "environment", keyId: keyId(ring.current), previousKeyId: ring.previous && keyId(ring.previous), ...done };
}

async function rotateGenerated(dataDir: string, opts: RotateOptions): Promise<RotationOutcome> {
  const none = () => new Error(`${secretsFile(dataDir)} does not exist: there is no generated key to rotate (Batchboard makes one on its first start).`);
  if (!readEmbeddedSecrets(dataDir)) throw none();
  // The lock before the file is read for good: the server must not run on the folder while its key changes.
  const h = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
  try {
    let secrets: EmbeddedSecrets | undefined = readEmbeddedSecrets(dataDir);
    if (!secrets) throw none();
    const resumed = Boolean(secrets.ENCRYPTION_KEY_PREVIOUS);
    if (!resumed) {
      secrets = { ...secrets, ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"), ENCRYPTION_KEY_PREVIOUS: secrets.ENCRYPTION_KEY };
      writeEmbeddedSecrets(dataDir, secrets);
      await opts.afterStep?.("new key written");
    }
    const ring: KeyRing = { current: b64(secrets.ENCRYPTION_KEY), previous: b64(secrets.ENCRYPTION_KEY_PREVIOUS!) };
    const done = await reencryptAll(h.prisma, ring);
    await opts.afterStep?.("re-encrypted");
    const { ENCRYPTION_KEY_PREVIOUS: _previous, ...rest } = secrets;
    writeEmbeddedSecrets(dataDir, rest);
    return { procedure: "generated", keyId: keyId(ring.current), previousKeyId: keyId(ring.previous!), resumed, secretsFile: secretsFile(dataDir), ...done };
  } finally {
    await h.close();
  }
}
