// The react-query fetcher for the /api/batches routes: JSON, or an Error carrying the route's message.
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}

/** Numbers the same on the server and in any browser, so hydration never disagrees. */
export const num = (n: number) => n.toLocaleString("en-US");
