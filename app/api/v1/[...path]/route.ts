// Batchboard's OpenAI-compatible API (/api/v1/files, /api/v1/batches; docs/api.md), authenticated by
// a team's API token (Authorization: Bearer): lib/api/openai.ts. No cookies are read, so no Origin
// check: a page of another site cannot make a browser send the token. Keep it out of proxy.ts's
// matcher: a proxy cuts request bodies (uploads) to 10 MB.
import { handleOpenAiApi } from "@/lib/api/openai";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => handleOpenAiApi(request);
export const POST = (request: Request) => handleOpenAiApi(request);
export const DELETE = (request: Request) => handleOpenAiApi(request);
// Methods no address here takes, exported so that they are answered with a 405 in OpenAI's error
// shape after the token is checked, not Next's empty one.
export const PUT = (request: Request) => handleOpenAiApi(request);
export const PATCH = (request: Request) => handleOpenAiApi(request);
