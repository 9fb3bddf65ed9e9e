import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDevelopmentCa,
  isIssuedBy,
  issueNodeCertificate,
  loadDevelopmentCa,
  loadOrCreateClusterTls,
} from './index.ts';

describe('development CA and node certificates', () => {
  it('issues P-256 node certificates with SANs and both EKUs, verifiable against the CA only', async () => {
    const ca = await createDevelopmentCa();
    const node = await issueNodeCertificate(ca, 'node-1', { hosts: ['127.0.0.1', 'localhost'] });
    expect(node.certificate.subject).toContain('CN=node-1');
    expect(await isIssuedBy(node.certificate, ca.certificate)).toBe(true);
    const other = await createDevelopmentCa();
    expect(await isIssuedBy(node.certificate, other.certificate)).toBe(false);
    const reloaded = await loadDevelopmentCa(ca.certificatePem, ca.privateKeyPem);
    expect(reloaded.certificate.serialNumber).toBe(ca.certificate.serialNumber);
    await expect(loadDevelopmentCa(ca.certificatePem, other.privateKeyPem)).rejects.toThrow(
      /does not belong/,
    );
    await expect(issueNodeCertificate(ca, '../evil')).rejects.toThrow(/nodeId/);
  });

  it('loadOrCreateClusterTls writes keys 0600, shares one CA between nodes, and reuses files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gekko-tls-'));
    try {
      const [a, b] = await Promise.all([
        loadOrCreateClusterTls(dir, 'node-a'),
        loadOrCreateClusterTls(dir, 'node-b'),
      ]);
      expect(a.caPem).toBe(b.caPem);
      expect((await stat(join(dir, 'ca-key.pem'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'node-a', 'node-key.pem'))).mode & 0o777).toBe(0o600);
      const again = await loadOrCreateClusterTls(dir, 'node-a');
      expect(again.certificatePem).toBe(a.certificatePem);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
