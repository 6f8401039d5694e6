// The model check before a launch (and at upload, when a connection is chosen): where the provider
// lists the models a key may use (capabilities.listsModels, GET /models), a model the key cannot use
// is named now, before anything is sent, instead of hours later as a failed batch. Best effort: when
// the list cannot be had, the provider judges the batch itself.
import "server-only";
import { UserError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Connection } from "./adapters";

/** The models of `wanted` that the connection's key cannot use; undefined when the provider lists none. */
export async function unavailableModels(conn: Connection, wanted: string[]): Promise<string[] | undefined> {
  if (!conn.profile.capabilities.listsModels || !conn.adapter.models || !wanted.length) return undefined;
  let listed: string[];
  try {
    listed = await conn.adapter.models();
  } catch (err) {
    log.info("launch.models_unlisted", { connectionId: conn.id, provider: conn.kind, reason: conn.adapter.classify(err).message });
    return undefined;
  }
  if (!listed.length) return undefined;
  const known = new Set(listed);
  return wanted.filter((m) => !known.has(m));
}

/** Refuses a launch whose models the key cannot use, naming them. */
export async function checkModels(conn: Connection, wanted: string[]) {
  const missing = await unavailableModels(conn, wanted);
  if (!missing?.length) return;
  const names = missing.map((m) => `"${m}"`).join(", ");
  throw new UserError(
    `${conn.name} cannot use the model${missing.length === 1 ? "" : "s"} ${names}: ${missing.length === 1 ? "it is" : "they are"} not among the models its key may use (${conn.profile.label} lists them at /models). Nothing was sent; fix the model in the file or choose another connection.`,
  );
}

/** Upload warnings for a file's models the chosen connection's key cannot use, each at the first line that names it. */
export async function modelWarnings(
  conn: Connection,
  models: string[],
  firstLineOf: (model: string) => Promise<number>,
): Promise<{ line: number; field: string; message: string }[]> {
  const missing = await unavailableModels(conn, models);
  if (!missing?.length) return [];
  return Promise.all(
    missing.map(async (m) => ({
      line: await firstLineOf(m),
      field: "body.model",
      message: `${conn.name} cannot use the model "${m}": it is not among the models its key may use (${conn.profile.label} lists them at /models). A launch there will be refused.`,
    })),
  );
}
