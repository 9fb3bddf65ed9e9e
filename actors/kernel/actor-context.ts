import { withCorrelation } from '../../observability/index.ts';
import type { Logger } from '../../observability/index.ts';
import type { ActorContext, ActorDefinition, RequestOptions, SendOptions } from './actor-definition.ts';
import type { ActorRef } from './actor-ref.ts';
import { nextCorrelationId } from './correlation-id.ts';
import type { TerminatedMapper, WatchArgs } from './death-watch.ts';
import type { Envelope } from './envelope.ts';
import type { ReplyTo } from './reply-to.ts';

/** What a message context asks of its actor and system (implemented by the actor cell). */
export interface ContextPort<Msg> {
  readonly self: ActorRef<Msg>;
  readonly logger: Logger;
  send<M>(ref: ActorRef<M>, message: M, correlationId: string): void;
  request<Reply, M>(
    ref: ActorRef<M>,
    build: (replyTo: ReplyTo<Reply>) => NoInfer<M>,
    options: RequestOptions & { readonly correlationId: string },
  ): Promise<Reply>;
  reply(to: ReplyTo<never>, value: unknown): void;
  fail(to: ReplyTo<never>, error: Error): void;
  spawnChild<S, M>(definition: ActorDefinition<S, M>, key: string): ActorRef<M>;
  stopActor(ref: ActorRef<never>): Promise<void>;
  watch(ref: ActorRef<never>, toMessage: TerminatedMapper<unknown> | undefined): void;
  unwatch(ref: ActorRef<never>): void;
}

/**
 * The context of the message in progress. One per actor, re-pointed at each message (as Akka's
 * ActorContext is): valid during `receive` and its awaits; code that keeps `ctx` for later (a
 * timer) still replies correctly, but its `send` would carry the then-current correlation id.
 * The logger is made on first use per message (a pino child per message is not free).
 */
export class MessageContext<Msg> implements ActorContext<Msg> {
  private boundLogger: Logger | undefined;
  private envelope: Envelope | undefined;
  private generatedCorrelationId: string | undefined;

  constructor(private readonly port: ContextPort<Msg>) {}

  /** Points the context at the next message (its envelope, or none for a bare message). */
  begin(envelope: Envelope | undefined): void {
    this.envelope = envelope;
    this.generatedCorrelationId = undefined;
    this.boundLogger = undefined;
  }

  /** The message's correlation id; one sent without gets one on first read. */
  get correlationId(): string {
    if (this.envelope !== undefined) return this.envelope.correlationId;
    this.generatedCorrelationId ??= nextCorrelationId();
    return this.generatedCorrelationId;
  }

  get self(): ActorRef<Msg> {
    return this.port.self;
  }

  get identity(): string {
    return this.port.self.identity;
  }

  get kind(): string {
    return this.port.self.kind;
  }

  get key(): string {
    return this.port.self.key;
  }

  get logger(): Logger {
    this.boundLogger ??= withCorrelation(this.port.logger, this.correlationId);
    return this.boundLogger;
  }

  send<M>(ref: ActorRef<M>, message: M, options?: SendOptions): void {
    this.port.send(ref, message, options?.correlationId ?? this.correlationId);
  }

  request<Reply, M>(
    ref: ActorRef<M>,
    build: (replyTo: ReplyTo<Reply>) => NoInfer<M>,
    options: RequestOptions,
  ): Promise<Reply> {
    return this.port.request(ref, build, {
      ...options,
      correlationId: options.correlationId ?? this.correlationId,
    });
  }

  reply<Reply>(to: ReplyTo<Reply>, value: Reply): void {
    this.port.reply(to, value);
  }

  fail(to: ReplyTo<never>, error: Error): void {
    this.port.fail(to, error);
  }

  spawn<S, M>(definition: ActorDefinition<S, M>, key: string): ActorRef<M> {
    return this.port.spawnChild(definition, key);
  }

  stop(ref: ActorRef<never>): Promise<void> {
    return this.port.stopActor(ref);
  }

  watch(ref: ActorRef<never>, ...toMessage: WatchArgs<Msg>): void {
    this.port.watch(ref, toMessage[0]);
  }

  unwatch(ref: ActorRef<never>): void {
    this.port.unwatch(ref);
  }
}
