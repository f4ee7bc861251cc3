import { cidrSubnet, parseCidr, subnetLayout } from '../modules/network';

describe('parseCidr', () => {
  it('parses a network address', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ address: 0x0a000000, prefix: 16 });
    expect(parseCidr('192.168.4.0/22')).toEqual({
      address: (192 * 2 ** 24 + 168 * 2 ** 16 + 4 * 256) >>> 0,
      prefix: 22,
    });
  });

  it.each([
    ['10.0.0/16', 'an IPv4 CIDR block like "10.0.0.0/16"'],
    ['10.0.0.0', 'an IPv4 CIDR block like "10.0.0.0/16"'],
    ['256.0.0.0/16', 'an IPv4 CIDR block with octets 0..255 and no leading zeros'],
    ['10.01.0.0/16', 'an IPv4 CIDR block with octets 0..255 and no leading zeros'],
    ['10.0.0.0/33', 'an IPv4 CIDR block with a prefix length 0..32'],
    ['10.0.0.1/16', 'a network address with no host bits set (did you mean "10.0.0.0/16"?)'],
  ])('rejects %s', (cidr, message) => {
    expect(parseCidr(cidr)).toBe(message);
  });
});

describe('cidrSubnet', () => {
  // Values checked against Terraform's cidrsubnet().
  it.each([
    ['10.0.0.0/16', 4, 0, '10.0.0.0/20'],
    ['10.0.0.0/16', 4, 8, '10.0.128.0/20'],
    ['10.0.0.0/16', 4, 15, '10.0.240.0/20'],
    ['172.16.0.0/12', 4, 2, '172.18.0.0/16'],
    ['192.168.0.0/24', 4, 13, '192.168.0.208/28'],
  ])('cidrsubnet(%s, %i, %i) = %s', (parent, bits, num, expected) => {
    expect(cidrSubnet(parseCidr(parent) as never, bits, num)).toBe(expected);
  });

  it('refuses a netnum that does not fit', () => {
    expect(() => cidrSubnet(parseCidr('10.0.0.0/16') as never, 4, 16)).toThrow('netnum 16 does not fit in 4 bits');
  });
});

describe('subnetLayout', () => {
  it('puts public subnets in slots 0.. and private ones in slots 8..', () => {
    expect(subnetLayout(parseCidr('10.0.0.0/16') as never, 3)).toEqual({
      publicCidrs: ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'],
      privateCidrs: ['10.0.128.0/20', '10.0.144.0/20', '10.0.160.0/20'],
    });
  });

  it('never renumbers existing subnets when an AZ is added', () => {
    const vpc = parseCidr('10.20.0.0/18') as never;
    const two = subnetLayout(vpc, 2);
    const six = subnetLayout(vpc, 6);
    expect(six.publicCidrs.slice(0, 2)).toEqual(two.publicCidrs);
    expect(six.privateCidrs.slice(0, 2)).toEqual(two.privateCidrs);
    expect(new Set([...six.publicCidrs, ...six.privateCidrs]).size).toBe(12);
  });
});
