// The sandbox provider's API keys: "sk-sandbox-<team>.<hmac>", so the server can tell which team's
// files and batches a key opens without storing keys of its own.
import "server-only";
import crypto from "node:crypto";
import { hmac } from "@/lib/crypto";

const PREFIX = "sk-sandbox-";

export function sandboxKeyForTeam(teamId: string) {
  const t = Buffer.from(teamId).toString("base64url");
  return `${PREFIX}${t}.${hmac(`sandbox:${teamId}`)}`;
}

export function teamOfSandboxKey(key: string | null | undefined): string | null {
  if (!key?.startsWith(PREFIX)) return null;
  const [t, mac] = key.slice(PREFIX.length).split(".");
  if (!t || !mac) return null;
  const teamId = Buffer.from(t, "base64url").toString();
  const expected = Buffer.from(hmac(`sandbox:${teamId}`));
  const given = Buffer.from(mac);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? teamId : null;
}
