import type { Identity } from '../identity.ts';
import type { KindRegistry, NodeRole } from '../kinds.ts';
import type { Member } from '../membership/member.ts';
import { compare64, fmix64, fnv1a64 } from './hash64.ts';
import type { Hash64 } from './hash64.ts';

/**
 * Rendezvous (highest random weight) hashing: the owner of an identity is the eligible member with
 * the highest score(member, identity). Removing a member moves only the identities it owned;
 * adding one moves to it only the identities it now scores highest for (≈ 1/N of them).
 *
 * score = fmix64(fnv1a64(nodeId) XOR fnv1a64(identity.text)), compared as unsigned 64-bit, ties
 * (never seen in practice) broken by nodeId. Both hashes are pure functions of strings, so every
 * process, on every node, in every language that implements them, computes the same owner.
 */
export function score(nodeIdHash: Hash64, identityHash: Hash64): Hash64 {
  return fmix64((nodeIdHash[0] ^ identityHash[0]) >>> 0, (nodeIdHash[1] ^ identityHash[1]) >>> 0);
}

/** Member node-id hashes, memoised: node ids are few and long-lived. */
const nodeHashes = new Map<string, Hash64>();
function nodeHash(nodeId: string): Hash64 {
  let hash = nodeHashes.get(nodeId);
  if (hash === undefined) {
    if (nodeHashes.size > 10_000) nodeHashes.clear();
    hash = fnv1a64(nodeId);
    nodeHashes.set(nodeId, hash);
  }
  return hash;
}

/** Members that may receive NEW activations of a kind hosted by `roles`: state `up` and a matching role. */
export function eligibleMembers(members: readonly Member[], roles: readonly NodeRole[]): Member[] {
  return members.filter(
    (member) => member.state === 'up' && member.roles.some((role) => roles.includes(role)),
  );
}

/** The highest-scoring candidate for `identityText`, or undefined when there is none. */
export function rendezvousOwner<T extends { readonly nodeId: string }>(
  identityText: string,
  candidates: readonly T[],
): T | undefined {
  const idHash = fnv1a64(identityText);
  let best: T | undefined;
  let bestScore: Hash64 | undefined;
  for (const candidate of candidates) {
    const candidateScore = score(nodeHash(candidate.nodeId), idHash);
    const order = bestScore === undefined ? 1 : compare64(candidateScore, bestScore);
    if (order > 0 || (order === 0 && best !== undefined && candidate.nodeId > best.nodeId)) {
      best = candidate;
      bestScore = candidateScore;
    }
  }
  return best;
}

/** Every candidate, best first: the owner, then who takes over if the owner goes. */
export function rendezvousRanking<T extends { readonly nodeId: string }>(
  identityText: string,
  candidates: readonly T[],
): T[] {
  const idHash = fnv1a64(identityText);
  return candidates
    .map((candidate) => ({ candidate, score: score(nodeHash(candidate.nodeId), idHash) }))
    .sort((a, b) => compare64(b.score, a.score) || (a.candidate.nodeId < b.candidate.nodeId ? 1 : -1))
    .map((entry) => entry.candidate);
}

/** Placement of identities over a membership view, by kind role. */
export class RendezvousPlacement {
  constructor(private readonly kinds: KindRegistry) {}

  /**
   * The member that should host `id` among `members` (live `up` members having one of the kind's
   * roles), or undefined when no member can host it. Throws InvalidArgumentError for an unknown kind.
   */
  ownerOf(id: Identity, members: readonly Member[]): Member | undefined {
    const definition = this.kinds.require(id.kind);
    return rendezvousOwner(id.text, eligibleMembers(members, definition.roles));
  }

  /** Eligible members for `id`, preferred first. */
  rank(id: Identity, members: readonly Member[]): Member[] {
    const definition = this.kinds.require(id.kind);
    return rendezvousRanking(id.text, eligibleMembers(members, definition.roles));
  }
}
