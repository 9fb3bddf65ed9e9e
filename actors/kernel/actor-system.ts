import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
  UnavailableError,
} from '../../domain/errors.ts';
import type { Logger, MetricsRegistry } from '../../observability/index.ts';
import { ActorCell } from './actor-cell.ts';
import type { CellHost } from './actor-cell.ts';
import type { ActorDefinition, RequestOptions, SendOptions } from './actor-definition.ts';
import { ActorRef } from './actor-ref.ts';
import { nextCorrelationId } from './correlation-id.ts';
import { DeadLetterOffice, DeadLetterReason } from './dead-letter.ts';
import type { DeadLetterListener } from './dead-letter.ts';
import { Envelope, EnvelopeType } from './envelope.ts';
import { PendingRequests } from './future.ts';
import { identityOf } from './identity.ts';
import type { Identity } from './identity.ts';
import { kernelMetricsFor } from './kernel-metrics.ts';
import type { KernelMetrics, KindStats } from './kernel-metrics.ts';
import { startNactSystem, stopNactSystem } from './nact-executor.ts';
import type { NactRef } from './nact-executor.ts';
import type { ActorPersistence } from './persistence/actor-persistence.ts';
import type { ReplyTo } from './reply-to.ts';

/** A failure that a top-level actor escalated: it reached the system's root supervisor. */
export interface Escalation {
  readonly identity: string;
  readonly kind: string;
  readonly reason: string;
  readonly error: unknown;
}

export interface ActorSystemOptions {
  /** Names the nact system and the reply addresses of this system's requests; unique per process. */
  readonly name: string;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  /** Required to spawn persistent (event-sourced) actors. */
  readonly persistence?: ActorPersistence;
  /**
   * The root supervisor: called for each escalation from a top-level actor, which has already
   * stopped. It is always logged at error level first; the cluster layer restarts or fences here.
   */
  readonly onEscalation?: (escalation: Escalation) => void;
}

/**
 * The local actor system: spawns actors by identity, delivers messages through nact, supervises
 * failures, bounds mailboxes and reports dead letters.
 */
export class ActorSystem implements CellHost {
  readonly name: string;
  readonly persistence: ActorPersistence | undefined;
  private readonly logger: Logger;
  private readonly metrics: KernelMetrics;
  private readonly cells = new Map<Identity, ActorCell>();
  private readonly pending: PendingRequests;
  private readonly deadLetters: DeadLetterOffice;
  private readonly root: NactRef;
  private readonly detachMetrics: () => void;
  private readonly onEscalation: ((escalation: Escalation) => void) | undefined;
  private nextNactName = 1;
  private closing: Promise<void> | undefined;

  constructor(options: ActorSystemOptions) {
    this.name = options.name;
    this.persistence = options.persistence;
    this.onEscalation = options.onEscalation;
    this.logger = options.logger.child({ component: 'actors', system: options.name });
    this.metrics = kernelMetricsFor(options.metrics);
    const latency = this.metrics.requestSeconds;
    this.pending = new PendingRequests(options.name, (kind, seconds) => latency.observe(kind, seconds));
    this.deadLetters = new DeadLetterOffice(this.logger);
    this.root = startNactSystem(options.name);
    this.detachMetrics = this.metrics.attach({ liveByKind: () => this.liveByKind() });
    this.logger.info('actor system started');
  }

  /** Starts an actor for `key`; AlreadyExistsError when its identity is already live here. */
  spawn<State, Msg>(definition: ActorDefinition<State, Msg>, key: string): ActorRef<Msg> {
    return this.spawnChild(definition, key, undefined);
  }

  /** Spawns under `parent` (a child, from `ctx.spawn`) or at the top level. */
  spawnChild<State, Msg>(
    definition: ActorDefinition<State, Msg>,
    key: string,
    parent: ActorCell | undefined,
  ): ActorRef<Msg> {
    if (this.closing !== undefined) throw new UnavailableError(`actor system ${this.name} is shut down`);
    if (definition.persistent && this.persistence === undefined) {
      throw new FailedPreconditionError(
        `actor kind ${definition.kind} is persistent; create the actor system with \`persistence\``,
      );
    }
    if (parent?.stopped === true) {
      throw new UnavailableError(`cannot spawn a child of ${parent.identity}: it has stopped`);
    }
    const identity = identityOf(definition.kind, key);
    if (this.cells.has(identity)) {
      throw new AlreadyExistsError(`actor ${identity} is already running`, { details: { actor: identity } });
    }
    const ref = new ActorRef<Msg>(identity, definition.kind, key, this.name, undefined);
    const cell = new ActorCell(
      this,
      definition as ActorDefinition<unknown, unknown>,
      ref as ActorRef<unknown>,
      parent,
      this.logger,
    );
    ref.target = cell;
    this.cells.set(identity, cell);
    parent?.children.add(cell);
    // nact names must be path-safe and unique among siblings; identities are neither, so number them.
    cell.start(parent?.nactRef ?? this.root, `a${this.nextNactName++}`, nextCorrelationId());
    return ref;
  }

