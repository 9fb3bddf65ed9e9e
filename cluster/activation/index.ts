export { EtcdActivationRegistry } from './etcd-activation-registry.ts';
export type { EtcdActivationRegistryOptions } from './etcd-activation-registry.ts';
export type { AcquireResult, Activation, ActivationHolder } from './activation.ts';
