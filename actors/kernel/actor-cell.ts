import { InternalError, isNinjaError } from '../../domain/errors.ts';
import { withCorrelation } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';
import { MessageContext } from './actor-context.ts';
import type { ContextPort } from './actor-context.ts';
import type { ActorDefinition, InitContext, PassivateContext, RequestOptions } from './actor-definition.ts';
import type { ActorRef, RefTarget } from './actor-ref.ts';
import { DeadLetterReason } from './dead-letter.ts';
import { DeathWatch, TerminationCause } from './death-watch.ts';
import type { TerminatedMapper, Watchable } from './death-watch.ts';
import { Envelope, EnvelopeType } from './envelope.ts';
import { EscalatedFailureError } from './errors.ts';
import type { KindStats } from './kernel-metrics.ts';
import { MailboxBound, MessageQueue } from './mailbox.ts';
import { NactDecision, nactDispatch, spawnNactActor, stopNactActor } from './nact-executor.ts';
import type { NactRef } from './nact-executor.ts';
import type { ActorPersistence } from './persistence/actor-persistence.ts';
import type { ReplyTo } from './reply-to.ts';
import { RestartWindow } from './supervision/restart-window.ts';
import type { Supervised } from './supervision/supervised.ts';
import { SupervisionOutcome } from './supervision/supervised.ts';
import { superviseFailure } from './supervision/supervisor.ts';
import type { SupervisionPolicy } from './supervision/supervision-policy.ts';

/** What a cell needs from its actor system. */
export interface CellHost {
  readonly persistence: ActorPersistence | undefined;
  stats(kind: string): KindStats;
  send<M>(ref: ActorRef<M>, message: M, correlationId: string): void;
  request<Reply, M>(
    ref: ActorRef<M>,
    build: (replyTo: ReplyTo<Reply>) => NoInfer<M>,
    options: RequestOptions & { readonly correlationId: string },
  ): Promise<Reply>;
  reply(to: ReplyTo<never>, value: unknown, from: ActorCell): void;
  fail(to: ReplyTo<never>, error: Error): void;
  spawnChild<S, M>(
    definition: ActorDefinition<S, M>,
    key: string,
    parent: ActorCell | undefined,
  ): ActorRef<M>;
  stop(ref: ActorRef<never>): Promise<void>;
  /** The live cell behind a ref, if any (death watch links cells). */
  cellOf(ref: ActorRef<never>): ActorCell | undefined;
  /** The actor stopped: forget its identity (called once). */
  unregister(cell: ActorCell): void;
  deadLetter(cell: ActorCell, envelope: Envelope, reason: DeadLetterReason): void;
  /** A top-level actor escalated: the system's root supervisor handles it. */
  rootEscalation(cell: ActorCell, error: unknown, reason: string): void;
}

/** The one message a cell gives nact: "handle what is queued" (see `ActorCell.drain`). */
const DRAIN: unique symbol = Symbol('drain');

/**
 * Messages one nact turn handles at most before the cell yields the loop (the rest follow in the
 * next turn), so that one busy actor cannot hold the loop from the others and from I/O.
 */
const MAX_PER_TURN = 32;

/**
 * One activation of one identity: owns the state, the mailbox bound, the children and the nact
 * actor that runs its messages. The state lives here, not in nact, so that initialState may be
 * asynchronous and a restart can re-run it after a backoff.
 *
 * Messages queue here (`queue`), not in nact's mailbox: nact is given one DRAIN message while any
 * are queued, and its turn handles up to MAX_PER_TURN of them in order (continuing after an
 * asynchronous one when it settles). nact ran each message in a `setImmediate` of its own, with a
 * context object and a copy of the actor's child map per message (≈ 1.4 KB in a heap-sampling
 * profile), and the answers of an actor handling a frame of remote requests one per loop turn each
 * went out in a write of their own. One at a time and in order are kept: nact still runs one DRAIN
 * at a time, and stays busy while `onCrash` decides, so messages queued meanwhile wait.
 */
