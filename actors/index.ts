// Supervised actor kinds (venue, book, orders, risk, portfolio, strategy, swarm, arbitrage, principal), each in its own folder with its messages, behaviour and supervision policy. Populated by the cluster-runtime and trading issues.
// Nothing is exported yet: this folder holds the layer described in DESIGN.md.
export {};
