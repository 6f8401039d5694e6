// Provider API keys at rest: AES-256-GCM with a random IV, stored as
// "v2:<key id>:<iv>:<ciphertext>:<tag>" (base64), where the key id is a short hash of the key that
// made it, so that a reader knows which key to use and a rotation knows what is left to re-encrypt.
// "v1:<iv>:<ciphertext>:<tag>" (before key ids) is still read, with either key.
// Two keys can be held at once: ENCRYPTION_KEY, which encrypts, and ENCRYPTION_KEY_PREVIOUS, which
// only decrypts, while a rotation is under way (`npm run admin -- keys rotate`, lib/admin/keys.ts).
// Every encrypted column is listed in lib/admin/keys.ts (ENCRYPTED_COLUMNS), which rotates them.
import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/env";

export interface KeyRing {
  /** Encrypts; decrypts what it made. */
  current: Buffer;
  /** Decrypts only: what the key before it made. */
  previous?: Buffer;
}

/** The keys the settings name (lib/env.ts: the environment, or DATA_DIR/secrets.json). */
export function keyRing(): KeyRing {
  const e = env();
  return {
    current: Buffer.from(e.ENCRYPTION_KEY, "base64"),
    previous: e.ENCRYPTION_KEY_PREVIOUS ? Buffer.from(e.ENCRYPTION_KEY_PREVIOUS, "base64") : undefined,
  };
}

/** A key's id: 8 hex characters of its SHA-256 (names a key in a ciphertext and a message, never reveals it). */
export function keyId(key: Buffer): string {
  return crypto.createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export function encryptSecret(plain: string, ring: KeyRing = keyRing()): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", ring.current, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v2", keyId(ring.current), iv.toString("base64"), data.toString("base64"), cipher.getAuthTag().toString("base64")].join(":");
}

/** A stored secret that cannot be read with the keys at hand; the message says which setting to fix. */
export class SecretKeyMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyMismatch";
  }
}

function open(key: Buffer, iv: string, data: string, tag: string) {
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}

const describeRing = (ring: KeyRing) =>
  `ENCRYPTION_KEY is key ${keyId(ring.current)}, ENCRYPTION_KEY_PREVIOUS is ${ring.previous ? `key ${keyId(ring.previous)}` : "not set"}`;

export function decryptSecret(stored: string, ring: KeyRing = keyRing()): string {
  const parts = stored.split(":");
  if (parts[0] === "v2" && parts.length === 5) {
    const [, id, iv, data, tag] = parts;
    const key = [ring.current, ring.previous].find((k) => k && keyId(k) === id);
    if (!key) {
      throw new SecretKeyMismatch(
        `A stored key was encrypted with key ${id}, which this server does not hold (${describeRing(ring)}). ` +
          "During a key rotation, set ENCRYPTION_KEY_PREVIOUS to the key that was replaced.",
      );
    }
    return open(key, iv, data, tag);
  }
  if (parts[0] === "v1" && parts.length === 4) {
    const [, iv, data, tag] = parts;
    for (const key of [ring.current, ring.previous]) {
      if (!key) continue;
      try {
        return open(key, iv, data, tag);
      } catch {
        // not this key: GCM's tag says so
      }
    }
    throw new SecretKeyMismatch(
      `A stored key (of the format before key ids) opens with neither key this server holds (${describeRing(ring)}). ` +
        "During a key rotation, set ENCRYPTION_KEY_PREVIOUS to the key that was replaced.",
    );
  }
  throw new Error("Unknown secret format");
}

/** Whether a stored secret is under another key than the current one (or of the format before key ids). */
export function needsReencryption(stored: string, ring: KeyRing): boolean {
  const parts = stored.split(":");
  return !(parts[0] === "v2" && parts[1] === keyId(ring.current));
}

export function last4(secret: string) {
  return secret.slice(-4);
}

export function sha256(s: string) {
  return crypto.createHash("sha256").update(s).digest("hex");
}

export function hmac(s: string) {
  return crypto.createHmac("sha256", env().AUTH_SECRET).update(s).digest("base64url");
}