export class ActorCell implements RefTarget, Supervised, ContextPort<unknown>, Watchable {
  readonly kind: string;
  readonly policy: SupervisionPolicy;
  readonly restarts: RestartWindow;
  readonly mailbox: MailboxBound;
  readonly children = new Set<ActorCell>();
  readonly deathWatch: DeathWatch = new DeathWatch(this);
  stopped = false;
  initialized = false;
  private state: unknown;
  /** The context of the message in progress (its correlation id also labels a crash). */
  private readonly context: MessageContext<unknown> = new MessageContext<unknown>(this);
  private readonly stats: KindStats;
  private nact: NactRef | undefined;
  private readonly stoppedWaiters: (() => void)[] = [];
  private finished = false;
  private readonly baseLogger: Logger;
  private boundLogger: Logger | undefined;
  /** nact was told to stop this actor (by us or by an onCrash STOP): afterStop will follow. */
  private nactStopped = false;
  /** Messages not yet handled, oldest first. */
  private readonly queue = new MessageQueue();
  /** A DRAIN is in nact's mailbox or running. */
  private drainPending = false;
  /** The message being handled: a crash is reported for it. */
  private current: unknown;

  constructor(
    private readonly host: CellHost,
    private readonly definition: ActorDefinition<unknown, unknown>,
    readonly self: ActorRef<unknown>,
    readonly parent: ActorCell | undefined,
    baseLogger: Logger,
  ) {
    this.kind = definition.kind;
    this.policy = definition.supervision;
    this.restarts = new RestartWindow(definition.supervision.intensity);
    this.mailbox = new MailboxBound(definition.mailbox.capacity);
    this.stats = host.stats(definition.kind);
    this.baseLogger = baseLogger;
  }

  /** Bound to the actor identity and kind; made on first use (thousands of actors never log). */
  get logger(): Logger {
    this.boundLogger ??= this.baseLogger.child({ actor: this.self.identity, kind: this.kind });
    return this.boundLogger;
  }

  get identity(): string {
    return this.self.identity;
  }

  get key(): string {
    return this.self.key;
  }

  /** Spawns the nact actor under `parentNact` and queues initialState as its first message. */
  start(parentNact: NactRef, nactName: string, correlationId: string): void {
    this.nact = spawnNactActor<unknown>(parentNact, nactName, {
      handle: () => this.drain(0),
      onCrash: (_drain, error) => this.onCrash(this.current, error),
      afterStop: () => this.afterStop(),
    });
    this.push(new Envelope(EnvelopeType.INIT, undefined, correlationId, undefined));
  }

  get nactRef(): NactRef | undefined {
    return this.nact;
  }

  /**
   * Queues a user message, bare or in an Envelope (when it has a correlation id or a reply
   * address); the caller has already taken a mailbox slot.
   */
  enqueue(item: unknown): void {
    if (this.nact === undefined) throw new InternalError(`actor ${this.identity} was never started`);
    this.push(item);
  }

  /**
   * Queues an item and gives nact a DRAIN unless one is pending. After afterStop ran, an item is
   * dropped, as nact dropped a dispatch to a stopped actor.
   */
  private push(item: unknown): void {
    if (this.finished) return;
    this.queue.push(item);
    this.requestDrain();
  }

  private requestDrain(): void {
    if (this.drainPending || this.nact === undefined || this.queue.length === 0) return;
    this.drainPending = true;
    nactDispatch(this.nact, DRAIN);
  }

  /**
   * nact's handler: handles queued messages in order, up to MAX_PER_TURN per turn; after an
   * asynchronous one it goes on when that settles (nact waits for the returned promise). A throw
   * or rejection is the crash of `current`; `onCrash` asks for the next DRAIN once it resumes.
   */
  private drain(handled: number): void | Promise<void> {
    for (let count = handled; ; count += 1) {
      if (this.nactStopped || this.queue.length === 0) {
        this.drainPending = false;
        this.current = undefined;
        return undefined;
      }
      if (count >= MAX_PER_TURN) {
        // Yield the loop: the next DRAIN runs in nact's next turn (nact queues it: this one is busy).
        this.drainPending = false;
        this.requestDrain();
        return undefined;
      }
      const item = this.queue.shift();
      this.current = item;
      const result = this.handle(item);
      if (result !== undefined) return result.then(() => this.drain(count + 1));
    }
  }

  /** Queues a kernel envelope (escalated failure): not counted against the mailbox bound. */
  enqueueFailure(error: EscalatedFailureError, correlationId: string): void {
    if (this.stopped || this.nact === undefined) {
      this.logger.error(
        { err: error, correlationId },
        'escalation reached a stopped actor; handing it to the root',
      );
      this.host.rootEscalation(this, error, 'parent already stopped');
      return;
    }
    this.push(new Envelope(EnvelopeType.FAILURE, error, correlationId, undefined));
  }

