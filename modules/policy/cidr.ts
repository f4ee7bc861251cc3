/**
 * How much of the public internet a set of CIDR blocks covers, so `0.0.0.0/1` + `128.0.0.0/1` (or any
 * other split) reads as what it is. Pure, BigInt arithmetic.
 */

interface Range {
  readonly start: bigint;
  readonly end: bigint; // exclusive
}

const V4 = 32;
const V6 = 128;

function parseV4(ip: string): bigint | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(ip: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(ip) || (ip.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined;
  const groups = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The address range of a CIDR block, with its family; undefined if it is not one. */
export function cidrRange(cidr: string): { family: 4 | 6; range: Range } | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!m) return undefined;
  const prefix = Number(m[2]);
  const v4 = parseV4(m[1]);
  const family: 4 | 6 = v4 !== undefined ? 4 : 6;
  const address = v4 ?? parseV6(m[1]);
  const bits = family === 4 ? V4 : V6;
  if (address === undefined || prefix > bits) return undefined;
  const size = 1n << BigInt(bits - prefix);
  const start = (address / size) * size;
  return { family, range: { start, end: start + size } };
}

const block = (cidr: string): Range => (cidrRange(cidr) as { range: Range }).range;

/** Address space that is not reachable from the internet. */
const NOT_PUBLIC: Record<4 | 6, Range[]> = {
  4: [
    '0.0.0.0/8',
    '10.0.0.0/8',
    '100.64.0.0/10',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.16.0.0/12',
    '192.168.0.0/16',
    '224.0.0.0/3',
  ].map(block),
  // everything outside global unicast 2000::/3
  6: ['::/3', '4000::/2', '8000::/1'].map(block),
};

/** Sorted, merged ranges. */
function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end)
      out[out.length - 1] = { start: last.start, end: r.end > last.end ? r.end : last.end };
    else out.push(r);
  }
  return out;
}

/** The number of public addresses the blocks cover together (overlaps counted once). */
export function publicAddresses(cidrs: readonly string[], family: 4 | 6): bigint {
  const ranges = merge(
    cidrs
      .map(cidrRange)
      .filter((c): c is { family: 4 | 6; range: Range } => c?.family === family)
      .map((c) => c.range),
  );
  let total = 0n;
  for (const r of ranges) {
    let size = r.end - r.start;
    for (const p of NOT_PUBLIC[family]) {
      const start = r.start > p.start ? r.start : p.start;
      const end = r.end < p.end ? r.end : p.end;
      if (end > start) size -= end - start;
    }
    total += size;
  }
  return total;
}

/** A /8 of public IPv4 space, a /32 of IPv6: from this much on, a source is "the internet". */
export const INTERNET_WIDE: Record<4 | 6, bigint> = { 4: 1n << 24n, 6: 1n << 96n };

/** The share of the public internet the blocks cover, e.g. "100%" or "50%". */
export function internetShare(cidrs: readonly string[], family: 4 | 6): string {
  const all = publicAddresses([family === 4 ? '0.0.0.0/0' : '::/0'], family);
  const covered = publicAddresses(cidrs, family);
  return `${Number((covered * 1000n) / all) / 10}%`;
}
