"use client";
// The detail drawer of one result: the request as a conversation, the answer as (safe) markdown,
// the pictures of an image endpoint (lib/results/images.ts), the reasoning, usage, finish reason,
// error, the uploaded CSV row, and the raw JSON line with a
// copy button. It does not trap focus (the table beside it stays usable): Esc closes it, and the
// arrow keys move to the next or previous row (handled by the browser, which owns the row list).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import type { ResultDetail, ResultRow } from "@/lib/results/types";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { fetchJson } from "@/components/batches/fetch-json";
import { imagesOf, type ResultImage } from "@/lib/results/images";
import { Markdown } from "./markdown";

export function ResultDrawer({
  batchId,
  row,
  position,
  onClose,
  onMove,
}: {
  batchId: string;
  /** The row as the list has it (shown at once); the full detail loads beside it. */
  row: Partial<ResultRow> & { id: string };
  position: string | null;
  onClose: () => void;
  onMove: (delta: 1 | -1) => void;
}) {
  const { data, error, isFetching } = useQuery({
    queryKey: ["result", batchId, row.id],
    queryFn: ({ signal }) => fetchJson<ResultDetail>(`/api/batches/${batchId}/results?row=${encodeURIComponent(row.id)}`, signal),
    staleTime: 60_000,
  });
  const t = useTranslations("results.drawer");
  const format = useFormatter();
  const num = (n: number) => format.number(n);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Focus moves into the drawer when it opens (not on every row change: arrows keep working).
    closeRef.current?.focus({ preventScroll: true });
  }, []);

  const r: Partial<ResultDetail> = data ?? row;
  const customId = r.customId ?? "…";
  const images = imagesOf(data?.raw);
  return (
    <aside
      role="dialog"
      aria-modal="false"
      aria-label={t("label", { id: customId })}
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-2xl flex-col border-l border-slate-200 bg-white shadow-2xl"
    >
      <header className="flex items-start justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div className="min-w-0">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
            {t("result")} {position && <span className="normal-case tabular-nums">· {position}</span>}
          </p>
          <h3 className="mt-0.5 break-all font-mono text-sm font-semibold text-slate-900">{customId}</h3>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
            {r.succeeded != null && <OutcomeBadge succeeded={r.succeeded} statusCode={r.statusCode ?? null} />}
            {r.line != null && <span>{t("inputLine", { line: r.line })}</span>}
            {r.model && <span className="font-mono">{r.model}</span>}
          </div>
        </div>
        <div className="flex shrink-0 items-center gap-1">
          <button type="button" className={buttonClass("ghost", "sm")} onClick={() => onMove(-1)} aria-label={t("previous")} title={`${t("previous")} (↑)`}>
            ↑
          </button>
          <button type="button" className={buttonClass("ghost", "sm")} onClick={() => onMove(1)} aria-label={t("next")} title={`${t("next")} (↓)`}>
            ↓
          </button>
          <button ref={closeRef} type="button" className={buttonClass("secondary", "sm")} onClick={onClose} title={`${t("close")} (Esc)`}>
            {t("close")}
          </button>
        </div>
      </header>

      <div
        aria-busy={isFetching && !data}
        className={cn("flex-1 space-y-5 overflow-y-auto px-5 py-4 text-sm transition-opacity", isFetching && !data && "opacity-70")}
      >
        {error && <p className="rounded-md bg-red-50 px-3 py-2 text-red-800">{t("loadError", { message: error.message })}</p>}

        <Section title={t("request")}>
          {data ? (
            data.requestBody ? (
              <Conversation body={data.requestBody} />
            ) : (
              <p className="text-slate-500">{t("noRequest")}</p>
            )
          ) : (
            <p className="whitespace-pre-wrap text-slate-700">{row.prompt ?? t("loading")}</p>
          )}
        </Section>

        {r.succeeded === false ? (
          <Section title={t("error")}>
            <div className="rounded-md bg-red-50 px-3 py-2 text-red-800 ring-1 ring-inset ring-red-200">
              {r.errorCode && <p className="font-mono text-xs font-semibold">{r.errorCode}</p>}
              <p className="mt-0.5 whitespace-pre-wrap break-words">{r.errorMessage ?? t("noErrorMessage")}</p>
            </div>
          </Section>
        ) : (
          <Section title={t("answer")}>
            {images.length > 0 && <Images images={images} />}
            {r.content ? <Markdown text={r.content} /> : images.length === 0 && <p className="text-slate-400">{t("emptyAnswer")}</p>}
          </Section>
        )}

        {r.reasoningContent && (
          <details className="rounded-md bg-slate-50 px-3 py-2 ring-1 ring-inset ring-slate-200">
            <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wide text-slate-500">
              {r.reasoningTokens != null ? t("reasoningTokens", { count: num(r.reasoningTokens) }) : t("reasoning")}
            </summary>
            <p className="mt-2 whitespace-pre-wrap break-words text-slate-700">{r.reasoningContent}</p>
          </details>
        )}

        <Section title={t("usage")}>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-1.5 sm:grid-cols-3">
            <Fact label={t("promptTokens")} value={r.promptTokens} />
            <Fact label={t("completionTokens")} value={r.completionTokens} />
            <Fact label={t("reasoningTokensLabel")} value={r.reasoningTokens} />
            <Fact label={t("totalTokens")} value={r.totalTokens} />
            <Fact label={t("finishReason")} value={r.finishReason} mono />
            <Fact label={t("requestId")} value={r.providerRequestId} mono />
          </dl>
        </Section>

        {data?.source && data.sourceColumns && (
          <Section title={data.source.row ? t("csvRow", { row: data.source.row }) : t("csvRowBare")}>
            <dl className="divide-y divide-slate-100 rounded-md ring-1 ring-inset ring-slate-200">
              {data.sourceColumns.map((c, i) => (
                <div key={i} className="grid grid-cols-3 gap-3 px-3 py-1.5">
                  <dt className="truncate text-slate-500" title={c}>
                    {c}
                  </dt>
                  <dd className="col-span-2 whitespace-pre-wrap break-words text-slate-800">{data.source!.cells[i] ?? ""}</dd>
                </div>
              ))}
            </dl>
          </Section>
        )}

        {data && <RawJson raw={data.raw} />}
      </div>
    </aside>
  );
}

