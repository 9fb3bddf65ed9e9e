import type { StreamSink } from '../api/method-definition.ts';

/**
 * A transport that takes stream messages synchronously: the fan-out's path, with no promise or
 * closure per message. The gRPC and WebSocket endpoints hand one to the market data streams (as
 * their StreamSink, which it also is).
 */
export interface DirectSink<M> extends StreamSink<M> {
  /** Writes `message` now; false when the transport wants nothing more until `onWritable` calls back. */
  offer(message: M): boolean;
  /**
   * Calls `resume` once, when the transport can take more after `offer` answered false, or
   * `fail` when it never will (the stream ends with that error).
   */
  onWritable(resume: () => void, fail: (error: unknown) => void): void;
}

export function isDirectSink<M>(sink: StreamSink<M>): sink is DirectSink<M> {
  const candidate = sink as Partial<DirectSink<M>>;
  return typeof candidate.offer === 'function' && typeof candidate.onWritable === 'function';
}

/** A promise-based sink seen as a DirectSink: one write in flight; `offer` always waits for it. */
export function directSinkOf<M>(sink: StreamSink<M>): DirectSink<M> {
  if (isDirectSink(sink)) return sink;
  let inFlight: Promise<void> = Promise.resolve();
  return {
    write: (message) => sink.write(message),
    offer: (message) => {
      inFlight = sink.write(message);
      return false;
    },
    onWritable: (resume, fail) => {
      inFlight.then(resume, fail);
    },
  };
}

/**
 * Encodes each shared stream message once per transport. The fan-out hands the same message object
 * to every client in a row, so a one-entry memo answers nearly every lookup; a WeakMap answers the
 * rest (messages a slow client writes later, from its queue).
 */
export class EncodeOnce<T> {
  private last: object | undefined;
  private lastEncoded: T | undefined;
  private readonly cache = new WeakMap<object, T>();

  constructor(private readonly encode: (message: unknown) => T) {}

  of(message: unknown): T {
    if (typeof message !== 'object' || message === null) return this.encode(message);
    if (message === this.last && this.lastEncoded !== undefined) return this.lastEncoded;
    let encoded = this.cache.get(message);
    if (encoded === undefined) {
      encoded = this.encode(message);
      this.cache.set(message, encoded);
    }
    this.last = message;
    this.lastEncoded = encoded;
    return encoded;
  }
}
