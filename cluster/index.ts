// Membership (etcd and static providers), remote transport (batched gRPC streams), rendezvous placement, activation, failover and drain. Populated by the cluster-runtime issue.
// Nothing is exported yet: this folder holds the layer described in DESIGN.md.
export {};
