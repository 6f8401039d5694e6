// Preloaded into the bench's step processes (`node --import ./bench/react-server.mjs`), which run
// the server's modules outside Next with `--conditions=react-server`: there `next/navigation` is
// resolved to its client build, which needs React's client half (React.createContext) and fails to
// load (lib/auth/context.ts imports `redirect`, and the upload and results modules import it through
// lib/http/respond.ts). Next's own server bundler gives server code the react-server build: so does this.
import Module from "node:module";
import path from "node:path";

const clientBuild = path.join("next", "navigation.js");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const file = resolve.call(this, request, ...rest);
  return file.endsWith(clientBuild) ? path.join(path.dirname(file), "dist/client/components/navigation.react-server.js") : file;
};
