// SSRF protection: a webhook may not make this server call into its own network. Target
// addresses that are private, loopback, link-local, unique-local, multicast or otherwise not
// on the public internet are refused unless WEBHOOK_ALLOWED_HOSTS names the host or a range
// holding the address. Checked when a webhook is created, and again on every connection a
// delivery opens (the `lookup` of each request), so a name that later resolves elsewhere (DNS
// rebinding) is caught where it matters: at connect time, on the address actually used.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { UserInputError } from '../errors.ts';

/** Networks no webhook reaches by default (IANA special-purpose registries, non-global entries). */
const NOT_PUBLIC: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

/** A target refused by the guard; deliveries to it are not retried. */
export class TargetRefusedError extends Error {
  override name = 'TargetRefusedError';
  readonly code = 'TARGET_REFUSED';
}

const MAX_URL_LENGTH = 2048;

export class TargetGuard {
  private readonly denied = new BlockList();
  private readonly allowedRanges = new BlockList();
  private readonly allowedNames = new Set<string>();

  constructor(allowed: readonly string[]) {
    for (const [address, prefix, type] of NOT_PUBLIC) this.denied.addSubnet(address, prefix, type);
    for (const entry of allowed) {
      const [address, bits] = entry.split('/') as [string, string | undefined];
      const plain = address.replace(/^\[|\]$/g, '');
      const version = isIP(plain);
      if (version === 0) this.allowedNames.add(plain.toLowerCase());
      else if (bits === undefined) this.allowedRanges.addAddress(plain, version === 4 ? 'ipv4' : 'ipv6');
      else this.allowedRanges.addSubnet(plain, Number(bits), version === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** Parses a target URL: http(s), no credentials, at most 2048 characters. */
  parseUrl(text: string, argument = 'url'): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new UserInputError(`${argument} is not an absolute URL: ${JSON.stringify(text.slice(0, 100))}`, argument);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UserInputError(`${argument} must be an http or https URL, got ${url.protocol}`, argument);
    }
    if (url.username || url.password) throw new UserInputError(`${argument} must not carry a user name or password`, argument);
    if (text.length > MAX_URL_LENGTH) throw new UserInputError(`${argument} is longer than ${MAX_URL_LENGTH} characters`, argument);
    url.hash = '';
    return url;
  }

  /** Why this address of `host` is refused, or null when it may be called. */
  refusal(host: string, address: string): string | null {
    const name = hostName(host);
    if (this.allowedNames.has(name)) return null;
    const v4 = mappedIpv4(address);
    const [plain, type] = v4 ? [v4, 'ipv4' as const] : [address, isIP(address) === 6 ? ('ipv6' as const) : ('ipv4' as const)];
    if (this.allowedRanges.check(plain, type)) return null;
    if (!this.denied.check(plain, type)) return null;
    return (
      `${name} resolves to ${address}, a private, loopback, link-local or otherwise non-public address; ` +
      'add the host or its network to WEBHOOK_ALLOWED_HOSTS to allow it'
    );
  }

  /** Resolves the URL's host and refuses it when any of its addresses is refused. */
  async check(url: URL): Promise<void> {
    const host = hostName(url.hostname);
    const addresses = isIP(host) ? [host] : (await resolveAll(host)).map((a) => a.address);
    for (const address of addresses) {
      const why = this.refusal(host, address);
      if (why) throw new TargetRefusedError(why);
    }
  }

  /**
   * A `lookup` for http.request: resolves as usual and fails the connection when an address is
   * refused. (Connections to IP literals skip lookup: checkLiteral covers them.)
   */
  lookupFor(host: string): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = addresses as LookupAddress[];
        const refused = list.map((a) => this.refusal(host, a.address)).find((why) => why !== null);
        if (refused) return callback(new TargetRefusedError(refused), '', 0);
        if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, list);
        callback(null, list[0]!.address, list[0]!.family);
      });
    };
  }

  /** For a URL whose host is an IP address: the refusal, as the lookup would give it. */
  checkLiteral(url: URL): void {
    const host = hostName(url.hostname);
    if (isIP(host) === 0) return;
    const why = this.refusal(host, host);
    if (why) throw new TargetRefusedError(why);
  }
}

function hostName(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:10.0.0.1), else null. */
function mappedIpv4(address: string): string | null {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match) return match[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) => {
      if (error) reject(new TargetRefusedError(`${host} does not resolve (${error.code ?? error.message})`));
      else resolve(addresses);
    }),
  );
}
