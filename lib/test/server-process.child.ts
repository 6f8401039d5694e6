// A server process without Next, for tests that need a real second process: runs instrumentation.ts
// as `next start` does (same settings from the environment, same start-up code), prints "started"
// once it is up, and stays up until a signal stops it. Run with:
//   node --conditions=react-server --import tsx lib/test/server-process.child.ts
// Next's own marker of its Node runtime, which instrumentation.ts reads to start the server's work.
(await import("../env")).setEnvForTests({ NEXT_RUNTIME: "nodejs" });
const { register } = await import("../../instrumentation");
await register();
process.stdout.write("started\n");
setInterval(() => {}, 60_000);
export {};
