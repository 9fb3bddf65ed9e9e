import { FailedPreconditionError, InvalidArgumentError } from '../../domain/errors.ts';
import type { KindRegistry } from '../kinds.ts';
import type { ClusterKind } from './cluster-kind.ts';
import { sameShape } from './envelopes.ts';

/** The kinds a node can address and host: each checked against the kind registry when registered. */
export class KindImplementations {
  private readonly byName = new Map<string, ClusterKind<unknown, unknown>>();

  constructor(
    private readonly kinds: KindRegistry,
    private readonly nodeId: string,
    /** Whether the node has a database pool (persistent kinds need one). */
    private readonly persistence: boolean,
  ) {}

  /**
   * Adds `kind`: its actor's kind must match its name, its idle timeout be positive, a persistent
   * kind needs persistence, and a kind already in the registry must keep its roles and key shape.
   */
  register<State, Msg>(kind: ClusterKind<State, Msg>): void {
    if (kind.kind.name !== kind.actor.kind) {
      throw new InvalidArgumentError(
        'kind.name',
        `${kind.kind.name} differs from the actor's kind ${kind.actor.kind}`,
      );
    }
    const idle = kind.idleTimeoutMs;
    if (idle !== undefined && !(Number.isFinite(idle) && idle > 0)) {
      throw new InvalidArgumentError(
        'kind.idleTimeoutMs',
        `must be a number of milliseconds > 0, got ${idle}`,
      );
    }
    if (kind.actor.persistent && !this.persistence) {
      throw new FailedPreconditionError(
        `kind ${kind.kind.name} is persistent: give the node a database pool`,
      );
    }
    const known = this.kinds.get(kind.kind.name);
    if (known === undefined) this.kinds.register(kind.kind);
    else if (!sameShape(known, kind.kind)) {
      throw new FailedPreconditionError(
        `kind ${kind.kind.name} is registered with other roles or key segments`,
      );
    }
    this.byName.set(kind.kind.name, kind as unknown as ClusterKind<unknown, unknown>);
  }

  get(kind: string): ClusterKind<unknown, unknown> | undefined {
    return this.byName.get(kind);
  }

  /** The implementation of `kind`; FAILED_PRECONDITION when this node has none. */
  require(kind: string): ClusterKind<unknown, unknown> {
    const found = this.byName.get(kind);
    if (found === undefined) {
      throw new FailedPreconditionError(
        `kind ${kind} has no implementation registered on node ${this.nodeId}`,
      );
    }
    return found;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The idle timeouts of the kinds that have one. */
  idleTimeoutsMs(): number[] {
    return [...this.byName.values()].flatMap((kind) =>
      kind.idleTimeoutMs === undefined ? [] : [kind.idleTimeoutMs],
    );
  }
}
