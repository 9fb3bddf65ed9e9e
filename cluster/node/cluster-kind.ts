import { InvalidArgumentError } from '../../domain/errors.ts';
import { ReplyTo } from '../../actors/kernel/index.ts';
import type { ActorDefinition } from '../../actors/kernel/index.ts';
import type { KindDefinition } from '../kinds.ts';

/** A message or reply as it crosses nodes: its type name and its bytes. */
export interface EncodedMessage {
  readonly type: string;
  readonly payload: Uint8Array;
}

/**
 * How a kind's messages and replies cross nodes. A request's reply address (a `ReplyTo`) never
 * travels: `encodeMessage` leaves it out and `decodeMessage` puts the receiver's one back.
 */
export interface MessageCodec<Msg> {
  encodeMessage(message: Msg): EncodedMessage;
  /** InvalidArgumentError for an unknown type or a malformed payload. */
  decodeMessage(type: string, payload: Uint8Array, replyTo: ReplyTo<unknown> | undefined): Msg;
  encodeReply(reply: unknown): EncodedMessage;
  decodeReply(type: string, payload: Uint8Array): unknown;
}

/** What `ClusterNode.register` takes: where a kind may live, how it behaves, how its messages travel. */
export interface ClusterKind<State, Msg> {
  /** Roles and key shape; `kind.name` must equal `actor.kind`. */
  readonly kind: KindDefinition;
  readonly actor: ActorDefinition<State, Msg>;
  readonly codec: MessageCodec<Msg>;
  /**
   * Passivate an activation after this many milliseconds without a message: snapshot (persistent
   * kinds), stop, give the activation back; the next message activates it again. Default: never.
   */
  readonly idleTimeoutMs?: number;
}

export interface JsonMessageCodecOptions {
  /** Message `type` values this kind accepts; any other is INVALID_ARGUMENT on decode. */
  readonly types: readonly string[];
  /** The message field holding the reply address of a request. Default `replyTo`. */
  readonly replyField?: string;
}

const JSON_REPLY_TYPE = 'json';

/**
 * JSON messages with a `type` field (decimals as strings, no bigint). Good enough until each kind
 * has its protobuf messages in proto/.
 */
export function jsonMessageCodec<Msg extends { readonly type: string }>(
  options: JsonMessageCodecOptions,
): MessageCodec<Msg> {
  const types = new Set(options.types);
  const replyField = options.replyField ?? 'replyTo';
  const dropReplyTo = (_key: string, value: unknown): unknown =>
    value instanceof ReplyTo ? undefined : value;
  return {
    encodeMessage: (message) => ({
      type: message.type,
      payload: Buffer.from(JSON.stringify(message, dropReplyTo), 'utf8'),
    }),
    decodeMessage: (type, payload, replyTo) => {
      if (!types.has(type)) {
        throw new InvalidArgumentError('envelope.type', `unknown message type ${JSON.stringify(type)}`);
      }
      const parsed = parseJson(payload, 'envelope.payload');
      if (typeof parsed !== 'object' || parsed === null || (parsed as { type?: unknown }).type !== type) {
        throw new InvalidArgumentError('envelope.payload', `is not a ${type} message`);
      }
      return (replyTo === undefined ? parsed : { ...parsed, [replyField]: replyTo }) as Msg;
    },
    encodeReply: (reply) => ({
      type: JSON_REPLY_TYPE,
      payload: Buffer.from(JSON.stringify(reply ?? null), 'utf8'),
    }),
    decodeReply: (type, payload) => {
      if (type !== JSON_REPLY_TYPE) {
        throw new InvalidArgumentError('envelope.type', `unexpected reply type ${JSON.stringify(type)}`);
      }
      return parseJson(payload, 'envelope.payload');
    },
  };
}

function parseJson(payload: Uint8Array, field: string): unknown {
  try {
    return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (error) {
    throw new InvalidArgumentError(field, `is not JSON: ${(error as Error).message}`, { cause: error });
  }
}
