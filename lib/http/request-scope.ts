// What is known about the request being served beyond its session: the API token it came with, if
// any. Set once by the API's token check around the handler's work (withRequestScope) and read
// where a record says how something was done (the audit log, a batch's source), so that no function
// in between has to pass it along.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestScope {
  /** The API token that authenticated the request; absent for a browser session. */
  token?: { id: string; name: string };
}

const store = new AsyncLocalStorage<RequestScope>();

/** Runs `work` with `scope` visible to requestScope() in everything it calls, awaits included. */
export function withRequestScope<T>(scope: RequestScope, work: () => T): T {
  return store.run(scope, work);
}

/** The scope of the request being served, or {} outside withRequestScope (a browser request, a worker). */
export function requestScope(): RequestScope {
  return store.getStore() ?? {};
}
