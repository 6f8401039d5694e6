import fs from "node:fs/promises";

/** Removes the run's data folder (database, uploads, secrets) once every test is done. */
export default async function teardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && dir.includes("batchboard-e2e-")) await fs.rm(dir, { recursive: true, force: true });
}
