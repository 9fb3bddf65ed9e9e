import type { Identity } from '../identity.ts';

/** An activation this node holds: the etcd key `activations/<identity>` under this node's lease. */
export interface Activation {
  readonly identity: Identity;
  /**
   * The fencing token: the create revision of the activation key. Strictly greater for every later
   * activation of the same identity; journal writes carry it and the database refuses older ones.
   */
  readonly epoch: bigint;
  readonly nodeId: string;
  readonly leaseId: string;
}

/** Who holds an identity's activation key, as read from etcd. */
export interface ActivationHolder {
  readonly nodeId: string;
  readonly address: string;
  readonly epoch: bigint;
  readonly leaseId: string;
}

export type AcquireResult =
  | { readonly acquired: true; readonly activation: Activation }
  | { readonly acquired: false; readonly holder: ActivationHolder };
