export { compare64, fmix64, fnv1a64, mul64, toBigInt } from './hash64.ts';
export type { Hash64 } from './hash64.ts';
export {
  RendezvousPlacement,
  eligibleMembers,
  rendezvousOwner,
  rendezvousRanking,
  score,
} from './rendezvous.ts';
