// Runs the real route handlers and server actions as a chosen visitor in vitest. Outside Next there
// is no request: this module stands in for the two things lib/auth/context.ts reads from it, the
// Auth.js session (auth()) and the request's cookies (next/headers), so everything after them (the
// membership lookup, the team cookie check, the role check, the handler) is the app's own code.
// A test file wires it with two vi.mock calls (see lib/authz.test.ts): "@/lib/auth/auth" mocked
// with this module's authModule(real module), and "next/headers" with its nextHeadersModule.
// signIn and signOut are stand-ins too (Auth.js's own read next/headers from outside vitest's
// module graph): they record the call and end as Auth.js does, with a redirect.
import { redirect } from "next/navigation";

export const visitor = {
  /** The signed-in user's id; null: signed out. */
  userId: null as string | null,
  cookies: new Map<string, string>(),
  headers: new Headers(),
  signIns: [] as { provider: string; options: Record<string, unknown> | undefined }[],
};

/** The next request comes from this user (null: signed out), with the team cookie set to `teamId`. */
export function visit(userId: string | null, teamId?: string) {
  visitor.userId = userId;
  visitor.cookies = new Map(teamId ? [["bb_team", teamId]] : []);
  visitor.headers = new Headers();
  visitor.signIns = [];
}

const jar = {
  get: (name: string) => (visitor.cookies.has(name) ? { name, value: visitor.cookies.get(name)! } : undefined),
  has: (name: string) => visitor.cookies.has(name),
  getAll: () => [...visitor.cookies].map(([name, value]) => ({ name, value })),
  set: (name: string, value: string) => void visitor.cookies.set(name, value),
  delete: (name: string) => void visitor.cookies.delete(name),
};

export const nextHeadersModule = {
  cookies: async () => jar,
  headers: async () => visitor.headers,
  draftMode: async () => ({ isEnabled: false, enable() {}, disable() {} }),
};

export function authModule<M extends object>(real: M) {
  return {
    ...real,
    auth: async () => (visitor.userId ? { user: { id: visitor.userId }, expires: new Date(Date.now() + 3600_000).toISOString() } : null),
    signIn: async (provider: string, options?: { redirectTo?: string; redirect?: boolean }) => {
      visitor.signIns.push({ provider, options });
      if (options?.redirect !== false) redirect(options?.redirectTo ?? "/");
    },
    signOut: async (options?: { redirectTo?: string }) => {
      visitor.userId = null;
      redirect(options?.redirectTo ?? "/");
    },
  };
}
