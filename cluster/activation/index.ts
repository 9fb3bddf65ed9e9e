export { EtcdActivationRegistry } from './etcd-activation-registry.ts';
export type { EtcdActivationRegistryOptions } from './etcd-activation-registry.ts';
export type { AcquireResult, Activation, ActivationHolder } from './activation.ts';
export { countActivations } from './activation-census.ts';
export type { ActivationCensus } from './activation-census.ts';