  /** A ref to the identity without spawning; sends become dead letters until it is spawned. */
  ref<State, Msg>(definition: ActorDefinition<State, Msg>, key: string): ActorRef<Msg> {
    const identity = identityOf(definition.kind, key);
    return new ActorRef<Msg>(identity, definition.kind, key, this.name, this.cells.get(identity));
  }

  isAlive(ref: ActorRef<never>): boolean {
    return this.resolve(ref) !== undefined;
  }

  /**
   * Fire-and-forget. A message to a stopped or unknown actor is a dead letter (counted, logged,
   * published); a full mailbox throws ResourceExhaustedError.
   */
  send<M>(ref: ActorRef<M>, message: M, options?: SendOptions | string): void {
    const given = typeof options === 'string' ? options : options?.correlationId;
    const cell = this.resolve(ref);
    if (cell === undefined) {
      this.unaddressed(ref, message, given ?? nextCorrelationId(), false);
      return;
    }
    if (!cell.mailbox.admit()) throw this.overloaded(cell, given ?? nextCorrelationId());
    // Without a correlation id the bare message travels: one object less per queued message.
    cell.enqueue(given === undefined ? message : new Envelope(EnvelopeType.USER, message, given, undefined));
  }

  /**
   * Sends the message `build` makes around a reply address and waits for the reply. Fails at once
   * with NotFoundError (identity never spawned here), UnavailableError (actor stopped) or
   * ResourceExhaustedError (mailbox full); with DeadlineExceededError after `timeoutMs`. The reply
   * type comes from the factory's parameter, so define request factories beside the messages:
   * `const get = (replyTo: ReplyTo<number>): CounterMsg => ({ type: 'get', replyTo })`.
   */
  request<Reply, M>(
    ref: ActorRef<M>,
    build: (replyTo: ReplyTo<Reply>) => NoInfer<M>,
    options: RequestOptions,
  ): Promise<Reply> {
    const { timeoutMs } = options;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      return Promise.reject(
        new InvalidArgumentError('timeoutMs', `must be a finite number > 0, got ${timeoutMs}`),
      );
    }
    const given = options.correlationId;
    const cell = this.resolve(ref);
    if (cell === undefined) {
      return Promise.reject(this.undeliverable(ref, given ?? nextCorrelationId()));
    }
    if (!cell.mailbox.admit()) return Promise.reject(this.overloaded(cell, given ?? nextCorrelationId()));
    const { replyTo, reply } = this.pending.open<Reply>(ref.kind, ref.identity, given, timeoutMs);
    let message: M;
    try {
      message = build(replyTo);
    } catch (error) {
      cell.mailbox.release();
      this.pending.reject(replyTo.requestId, error instanceof Error ? error : new Error(String(error)));
      return reply;
    }
    cell.enqueue(new Envelope(EnvelopeType.USER, message, given, replyTo));
    return reply;
  }

  /** Stops the actor and its children; resolves once its queued messages were dead-lettered. */
  stop(ref: ActorRef<never>): Promise<void> {
    const cell = this.resolve(ref);
    return cell === undefined ? Promise.resolve() : cell.stop();
  }

  /**
   * Stops the actor after its definition's `passivate` hook ran with its last state (in message
   * order, after what is queued before it); the hook gets `hookTimeoutMs` (default 5 s). Resolves
   * once the actor has stopped. An actor without a hook simply stops.
   */
  passivate(ref: ActorRef<never>, options: { readonly hookTimeoutMs?: number } = {}): Promise<void> {
    const cell = this.resolve(ref);
    if (cell === undefined) return Promise.resolve();
    return cell.passivate(`passivate:${ref.identity}`, options.hookTimeoutMs ?? 5_000);
  }

  /** True when the actor behind `ref` is live with nothing queued or in progress. */
  isIdle(ref: ActorRef<never>): boolean {
    const cell = this.resolve(ref);
    return cell !== undefined && cell.mailbox.depth === 0;
  }

  /** Subscribes to dead letters; returns the unsubscribe function. */
  onDeadLetter(listener: DeadLetterListener): () => void {
    return this.deadLetters.subscribe(listener);
  }

  /** Stops every actor, fails pending requests with UnavailableError, stops nact. Idempotent. */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      const topLevel = [...this.cells.values()].filter((cell) => cell.parent === undefined);
      await Promise.all(topLevel.map((cell) => cell.stop()));
      this.pending.rejectAll(
        () => new UnavailableError(`actor system ${this.name} shut down before the reply`),
      );
      stopNactSystem(this.root);
      this.detachMetrics();
      this.logger.info({ actors: topLevel.length }, 'actor system stopped');
    })();
    return this.closing;
  }

  // CellHost: what actor cells ask of their system.
  stats(kind: string): KindStats {
    return this.metrics.kind(kind);
  }

  reply(to: ReplyTo<never>, value: unknown, from: ActorCell): void {
    if (this.pending.resolve(to.requestId, value)) return;
    this.stats(from.kind).deadLetters += 1;
    this.deadLetters.publish({
      identity: from.identity,
      kind: from.kind,
      reason: DeadLetterReason.LATE_REPLY,
      message: value,
      correlationId: to.correlationId,
      request: false,
    });
  }

  fail(to: ReplyTo<never>, error: Error): void {
    if (!this.pending.reject(to.requestId, error)) {
      this.logger.debug(
        { err: error, correlationId: to.correlationId },
        'failure for a request no longer waiting',
      );
    }
  }

  cellOf(ref: ActorRef<never>): ActorCell | undefined {
    return this.resolve(ref);
  }

  unregister(cell: ActorCell): void {
    if (this.cells.get(cell.identity) === cell) this.cells.delete(cell.identity);
  }

  deadLetter(cell: ActorCell, envelope: Envelope, reason: DeadLetterReason): void {
    const request = envelope.replyTo !== undefined;
    this.stats(cell.kind).deadLetters += 1;
    if (envelope.replyTo !== undefined) {
      this.pending.reject(
        envelope.replyTo.requestId,
        this.unavailable(cell.identity, envelope.correlationId),
      );
    }
    this.deadLetters.publish({
      identity: cell.identity,
      kind: cell.kind,
      reason,
      message: envelope.message,
      correlationId: envelope.correlationId,
      request,
    });
  }

  rootEscalation(cell: ActorCell, error: unknown, reason: string): void {
    this.logger.error(
      { err: error, actor: cell.identity, kind: cell.kind, reason },
      'escalation reached the root supervisor',
    );
    if (this.onEscalation === undefined) return;
    try {
      this.onEscalation({ identity: cell.identity, kind: cell.kind, reason, error });
    } catch (listenerError) {
      this.logger.error({ err: listenerError, actor: cell.identity }, 'onEscalation threw');
    }
  }

  private resolve(ref: ActorRef<never> | ActorRef<unknown>): ActorCell | undefined {
    const target = ref.target;
    if (target instanceof ActorCell && !target.stopped) return target;
    const cell = this.cells.get(ref.identity);
    if (cell !== undefined) ref.target = cell;
    return cell;
  }

  /** Counts and publishes a message that found no live actor. */
  private unaddressed(
    ref: ActorRef<never> | ActorRef<unknown>,
    message: unknown,
    correlationId: string,
    request: boolean,
  ): void {
    this.stats(ref.kind).deadLetters += 1;
    this.deadLetters.publish({
      identity: ref.identity,
      kind: ref.kind,
      reason: ref.target !== undefined ? DeadLetterReason.STOPPED : DeadLetterReason.UNKNOWN,
      message,
      correlationId,
      request,
    });
  }

  /**
   * A request that found no live actor: counted and published as a dead letter; returns the error
   * its caller gets (a send has no caller, so it builds none: an error's stack trace is costly).
   */
  private undeliverable(ref: ActorRef<never> | ActorRef<unknown>, correlationId: string): Error {
    const known = ref.target !== undefined;
    this.unaddressed(ref, undefined, correlationId, true);
    return known
      ? this.unavailable(ref.identity, correlationId)
      : new NotFoundError(`no actor ${ref.identity} in actor system ${this.name}`, {
          details: { actor: ref.identity, correlationId },
        });
  }

  private unavailable(identity: string, correlationId: string): UnavailableError {
    return new UnavailableError(`actor ${identity} has stopped`, {
      details: { actor: identity, correlationId },
    });
  }

  private overloaded(cell: ActorCell, correlationId: string): ResourceExhaustedError {
    this.stats(cell.kind).overloads += 1;
    this.logger.debug(
      { actor: cell.identity, correlationId, capacity: cell.mailbox.capacity },
      'mailbox full',
    );
    return new ResourceExhaustedError(
      `actor ${cell.identity} is overloaded: its mailbox holds ${cell.mailbox.capacity} messages`,
      { details: { actor: cell.identity, capacity: cell.mailbox.capacity, correlationId } },
    );
  }

  private liveByKind(): Map<string, { actors: number; depth: number; maxDepth: number }> {
    const byKind = new Map<string, { actors: number; depth: number; maxDepth: number }>();
    for (const cell of this.cells.values()) {
      let figures = byKind.get(cell.kind);
      if (figures === undefined) {
        figures = { actors: 0, depth: 0, maxDepth: 0 };
        byKind.set(cell.kind, figures);
      }
      figures.actors += 1;
      figures.depth += cell.mailbox.depth;
      figures.maxDepth = Math.max(figures.maxDepth, cell.mailbox.depth);
    }
    return byKind;
  }
}

/** Creates a local actor system (one per node process, or several in tests). */
export function createActorSystem(options: ActorSystemOptions): ActorSystem {
  return new ActorSystem(options);
}
