// Provider API keys at rest: AES-256-GCM with a random IV, stored as "v1:iv:ciphertext:tag" (base64).
// The version prefix lets the key be rotated later without guessing the format.
import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/env";

function key() {
  return Buffer.from(env().ENCRYPTION_KEY, "base64");
}

export function encryptSecret(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), data.toString("base64"), cipher.getAuthTag().toString("base64")].join(":");
}

export function decryptSecret(stored: string): string {
  const [version, iv, data, tag] = stored.split(":");
  if (version !== "v1" || !iv || !data || !tag) throw new Error("Unknown secret format");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
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
