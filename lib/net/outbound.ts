// The one outbound guard: every request Batchboard makes to an address a user typed (provider
// connections, through both SDKs; team webhooks, lib/notify/delivery.ts) goes through outboundFetch(). Without it,
// anyone who can add a connection could make the server call its own network (server-side request
// forgery): loopback services, the cloud's metadata endpoint, the database.
//
// How it holds:
// - Base URLs are checked when saved (checkBaseUrl): http(s) only, no user:password@, no ?query or
//   #fragment (they would let the user pick the path of every call), no refused IP literal.
// - Every connection the guard's HTTP agent opens is checked where the socket is made (undici's
//   connector): the host name is resolved, and if ANY address it resolves to is refused, the
//   connection is; otherwise the socket connects to the address just checked, so a DNS answer that
//   changes between check and connect (rebinding) cannot slip through. An IP literal is checked
//   directly. Redirects are followed by the same agent, so each hop is checked the same way.
// - Refused: everything that is not public unicast, by ipaddr.js's ranges: loopback, private,
//   link-local (169.254.169.254, the metadata address), unique-local, CGNAT (100.64/10, Alibaba's
//   metadata 100.100.100.200), multicast, broadcast, unspecified, reserved and documentation
//   ranges, NAT64/6to4/Teredo forms; IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 it
//   carries, and IPv4-compatible IPv6 (::/96) is refused outright.
// - Self-hosters' own vLLM or Ollama: ALLOWED_PRIVATE_HOSTS lists host names (exact, or *.suffix),
//   IPs and CIDRs that may be private. The built-in sandbox is reached by a URL Batchboard builds
//   itself (INTERNAL_URL), never through a user's base URL, and does not use this guard.
import "server-only";
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, buildConnector } from "undici";
import { settings } from "@/lib/env";
import { baseUrlSyntaxProblem } from "./base-url";

/** The code of an outbound connection this guard refused (found under the SDKs' connection errors). */
export const REFUSED_CODE = "BB_OUTBOUND_REFUSED";

export const ALLOW_SETTING = "ALLOWED_PRIVATE_HOSTS";

export class OutboundRefused extends Error {
  readonly code = REFUSED_CODE;
  constructor(readonly host: string) {
    super(`Batchboard does not connect to ${host}: it is a private, loopback or otherwise internal address. An operator can allow it with ${ALLOW_SETTING}.`);
    this.name = "OutboundRefused";
  }
}

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

interface Allowlist {
  hosts: Set<string>;
  suffixes: string[];
  ranges: [Parsed, number][];
}

/** ALLOWED_PRIVATE_HOSTS parsed: "10.0.0.0/8, vllm.internal, *.lan, 192.168.1.5". */
export function parseAllowlist(text: string | undefined): Allowlist {
  const out: Allowlist = { hosts: new Set(), suffixes: [], ranges: [] };
  for (const raw of (text ?? "").split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, "");
    if (!entry) continue;
    if (entry.includes("/")) {
      try {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        out.ranges.push([addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr, bits]);
        continue;
      } catch {
        throw new Error(`${ALLOW_SETTING}: "${raw}" is not a CIDR range (like 10.0.0.0/8 or fd00::/8).`);
      }
    }
    if (ipaddr.isValid(entry)) {
      const a = ipaddr.process(entry);
      out.ranges.push([a, a.kind() === "ipv4" ? 32 : 128]);
    } else if (entry.startsWith("*.")) out.suffixes.push(entry.slice(1));
    else out.hosts.add(entry);
  }
  return out;
}

function hostAllowed(list: Allowlist, host: string) {
  const h = host.toLowerCase().replace(/\.$/, "");
  return list.hosts.has(h) || list.suffixes.some((s) => h.endsWith(s));
}

function addressAllowed(list: Allowlist, a: Parsed) {
  return list.ranges.some(([range, bits]) => range.kind() === a.kind() && a.match(range, bits));
}

/** Whether an address may be connected to: public unicast, or listed by the operator. */
export function addressRefused(address: string, list = allowlist()): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return true;
  const a = ipaddr.process(bare);
  if (addressAllowed(list, a)) return false;
  if (a.kind() === "ipv6" && (a as ipaddr.IPv6).match(ipaddr.IPv6.parse("::"), 96)) return true;
  return a.range() !== "unicast";
}

let cached: { text: string | undefined; list: Allowlist } | undefined;

function allowlist(): Allowlist {
  const text = settings().ALLOWED_PRIVATE_HOSTS;
  if (!cached || cached.text !== text) cached = { text, list: parseAllowlist(text) };
  return cached.list;
}

/**
 * A base URL a person typed, checked before it is stored: the message says what to change, or null.
 * Host names are not resolved here (that would tell a user which internal names exist); they are
 * checked when connected to.
 */
export function baseUrlProblem(input: string): string | null {
  const syntax = baseUrlSyntaxProblem(input);
  if (syntax) return syntax;
  const u = new URL(input);
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const list = allowlist();
  if (ipaddr.isValid(host) && addressRefused(host, list)) {
    return `${host} is a private, loopback or otherwise internal address, which Batchboard does not connect to. An operator can allow it with ${ALLOW_SETTING}.`;
  }
  if (/^localhost$|\.localhost$/i.test(host) && !hostAllowed(list, host)) {
    return `${host} is this server itself, which Batchboard does not connect to. An operator can allow it with ${ALLOW_SETTING}.`;
  }
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that refuses a host when any of its addresses is refused (and the host is not allowed by name). */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback) {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err);
    const list = allowlist();
    if (!hostAllowed(list, hostname) && addresses.some((a) => addressRefused(a.address, list))) {
      return callback(new OutboundRefused(hostname) as unknown as NodeJS.ErrnoException);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }));
    callback(null, first.address, first.family);
  });
}

let agent: { allow: string | undefined; agent: Agent } | undefined;

/**
 * The guard's HTTP agent: every socket it opens is checked (see the top of this file). Sockets are
 * kept alive per origin; a new allowlist (tests change it) gets a new agent, so no socket opened
 * under the old rules is reused.
 */
function guardAgent(): Agent {
  const allow = settings().ALLOWED_PRIVATE_HOSTS;
  if (agent && agent.allow === allow) return agent.agent;
  void agent?.agent.close().catch(() => {});
  const direct = buildConnector({ lookup: guardedLookup as unknown as typeof dns.lookup, timeout: 10_000 } as buildConnector.BuildOptions);
  const made = new Agent({
    connect(opts, callback) {
      const host = opts.hostname.replace(/^\[|\]$/g, "");
      const list = allowlist();
      if (net.isIP(host) && addressRefused(host, list)) return callback(new OutboundRefused(host), null);
      if (!net.isIP(host) && /^localhost$|\.localhost$/i.test(host) && !hostAllowed(list, host)) return callback(new OutboundRefused(host), null);
      direct(opts, callback);
    },
  });
  agent = { allow, agent: made };
  return made;
}

/**
 * fetch() through the guard. Uses Node's own fetch (the SDKs build their FormData and streams for
 * it) with the guard's agent as its dispatcher.
 */
export const outboundFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, dispatcher: guardAgent() } as RequestInit);

/** Whether an error (from an SDK or fetch) comes from a connection this guard refused. */
export function isOutboundRefused(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 8; e = e.cause as typeof e, i++) {
    if (e.code === REFUSED_CODE || e instanceof OutboundRefused) return true;
  }
  return false;
}
