/**
 * IPv4 CIDR arithmetic for the Network construct: parsing, and the deterministic subnet layout. Pure
 * but for `subnetCidr`, which writes Terraform's `cidrsubnet()` when a value is only known at plan.
 */
import { Fn, Token } from 'cdktf';

export interface ParsedCidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly address: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`. Returns an error string instead of throwing, for the validator. */
export function parseCidr(cidr: string): ParsedCidr | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return 'an IPv4 CIDR block like "10.0.0.0/16"';
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o, i) => o > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) {
    return 'an IPv4 CIDR block with octets 0..255 and no leading zeros';
  }
  if (prefix > 32) return 'an IPv4 CIDR block with a prefix length 0..32';
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const hostBits = 32 - prefix;
  const mask = hostBits === 32 ? 0 : (0xffffffff << hostBits) >>> 0;
  if ((address & mask) >>> 0 !== address) {
    return `a network address with no host bits set (did you mean "${formatCidr((address & mask) >>> 0, prefix)}"?)`;
  }
  return { address, prefix };
}

export function formatCidr(address: number, prefix: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}/${prefix}`;
}

/** Equivalent of Terraform's `cidrsubnet(prefix, newbits, netnum)`. */
export function cidrSubnet(parent: ParsedCidr, newBits: number, netNum: number): string {
  const prefix = parent.prefix + newBits;
  if (prefix > 32) throw new RangeError(`cannot add ${newBits} bits to /${parent.prefix}`);
  if (netNum < 0 || netNum >= 2 ** newBits) throw new RangeError(`netnum ${netNum} does not fit in ${newBits} bits`);
  const address = (parent.address + netNum * 2 ** (32 - prefix)) >>> 0;
  return formatCidr(address, prefix);
}

/** The most AZs a Network spans. */
export const MAX_AZ_COUNT = 6;

/**
 * The VPC is cut into 16 equal slots (4 extra prefix bits): public subnets take slots 0..5 and
 * private subnets slots 8..13, one per AZ. Adding an AZ later never renumbers existing subnets,
 * so a plan that grows the network only adds resources.
 */
export const SUBNET_NEW_BITS = 4;
export const PRIVATE_SLOT_OFFSET = 8;

/** AWS subnet sizes: /16 (largest) to /28 (smallest). */
export const VPC_PREFIX_RANGE = { min: 16, max: 28 } as const;
/** The largest VPC prefix that still leaves /28 subnets after the 4 extra bits. */
export const MAX_VPC_PREFIX = VPC_PREFIX_RANGE.max - SUBNET_NEW_BITS;

export interface SubnetLayout {
  readonly publicCidrs: string[];
  readonly privateCidrs: string[];
}

/** The deterministic subnet layout for `azCount` AZs. */
export function subnetLayout(vpc: ParsedCidr, azCount: number): SubnetLayout {
  const publicCidrs: string[] = [];
  const privateCidrs: string[] = [];
  for (let i = 0; i < azCount; i++) {
    publicCidrs.push(cidrSubnet(vpc, SUBNET_NEW_BITS, i));
    privateCidrs.push(cidrSubnet(vpc, SUBNET_NEW_BITS, PRIVATE_SLOT_OFFSET + i));
  }
  return { publicCidrs, privateCidrs };
}

/**
 * The CIDR block of subnet slot `slot` of a VPC block: computed at synth when both are known, Terraform's
 * `cidrsubnet()` (the same arithmetic) when either is only known at plan.
 */
export function subnetCidr(vpcCidr: string, slot: number): string {
  if (!Token.isUnresolved(vpcCidr) && !Token.isUnresolved(slot)) {
    return cidrSubnet(parseCidr(vpcCidr) as ParsedCidr, SUBNET_NEW_BITS, slot);
  }
  return Token.asString(Fn.cidrsubnet(vpcCidr, SUBNET_NEW_BITS, slot));
}