  /** nact's handler: a bare item is a user message sent without correlation id (the common case). */
  private handle(item: unknown): void | Promise<void> {
    if (!(item instanceof Envelope)) return this.receive(item, undefined);
    if (item.type === EnvelopeType.USER) return this.receive(item.message, item);
    if (item.type === EnvelopeType.INIT) return this.initialize(item.correlationId);
    if (item.type === EnvelopeType.PASSIVATE) return this.runPassivate(item);
    throw item.message;
  }

  /**
   * Passivation: the definition's hook runs in message order with the last state, then the actor
   * stops. Resolves once it has stopped; the hook gets `hookTimeoutMs` before the stop goes ahead.
   */
  passivate(correlationId: string, hookTimeoutMs: number): Promise<void> {
    if (this.stopped || this.nact === undefined) return this.stop();
    let timer: NodeJS.Timeout | undefined;
    const hookDone = new Promise<void>((resolve) => {
      this.push(new Envelope(EnvelopeType.PASSIVATE, resolve, correlationId, undefined));
      timer = setTimeout(() => {
        this.logger.warn({ correlationId, hookTimeoutMs }, 'passivate hook still running; stopping anyway');
        resolve();
      }, hookTimeoutMs);
    });
    return hookDone.then(() => {
      clearTimeout(timer);
      return this.stop();
    });
  }

  private async runPassivate(envelope: Envelope): Promise<void> {
    const done = envelope.message as () => void;
    const hook = this.definition.passivate;
    try {
      if (hook !== undefined && this.initialized) {
        const cellLogger = this.logger;
        const ctx: PassivateContext = {
          identity: this.identity,
          kind: this.kind,
          key: this.key,
          logger: withCorrelation(cellLogger, envelope.correlationId),
          correlationId: envelope.correlationId,
        };
        await hook(this.state, ctx);
      }
    } catch (error) {
      this.logger.warn(
        { err: error, correlationId: envelope.correlationId },
        'passivate hook failed; stopping the actor anyway',
      );
    } finally {
      done();
    }
  }

  private receive(message: unknown, envelope: Envelope | undefined): void | Promise<void> {
    const ctx = this.context;
    ctx.begin(envelope);
    const next = this.definition.receive(this.state, message, ctx);
    if (next instanceof Promise) return next.then((state) => this.completed(state));
    this.completed(next);
    return undefined;
  }

  private completed(state: unknown): void {
    this.state = state;
    this.mailbox.release();
    this.stats.processed += 1;
  }

  private async initialize(correlationId: string): Promise<void> {
    this.initialized = false;
    const cellLogger = (): Logger => this.logger;
    let initLogger: Logger | undefined;
    const ctx: InitContext = {
      identity: this.identity,
      kind: this.kind,
      key: this.key,
      // Made on first use: most initial states never log, and a pino child costs microseconds.
      get logger() {
        initLogger ??= withCorrelation(cellLogger(), correlationId);
        return initLogger;
      },
      correlationId,
      persistence: this.host.persistence,
    };
    this.state = await this.definition.initialState(this.key, ctx);
    this.initialized = true;
  }

  reinitialize(): Promise<void> {
    this.state = undefined;
    return this.initialize(`restart:${this.identity}`);
  }

  private async onCrash(item: unknown, error: unknown): Promise<NactDecision> {
    const envelope = item instanceof Envelope ? item : undefined;
    const userMessage = envelope === undefined || envelope.type === EnvelopeType.USER;
    const correlationId = envelope?.correlationId ?? this.context.correlationId;
    if (userMessage) {
      this.mailbox.release();
      if (envelope?.replyTo !== undefined) {
        const failure = isNinjaError(error)
          ? error
          : new InternalError(`actor ${this.identity} failed while handling the request`, {
              cause: error,
              details: { actor: this.identity, correlationId },
            });
        this.host.fail(envelope.replyTo, failure);
      }
    }
    const outcome = await superviseFailure(this, error, correlationId);
    this.current = undefined;
    // Stopped meanwhile (e.g. `stop` during a restart backoff): nact already stopped it, and a second
    // nact stop would run afterStop twice; resuming a stopped nact actor does nothing.
    if (this.nactStopped) return NactDecision.RESUME;
    if (outcome === SupervisionOutcome.RESUME && !this.stopped) {
      // The crashed DRAIN is over; what was queued behind it (and meanwhile) needs the next one,
      // which nact runs once it resumes.
      this.drainPending = false;
      this.requestDrain();
      return NactDecision.RESUME;
    }
    this.markStopped();
    this.nactStopped = true;
    return NactDecision.STOP;
  }

