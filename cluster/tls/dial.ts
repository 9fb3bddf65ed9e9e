// Client credentials for dialing a cluster listener over mutual TLS.
import { credentials } from '@grpc/grpc-js';
import type { ChannelCredentials, ChannelOptions } from '@grpc/grpc-js';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';

/** The PEM material a dialer presents and trusts. */
export interface DialTlsMaterial {
  readonly caPem: string;
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

/**
 * The TLS server name sent when a peer is dialed by IP address. TLS forbids an IP address as the
 * server name (RFC 6066; Node warns DEP0123 and grpc-js would send the target's host), and the
 * cluster listener serves one certificate whatever the name, so this only fills the field.
 */
export const CLUSTER_TLS_SERVER_NAME = 'cluster.ninja-gekko.invalid';

/** The host of `host:port`, `[v6]:port` or a bare host. */
export function hostOf(address: string): string {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    return end < 0 ? address : address.slice(1, end);
  }
  const colon = address.lastIndexOf(':');
  return colon < 0 || address.indexOf(':') !== colon ? address : address.slice(0, colon);
}

/**
 * Credentials and channel options to dial `address`. The peer's certificate must be issued by the
 * cluster CA and name the dialed host, as before; for an IP address the host is checked against the
 * certificate's IP entries while the TLS server name is CLUSTER_TLS_SERVER_NAME.
 */
export function dialCredentials(
  address: string,
  tls: DialTlsMaterial,
): { readonly credentials: ChannelCredentials; readonly options: ChannelOptions } {
  const host = hostOf(address);
  const ip = isIP(host) !== 0;
  const channelCredentials = credentials.createSsl(
    Buffer.from(tls.caPem),
    Buffer.from(tls.privateKeyPem),
    Buffer.from(tls.certificatePem),
    ip ? { checkServerIdentity: (_serverName, certificate) => checkServerIdentity(host, certificate) } : {},
  );
  return {
    credentials: channelCredentials,
    options: ip ? { 'grpc.ssl_target_name_override': CLUSTER_TLS_SERVER_NAME } : {},
  };
}
