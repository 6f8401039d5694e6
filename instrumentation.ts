// Runs once per server process before the first request: open the database (applying migrations)
// and start the sync worker.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server/start");
  await startServer();
}
