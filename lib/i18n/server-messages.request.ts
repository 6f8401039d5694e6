// The server's messages in the language of the request that gets them (lib/i18n/server-messages.ts):
// for the server actions and the browser's routes, never for /api/v1 or /api/anthropic, whose
// clients are SDKs reading English.
import "server-only";
import { locales, type z } from "zod";
import { DEFAULT_LOCALE, type Locale } from "./config";
import { localize, localizeFields } from "./server-messages";

/** The request's language; English outside a request (a test calling an action, a script). */
// preferences (cookies, the signed-in user) is loaded when asked, not with this module: its import of
// next/navigation needs React's client half, which a script outside Next (npm run bench, loading the
// upload handler under the react-server condition) does not have.
export async function requestLocale(): Promise<Locale> {
  try {
    const { preferences } = await import("./preferences");
    return (await preferences()).locale;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/**
 * `schema.safeParse(data)`; on a failure in Chinese, parsed again with zod's Chinese messages for
 * the checks the schema gives no message of its own (an id that is no UUID). Its own messages
 * stay English here: localizeResult translates them with the rest.
 */
export async function parseForRequest<S extends z.ZodType>(schema: S, data: unknown): Promise<z.ZodSafeParseResult<z.output<S>>> {
  const parsed = schema.safeParse(data);
  if (parsed.success || (await requestLocale()) !== "zh-CN") return parsed;
  return schema.safeParse(data, { error: locales.zhCN().localeError });
}

/** `message` in the request's language. */
export async function localizeForRequest(message: string): Promise<string> {
  return localize(message, await requestLocale());
}

/** An action's answer with its message and field errors in the request's language. */
export async function localizeResult<R extends { message?: string; fieldErrors?: Record<string, string> }>(result: R): Promise<R> {
  if (!result.message && !result.fieldErrors) return result;
  const locale = await requestLocale();
  if (locale === DEFAULT_LOCALE) return result;
  return {
    ...result,
    ...(result.message ? { message: localize(result.message, locale) } : {}),
    ...(result.fieldErrors ? { fieldErrors: localizeFields(result.fieldErrors, locale) } : {}),
  };
}

/** An error body of the browser's routes: { error: { message } } (lib/http/respond.ts) or the upload route's { error: "message" }. */
function localizeBody(body: unknown, locale: Locale): unknown {
  if (!body || typeof body !== "object") return body;
  const e = (body as { error?: unknown }).error;
  if (typeof e === "string") return { ...body, error: localize(e, locale) };
  if (e && typeof e === "object" && typeof (e as { message?: unknown }).message === "string") {
    return { ...body, error: { ...e, message: localize((e as { message: string }).message, locale) } };
  }
  return body;
}

/**
 * A browser route's answer in the request's language: a JSON error's message, and the "error"
 * events of an NDJSON stream (the upload's progress), passed through line by line as they come.
 */
export async function localizeResponse(res: Response): Promise<Response> {
  const type = res.headers.get("content-type") ?? "";
  const json = type.includes("application/json") && res.status >= 400;
  const ndjson = type.includes("application/x-ndjson") && res.body;
  if (!json && !ndjson) return res;
  const locale = await requestLocale();
  if (locale === DEFAULT_LOCALE) return res;
  const init = { status: res.status, statusText: res.statusText, headers: res.headers };
  if (json) {
    const text = await res.text();
    try {
      return new Response(JSON.stringify(localizeBody(JSON.parse(text), locale)), init);
    } catch {
      return new Response(text, init);
    }
  }
  let rest = "";
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const line = (l: string) => {
    if (!l.includes('"error"')) return l;
    try {
      const e = JSON.parse(l) as { type?: unknown; message?: unknown };
      return e.type === "error" && typeof e.message === "string" ? JSON.stringify({ ...e, message: localize(e.message, locale) }) : l;
    } catch {
      return l;
    }
  };
  const body = res.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
        rest = lines.pop()!;
        if (lines.length) controller.enqueue(encoder.encode(lines.map((l) => `${line(l)}\n`).join("")));
      },
      flush(controller) {
        rest += decoder.decode();
        if (rest) controller.enqueue(encoder.encode(line(rest)));
      },
    }),
  );
  return new Response(body, init);
}
