// Node-to-node mutual TLS: a development CA and per-node certificates (ECDSA P-256) on disk.
export { createDevelopmentCa, loadDevelopmentCa } from './development-ca.ts';
export type { DevelopmentCa, DevelopmentCaOptions } from './development-ca.ts';
export { isIssuedBy, issueNodeCertificate, validateNodeId } from './node-certificate.ts';
export type { NodeCertificate, NodeCertificateOptions } from './node-certificate.ts';
export { privateKeyFromPem, privateKeyToPem } from './pem.ts';
export {
  PRIVATE_KEY_FILE_MODE,
  clusterTlsPaths,
  loadOrCreateCa,
  loadOrCreateClusterTls,
} from './cluster-tls-files.ts';
export type { ClusterTls, ClusterTlsPaths } from './cluster-tls-files.ts';
export { DEFAULT_CLIENT_NAME, loadOrIssueClientTls } from './client-certificate.ts';
