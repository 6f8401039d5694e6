// How sizes and counts of files are written for people; shared by server code and the pages.

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

/** "6 MB", "200 MB", "1.5 KB", "512 bytes" ("512 字节" for a Chinese reader): how limits and file sizes are named. */
export function formatBytes(n: number, locale?: string): string {
  if (n < KB) return locale === "zh-CN" ? `${n} 字节` : `${n} byte${n === 1 ? "" : "s"}`;
  if (n < MB) return `${trim(n / KB)} KB`;
  if (n < GB) return `${trim(n / MB)} MB`;
  return `${trim(n / GB)} GB`;
}

function trim(x: number) {
  return x >= 100 ? Math.round(x).toString() : x >= 10 ? x.toFixed(1).replace(/\.0$/, "") : x.toFixed(2).replace(/\.?0+$/, "");
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export function plural(n: number, one: string, many = `${one}s`) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
