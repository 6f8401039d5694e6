"use client";
// An answer rendered as markdown, safely: raw HTML in the text is dropped (never rendered),
// react-markdown's URL filter drops javascript: and other unsafe links, links open in a new tab
// without handing it this page (noopener), and images show as links instead of loading, so an
// answer cannot make the browser fetch anything by itself.
import ReactMarkdown, { type Components } from "react-markdown";

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-brand-700 underline hover:text-brand-800">
      {children}
    </a>
  ),
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow" className="text-brand-700 underline">
        [image: {alt || src}]
      </a>
    ) : (
      <span>[image{alt ? `: ${alt}` : ""}]</span>
    ),
  pre: ({ children }) => <pre className="my-2 overflow-x-auto rounded-md bg-ink-950 p-3 text-xs leading-relaxed text-ink-50">{children}</pre>,
  code: ({ className, children }) => <code className={className ? `${className} font-mono` : "rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] text-slate-800 [pre_&]:bg-transparent [pre_&]:p-0 [pre_&]:text-inherit"}>{children}</code>,
  h1: ({ children }) => <h4 className="mt-3 mb-1 text-base font-semibold">{children}</h4>,
  h2: ({ children }) => <h4 className="mt-3 mb-1 text-sm font-semibold">{children}</h4>,
  h3: ({ children }) => <h5 className="mt-2 mb-1 text-sm font-semibold">{children}</h5>,
  p: ({ children }) => <p className="my-2 first:mt-0 last:mb-0">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc space-y-1 pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal space-y-1 pl-5">{children}</ol>,
  blockquote: ({ children }) => <blockquote className="my-2 border-l-2 border-slate-300 pl-3 text-slate-600">{children}</blockquote>,
  hr: () => <hr className="my-3 border-slate-200" />,
};

export function Markdown({ text }: { text: string }) {
  return (
    <div className="break-words text-sm leading-relaxed text-slate-900" data-testid="markdown">
      <ReactMarkdown skipHtml components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
