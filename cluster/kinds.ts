import { AlreadyExistsError, InvalidArgumentError } from '../domain/errors.ts';
import { identity, parseIdentity, validateIdentityKey, validateKindName } from './identity.ts';
import type { Identity } from './identity.ts';

/** What a node is for; a node has one or more roles and hosts only kinds that accept one of them. */
export const NodeRole = {
  /** Client-facing: auth, sessions, principals. */
  gateway: 'gateway',
  /** Money and orders: order managers, risk, portfolio. */
  trading: 'trading',
  /** Exchange connections and their books. */
  venue: 'venue',
  /** Strategies, swarms, arbitrage. */
  strategy: 'strategy',
} as const;
export type NodeRole = (typeof NodeRole)[keyof typeof NodeRole];

const ROLES: ReadonlySet<string> = new Set(Object.values(NodeRole));

export function isNodeRole(value: string): value is NodeRole {
  return ROLES.has(value);
}

/** The actor kinds of DESIGN.md. */
export const ActorKind = {
  venue: 'venue',
  book: 'book',
  orders: 'orders',
  risk: 'risk',
  portfolio: 'portfolio',
  strategy: 'strategy',
  swarm: 'swarm',
  arbitrage: 'arbitrage',
  principal: 'principal',
} as const;
export type ActorKind = (typeof ActorKind)[keyof typeof ActorKind];

export interface KindDefinition {
  readonly name: string;
  /** Roles whose nodes may host this kind (placement considers only those members). */
  readonly roles: readonly NodeRole[];
  /** Number of `/`-separated key segments, e.g. 2 for `book/<venue>/<symbol>`. */
  readonly keySegments: number;
  readonly description: string;
  /**
   * Shutdown stage: a stopping node passivates its actors stage by stage, lowest first, each stage
   * only once the one before has finished, so what gives work to others stops before what it sends
   * to (strategies, then order managers, then risk and portfolio, then venue connections, then
   * books): an order manager's last fills reach a portfolio that is still running, and a venue's
   * last market data a book that is still running. Default 0.
   */
  readonly stopStage?: number;
}

/**
 * The kinds a cluster knows and the roles that may host them. Later issues register their kinds
 * here; tests register test-only kinds on their own registry.
 *
 * An identity whose kind is not registered is rejected with InvalidArgumentError on field
 * `identity.kind` (INVALID_ARGUMENT): to a caller it is malformed input, like any other bad field.
 */
export class KindRegistry {
  private readonly kinds = new Map<string, KindDefinition>();

  /** Registers a kind; AlreadyExistsError if its name is taken. */
  register(definition: KindDefinition): this {
    validateKindName(definition.name, 'kind.name');
    if (definition.roles.length === 0)
      throw new InvalidArgumentError('kind.roles', 'must name at least one role');
    for (const role of definition.roles) {
      if (!isNodeRole(role))
        throw new InvalidArgumentError('kind.roles', `unknown role ${JSON.stringify(role)}`);
    }
    if (!Number.isInteger(definition.keySegments) || definition.keySegments < 1) {
      throw new InvalidArgumentError('kind.keySegments', 'must be a positive integer');
    }
    if (
      definition.stopStage !== undefined &&
      (!Number.isInteger(definition.stopStage) || definition.stopStage < 0)
    ) {
      throw new InvalidArgumentError('kind.stopStage', 'must be a non-negative integer');
    }
    if (this.kinds.has(definition.name)) {
      throw new AlreadyExistsError(`kind ${definition.name} is already registered`, {
        details: { kind: definition.name },
      });
    }
    this.kinds.set(
      definition.name,
      Object.freeze({ ...definition, roles: Object.freeze([...definition.roles]) }),
    );
    return this;
  }

  has(kind: string): boolean {
    return this.kinds.has(kind);
  }

  get(kind: string): KindDefinition | undefined {
    return this.kinds.get(kind);
  }

  /** The definition of `kind`; InvalidArgumentError (`identity.kind`) if it is not registered. */
  require(kind: string): KindDefinition {
    const definition = this.kinds.get(kind);
    if (definition === undefined) {
      throw new InvalidArgumentError(
        'identity.kind',
        `unknown kind ${JSON.stringify(kind)}; known kinds: ${[...this.kinds.keys()].join(', ')}`,
      );
    }
    return definition;
  }

  list(): readonly KindDefinition[] {
    return [...this.kinds.values()];
  }

  /** Parses `kind/key` and checks the kind is registered and the key has its number of segments. */
  parse(text: string): Identity {
    return this.validate(parseIdentity(text));
  }

  /** Builds an identity of a registered kind (see `parse`). */
  identity(kind: string, key: string): Identity {
    return this.validate(identity(kind, key));
  }

  /** Checks an already-built identity against this registry and returns it. */
  validate(id: Identity): Identity {
    const definition = this.require(id.kind);
    const segments = validateIdentityKey(id.key).length;
    if (segments !== definition.keySegments) {
      throw new InvalidArgumentError(
        'identity.key',
        `kind ${definition.name} takes ${String(definition.keySegments)} key segment(s); got ${String(segments)} in ${JSON.stringify(id.key)}`,
      );
    }
    return id;
  }
}

const DEFAULT_KINDS: readonly KindDefinition[] = [
  {
    name: ActorKind.venue,
    roles: [NodeRole.venue],
    keySegments: 1,
    description: 'venue/<venue>: one exchange connection',
    stopStage: 3,
  },
  {
    name: ActorKind.book,
    roles: [NodeRole.venue],
    keySegments: 2,
    description: 'book/<venue>/<symbol>: the L2 book of one symbol',
    // After venue/<venue> (3), which forwards market data to the books until it stops: a book
    // stopped first was sent to by a draining node ("market data subscriber unreachable").
    stopStage: 4,
  },
  {
    name: ActorKind.orders,
    roles: [NodeRole.trading],
    keySegments: 1,
    description: 'orders/<accountId>: order manager',
    stopStage: 1,
  },
  {
    name: ActorKind.risk,
    roles: [NodeRole.trading],
    keySegments: 1,
    description: 'risk/<accountId>: pre-trade checks',
    stopStage: 2,
  },
  {
    name: ActorKind.portfolio,
    roles: [NodeRole.trading],
    keySegments: 1,
    description: 'portfolio/<accountId>: positions, balances, PnL',
    stopStage: 2,
  },
  {
    name: ActorKind.strategy,
    roles: [NodeRole.strategy],
    keySegments: 1,
    description: 'strategy/<id>: one strategy instance',
    stopStage: 0,
  },
  {
    name: ActorKind.swarm,
    roles: [NodeRole.strategy],
    keySegments: 2,
    description: 'swarm/<swarmId>/<member>: one swarm member',
    stopStage: 0,
  },
  {
    name: ActorKind.arbitrage,
    roles: [NodeRole.strategy],
    keySegments: 1,
    description: 'arbitrage/<id>: opportunity detection and leg execution',
    stopStage: 0,
  },
  {
    name: ActorKind.principal,
    roles: [NodeRole.gateway],
    keySegments: 1,
    description: 'principal/<userId>: an authenticated user or API key holder',
    stopStage: 0,
  },
];

/** A new registry holding the kinds of DESIGN.md; callers may register more on it. */
export function defaultKindRegistry(): KindRegistry {
  const registry = new KindRegistry();
  for (const definition of DEFAULT_KINDS) registry.register(definition);
  return registry;
}