  /** The queued messages were never handled: dead letters (a passivation waiting is let go). */
  private afterStop(): void {
    if (this.finished) return;
    this.drainPending = false;
    for (const item of this.queue.takeAll()) {
      if (item instanceof Envelope && item.type === EnvelopeType.PASSIVATE) {
        (item.message as () => void)();
        continue;
      }
      if (item instanceof Envelope && item.type !== EnvelopeType.USER) continue;
      this.mailbox.release();
      const envelope =
        item instanceof Envelope ? item : new Envelope(EnvelopeType.USER, item, undefined, undefined);
      this.host.deadLetter(this, envelope, DeadLetterReason.STOPPED);
    }
    this.finish();
  }

  /**
   * Marks this actor and its descendants stopped and forgets them, before nact stops them; its
   * watchers are told. Supervision directives call it without a cause: the actor failed.
   */
  markStopped(cause: TerminationCause = TerminationCause.failed): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const child of this.children) child.markStopped(TerminationCause.stopped);
    this.parent?.children.delete(this);
    this.host.unregister(this);
    this.deathWatch.terminated(cause);
  }

  /** A Terminated notice for this actor: a user message that the mailbox bound never refuses. */
  deliverTerminated(message: unknown): void {
    if (this.stopped || this.nact === undefined) return;
    this.mailbox.forceAdmit();
    this.push(message);
  }

  /** Stops the children (deepest first) and then this actor; resolves once its mailbox was drained. */
  stop(): Promise<void> {
    const done = this.whenFinished();
    if (this.nactStopped || this.finished) return done;
    this.stopChildren();
    this.markStopped(TerminationCause.stopped);
    this.nactStopped = true;
    if (this.nact === undefined) this.finish();
    else stopNactActor(this.nact);
    return done;
  }

  stopChildren(): void {
    for (const child of [...this.children]) {
      void child.stop();
    }
  }

  private whenFinished(): Promise<void> {
    if (this.finished) return Promise.resolve();
    return new Promise((resolve) => this.stoppedWaiters.push(resolve));
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const waiter of this.stoppedWaiters.splice(0)) waiter();
  }

  escalate(error: unknown, reason: string): void {
    if (this.parent === undefined) {
      this.host.rootEscalation(this, error, reason);
      return;
    }
    this.parent.enqueueFailure(
      new EscalatedFailureError(this.identity, reason, error),
      `escalation:${this.identity}`,
    );
  }

  count(event: 'restart' | 'escalation'): void {
    if (event === 'restart') this.stats.restarts += 1;
    else this.stats.escalations += 1;
  }

  countFailure(directive: string): void {
    this.stats.failures.set(directive, (this.stats.failures.get(directive) ?? 0) + 1);
  }

  // ContextPort: what `ctx` does on behalf of the actor's code.
  send<M>(ref: ActorRef<M>, message: M, correlationId: string): void {
    this.host.send(ref, message, correlationId);
  }

  request<Reply, M>(
    ref: ActorRef<M>,
    build: (replyTo: ReplyTo<Reply>) => NoInfer<M>,
    options: RequestOptions & { readonly correlationId: string },
  ): Promise<Reply> {
    return this.host.request(ref, build, options);
  }

  reply(to: ReplyTo<never>, value: unknown): void {
    this.host.reply(to, value, this);
  }

  fail(to: ReplyTo<never>, error: Error): void {
    this.host.fail(to, error);
  }

  spawnChild<S, M>(definition: ActorDefinition<S, M>, key: string): ActorRef<M> {
    return this.host.spawnChild(definition, key, this);
  }

  stopActor(ref: ActorRef<never>): Promise<void> {
    return this.host.stop(ref);
  }

  watch(ref: ActorRef<never>, toMessage: TerminatedMapper<unknown> | undefined): void {
    this.deathWatch.watch(ref, this.host.cellOf(ref), toMessage);
  }

  unwatch(ref: ActorRef<never>): void {
    this.deathWatch.unwatch(ref);
  }
}
