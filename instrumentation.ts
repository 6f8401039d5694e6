// Runs once per server process before the first request: record each request's socket address
// (lib/http/client-ip.ts), open the database (applying migrations) and start the sync worker.
// NEXT_RUNTIME is Next's own marker, not a setting: this file is also compiled for the edge runtime,
// so it reads the marker directly and leaves lib/env.ts (node:fs, node:crypto) to the Node branch.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: `next start` accepts connections before this runs; the sooner, the fewer unknown addresses.
  (await import("./lib/http/client-ip")).installPeerAddress();
  const { startServer } = await import("./lib/server/start");
  await startServer();
}
