// The address of the client a request came from: the one answer every caller uses (rate limits, the
// audit log, API tokens), so that no caller reads a forwarding header on its own.
//
// What the app can know under `next start` (Next 16, node_modules/next/dist/server/base-server.js):
// route handlers, server actions and Auth.js's `authorize` see only the request's headers
// (NextRequest has had no `ip` since Next 15). Next sets X-Forwarded-For to the socket's address
// only when the request carries none (`??=`), so a client that sends its own X-Forwarded-For hides
// its address behind any text it likes, and the socket's address is lost. This module therefore
// keeps the socket's address itself: installPeerAddress() (called by instrumentation.ts) listens on
// Node's `http.server.request.start` diagnostics channel, which fires before Next handles the request,
// and writes the socket's address into PEER_HEADER, overwriting whatever a client sent under that name.
//
// TRUST_PROXY = number of reverse proxies in front of the app, each appending to X-Forwarded-For. The
// chain is X-Forwarded-For's entries followed by the peer; the client is the entry TRUST_PROXY places
// left of the peer (Express's "trust proxy" hop count). 0 (the default) is the peer itself, whatever
// the headers say. A chain shorter than that gives its leftmost entry. A value larger than the real
// number of proxies lets clients choose their address: set it to exactly the proxies you run.
import "server-only";
import dc from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import ipaddr from "ipaddr.js";
import { headers as requestHeaders } from "next/headers";
import { settings } from "@/lib/env";

/** Holds the socket's address of the request; set by this process, never taken from the client. */
export const PEER_HEADER = "x-batchboard-peer";

/** What clientIp() answers when the address cannot be known (a request before installPeerAddress()). */
export const UNKNOWN_ADDRESS = "unknown";

const g = globalThis as unknown as { __batchboardPeerAddress?: boolean };

function recordPeer(message: unknown) {
  const { request, socket } = message as { request: IncomingMessage; socket: Socket };
  const address = socket?.remoteAddress;
  if (address) request.headers[PEER_HEADER] = address;
  else delete request.headers[PEER_HEADER];
}

/** Makes every HTTP request of this process carry its socket's address in PEER_HEADER. Idempotent. */
export function installPeerAddress() {
  if (g.__batchboardPeerAddress) return;
  g.__batchboardPeerAddress = true;
  dc.subscribe("http.server.request.start", recordPeer);
}

/** An address in its canonical form ("::ffff:10.0.0.1" and "10.0.0.1:443" are 10.0.0.1), or null. */
export function canonicalAddress(raw: string): string | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.replace(/%.*$/, ""); // an IPv6 zone ("fe80::1%eth0") says nothing about the client
  // Four decimal parts only: ipaddr.js would also read "1.2.3" or "0x7f.1" as IPv4.
  if (!ipaddr.IPv4.isValidFourPartDecimal(s) && !ipaddr.IPv6.isValid(s)) return null;
  return ipaddr.process(s).toString();
}

/** The client's address from a request's headers: an IP address, or UNKNOWN_ADDRESS. */
export function clientIp(headers: Headers, trustProxy = settings().TRUST_PROXY): string {
  const peer = headers.get(PEER_HEADER);
  if (!peer) return UNKNOWN_ADDRESS;
  const forwarded = trustProxy > 0 ? (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean) : [];
  const chain = [...forwarded, peer];
  const entry = chain[Math.max(0, chain.length - 1 - trustProxy)];
  return canonicalAddress(entry) ?? UNKNOWN_ADDRESS;
}

/** The client's address of the request being handled (server actions, pages, route handlers). */
export async function requestClientIp(): Promise<string> {
  return clientIp(await requestHeaders());
}

/**
 * The block an address is counted under by limits: the address itself for IPv4, its /64 for IPv6
 * (one subscriber usually holds a whole /64 and could otherwise take a fresh address per attempt).
 */
export function addressBlock(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const a = ipaddr.parse(ip);
  if (a.kind() === "ipv4") return a.toString();
  const parts = (a as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