/** The pictures an image endpoint answered: shown from their base64; a URL only as a link. */
function Images({ images }: { images: ResultImage[] }) {
  const t = useTranslations("results.drawer");
  return (
    <ul className="mb-2 grid grid-cols-2 gap-2" aria-label={t("images")}>
      {images.map((img, i) =>
        img.kind === "data" ? (
          <li key={i}>
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL from the result itself, not an asset next/image can optimise */}
            <img src={img.src} alt={t("imageAlt", { n: i + 1 })} className="aspect-square w-full rounded-md bg-slate-100 object-contain ring-1 ring-inset ring-slate-200 [image-rendering:pixelated]" />
          </li>
        ) : (
          <li key={i} className="break-all text-xs">
            <a href={img.href} target="_blank" rel="noreferrer noopener" className="text-indigo-700 underline">
              {t("imageLink", { n: i + 1 })}
            </a>
          </li>
        ),
      )}
    </ul>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h4>
      {children}
    </section>
  );
}

function Fact({ label, value, mono }: { label: string; value: number | string | null | undefined; mono?: boolean }) {
  const format = useFormatter();
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={cn("truncate text-slate-900", mono ? "font-mono text-xs" : "tabular-nums")} title={value == null ? undefined : String(value)}>
        {value == null || value === "" ? <span className="text-slate-400">—</span> : typeof value === "number" ? format.number(value) : value}
      </dd>
    </div>
  );
}

export function OutcomeBadge({ succeeded, statusCode }: { succeeded: boolean; statusCode: number | null }) {
  const t = useTranslations("results.outcome");
  return succeeded ? (
    <span className="inline-flex rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-inset ring-emerald-200">{statusCode ?? t("ok")}</span>
  ) : (
    <span className="inline-flex rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-200">
      {statusCode ? t("failedCode", { code: statusCode }) : t("failed")}
    </span>
  );
}

type Part = { type?: string; text?: string; image_url?: { url?: string } | string; [k: string]: unknown };
type Message = { role?: string; content?: string | Part[] | null; name?: string; [k: string]: unknown };

/** Text of a message's content: a string, or the text parts of an array (other parts named). */
function contentText(content: Message["content"]): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return JSON.stringify(content, null, 2);
  return content
    .map((p) => (typeof p === "string" ? p : p.type === "text" || typeof p.text === "string" ? (p.text ?? "") : `[${p.type ?? "part"}]`))
    .join("\n");
}

const ROLE_STYLE: Record<string, string> = {
  system: "bg-amber-50 ring-amber-200",
  user: "bg-slate-50 ring-slate-200",
  assistant: "bg-brand-50 ring-brand-200",
};

/** The request body: its messages as a conversation (or the embeddings input), then the other parameters. */
function Conversation({ body }: { body: unknown }) {
  const t = useTranslations("results.drawer");
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const messages: Message[] = [];
  // Anthropic's Messages API keeps the system prompt beside the messages.
  if (typeof b.system === "string") messages.push({ role: "system", content: b.system });
  if (Array.isArray(b.messages)) messages.push(...(b.messages as Message[]));
  const input = b.input ?? b.prompt;
  const params = Object.entries(b).filter(([k]) => !["messages", "system", "input", "prompt"].includes(k));
  return (
    <div className="space-y-2">
      {messages.map((m, i) => (
        <div key={i} className={cn("rounded-md px-3 py-2 ring-1 ring-inset", ROLE_STYLE[m.role ?? ""] ?? "bg-white ring-slate-200")}>
          <p className="text-xs font-semibold text-slate-500">
            {m.role ?? t("message")}
            {m.name ? ` · ${m.name}` : ""}
          </p>
          <p className="mt-0.5 whitespace-pre-wrap break-words text-slate-800">{contentText(m.content)}</p>
        </div>
      ))}
      {input !== undefined && (
        <pre className="whitespace-pre-wrap break-words rounded-md bg-slate-50 px-3 py-2 text-slate-800 ring-1 ring-inset ring-slate-200">
          {typeof input === "string" ? input : JSON.stringify(input, null, 2)}
        </pre>
      )}
      {params.length > 0 && (
        <dl className="flex flex-wrap gap-x-4 gap-y-1 pt-1 text-xs">
          {params.map(([k, v]) => (
            <div key={k} className="flex gap-1">
              <dt className="text-slate-500">{k}</dt>
              <dd className="break-all font-mono text-slate-800">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function RawJson({ raw }: { raw: string }) {
  const t = useTranslations("results.drawer");
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(raw);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <section>
      <div className="mb-1.5 flex items-center justify-between">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t("raw")}</h4>
        <button type="button" className={buttonClass("secondary", "sm")} onClick={copy}>
          {copied === "yes" ? t("copied") : copied === "no" ? t("copyFailed") : t("copyJson")}
        </button>
      </div>
      <pre tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-ink-950 p-3 font-mono text-xs leading-relaxed text-ink-50" aria-label={t("rawLabel")}>
        {raw}
      </pre>
    </section>
  );
}
