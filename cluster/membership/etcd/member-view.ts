import type { Member } from '../member.ts';
import type { MembershipEvent } from '../membership-provider.ts';

/**
 * The members map one node keeps from etcd, fed by an initial get, watch events and re-syncs. Each
 * change carries the etcd revision it happened at; anything at or below the revision already
 * applied is ignored, so a re-sync racing with the watch cannot move the view backwards.
 */
export class MemberView {
  private readonly byNode = new Map<string, Member>();
  private revision = 0n;
  private sorted: readonly Member[] | undefined;

  get appliedRevision(): bigint {
    return this.revision;
  }

  members(): readonly Member[] {
    this.sorted ??= Object.freeze([...this.byNode.values()].sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1)));
    return this.sorted;
  }

  get(nodeId: string): Member | undefined {
    return this.byNode.get(nodeId);
  }

  /** A put at `revision`; returns the event to announce, if any. */
  put(member: Member, revision: bigint): MembershipEvent | undefined {
    if (revision <= this.revision) return undefined;
    this.revision = revision;
    const previous = this.byNode.get(member.nodeId);
    this.byNode.set(member.nodeId, member);
    this.sorted = undefined;
    if (previous === undefined) return { type: 'member-joined', member };
    if (sameMember(previous, member)) return undefined;
    return { type: 'member-updated', member, previous };
  }

  /** A delete at `revision`; returns the event to announce, if any. */
  delete(nodeId: string, revision: bigint): MembershipEvent | undefined {
    if (revision <= this.revision) return undefined;
    this.revision = revision;
    const previous = this.byNode.get(nodeId);
    if (previous === undefined) return undefined;
    this.byNode.delete(nodeId);
    this.sorted = undefined;
    return {
      type: 'member-left',
      member: previous,
      reason: previous.state === 'leaving' ? 'left' : 'expired',
    };
  }

  /** Replaces the view with a snapshot read at `revision`; returns the differences as events. */
  replace(snapshot: readonly Member[], revision: bigint): MembershipEvent[] {
    if (revision <= this.revision) return [];
    this.revision = revision;
    const events: MembershipEvent[] = [];
    const next = new Map(snapshot.map((member) => [member.nodeId, member]));
    for (const [nodeId, previous] of this.byNode) {
      if (!next.has(nodeId)) {
        events.push({
          type: 'member-left',
          member: previous,
          reason: previous.state === 'leaving' ? 'left' : 'expired',
        });
      }
    }
    for (const member of snapshot) {
      const previous = this.byNode.get(member.nodeId);
      if (previous === undefined) events.push({ type: 'member-joined', member });
      else if (!sameMember(previous, member)) events.push({ type: 'member-updated', member, previous });
    }
    this.byNode.clear();
    for (const [nodeId, member] of next) this.byNode.set(nodeId, member);
    this.sorted = undefined;
    return events;
  }

  clear(): void {
    this.byNode.clear();
    this.sorted = undefined;
    this.revision = 0n;
  }
}

function sameMember(a: Member, b: Member): boolean {
  return (
    a.state === b.state &&
    a.address === b.address &&
    a.version === b.version &&
    a.startedAt === b.startedAt &&
    a.roles.length === b.roles.length &&
    a.roles.every((role, index) => b.roles[index] === role)
  );
}
