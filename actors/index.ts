// Supervised actor kinds (venue, book, orders, risk, portfolio, strategy, swarm, arbitrage, principal), each in its own folder with its messages, behaviour and supervision policy, built on the kernel facade over nact (kernel/).
export * from './kernel/index.ts';
