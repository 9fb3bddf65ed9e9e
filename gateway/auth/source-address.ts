import { BlockList, isIP } from 'node:net';
import { InvalidArgumentError } from '../../domain/errors.ts';

/**
 * The caller's IP address from a gRPC peer string (`ipv4:1.2.3.4:5`, `ipv6:[::1]:5`, `1.2.3.4:5`,
 * `[::1]:5`) or a socket address; IPv4-mapped IPv6 is reduced to IPv4. Undefined when unknown.
 */
export function sourceAddressOf(peer: string | undefined): string | undefined {
  if (peer === undefined || peer === '') return undefined;
  let text = peer.replace(/^ipv[46]:/, '');
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracket?.[1] !== undefined) text = bracket[1];
  else if (isIP(text) === 0) text = text.replace(/:\d+$/, '');
  text = text.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return isIP(text) === 0 ? undefined : text;
}

/** An IPv4/IPv6 address or CIDR range, normalised (`1.2.3.4` → `1.2.3.4/32`). */
export function parseAddressRange(text: string, field: string): string {
  const [address, prefixText, extra] = text.split('/');
  const family = address === undefined ? 0 : isIP(address);
  const maxPrefix = family === 4 ? 32 : 128;
  if (address === undefined || family === 0 || extra !== undefined) {
    throw new InvalidArgumentError(field, 'must be an IPv4 or IPv6 address, optionally with a /prefix');
  }
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) {
    throw new InvalidArgumentError(field, 'prefix must be a number');
  }
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (prefix > maxPrefix) throw new InvalidArgumentError(field, `prefix must be at most ${maxPrefix}`);
  return `${address}/${prefix}`;
}

/** Whether `address` lies in one of `ranges` (normalised `address/prefix` strings). */
export function addressAllowed(address: string | undefined, ranges: readonly string[]): boolean {
  if (ranges.length === 0) return true;
  if (address === undefined) return false;
  const list = new BlockList();
  for (const range of ranges) {
    const [network, prefix] = range.split('/');
    if (network === undefined || prefix === undefined) continue;
    list.addSubnet(network, Number(prefix), isIP(network) === 4 ? 'ipv4' : 'ipv6');
  }
  return list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}
