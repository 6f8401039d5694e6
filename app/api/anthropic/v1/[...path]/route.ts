// Batchboard's Anthropic-compatible Message Batches API (/api/anthropic/v1/messages/batches;
// docs/api.md), authenticated by a team's API token (x-api-key, or Authorization: Bearer):
// lib/api/anthropic.ts. No cookies are read, so no Origin check.
import { handleAnthropicApi } from "@/lib/api/anthropic";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => handleAnthropicApi(request);
export const POST = (request: Request) => handleAnthropicApi(request);
// Methods no address here takes (DELETE is the SDK's batches.delete), exported so that they are
// answered with a 405 in Anthropic's error shape after the token is checked, not Next's empty one.
export const PUT = (request: Request) => handleAnthropicApi(request);
export const PATCH = (request: Request) => handleAnthropicApi(request);
export const DELETE = (request: Request) => handleAnthropicApi(request);
