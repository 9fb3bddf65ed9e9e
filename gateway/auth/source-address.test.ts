import { describe, expect, it } from 'vitest';
import { addressAllowed, parseAddressRange, sourceAddressOf } from './source-address.ts';

describe('source addresses', () => {
  it('reads gRPC peers and socket addresses', () => {
    expect(sourceAddressOf('ipv4:127.0.0.1:50123')).toBe('127.0.0.1');
    expect(sourceAddressOf('ipv6:[::1]:50123')).toBe('::1');
    expect(sourceAddressOf('127.0.0.1:9')).toBe('127.0.0.1');
    expect(sourceAddressOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(sourceAddressOf('unix:/tmp/x')).toBeUndefined();
    expect(sourceAddressOf(undefined)).toBeUndefined();
  });

  it('normalises ranges and refuses what is not one', () => {
    expect(parseAddressRange('10.0.0.1', 'f')).toBe('10.0.0.1/32');
    expect(parseAddressRange('fd00::/8', 'f')).toBe('fd00::/8');
    expect(() => parseAddressRange('10.0.0.0/33', 'f')).toThrow('f: prefix');
    expect(() => parseAddressRange('example.com', 'f')).toThrow('f: must be');
    expect(() => parseAddressRange('1.2.3.4/8/8', 'f')).toThrow('f: must be');
  });

  it('matches addresses against an allow-list; empty allows all, unknown address none', () => {
    expect(addressAllowed('10.9.8.7', ['10.0.0.0/8'])).toBe(true);
    expect(addressAllowed('11.0.0.1', ['10.0.0.0/8'])).toBe(false);
    expect(addressAllowed('::1', ['127.0.0.1/32', '::1/128'])).toBe(true);
    expect(addressAllowed('1.2.3.4', [])).toBe(true);
    expect(addressAllowed(undefined, ['10.0.0.0/8'])).toBe(false);
  });
});
