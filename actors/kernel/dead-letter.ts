import type { Logger } from '../../observability/index.ts';

export const DeadLetterReason = {
  /** The identity's actor stopped (or was stopping) before the message could be handled. */
  STOPPED: 'stopped',
  /** No actor with that identity was ever spawned in this system. */
  UNKNOWN: 'unknown',
  /** A reply arrived after its request had timed out or been answered. */
  LATE_REPLY: 'late-reply',
} as const;
export type DeadLetterReason = (typeof DeadLetterReason)[keyof typeof DeadLetterReason];

/** A message that reached no actor. */
export interface DeadLetter {
  readonly identity: string;
  readonly kind: string;
  readonly reason: DeadLetterReason;
  readonly message: unknown;
  readonly correlationId: string;
  /** True when the message was a request (its caller got an immediate error). */
  readonly request: boolean;
}

export type DeadLetterListener = (letter: DeadLetter) => void;

/** Publishes dead letters to listeners; a listener that throws is logged and does not stop the others. */
export class DeadLetterOffice {
  private readonly listeners = new Set<DeadLetterListener>();

  constructor(private readonly logger: Logger) {}

  subscribe(listener: DeadLetterListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(letter: DeadLetter): void {
    this.logger.info(
      {
        actor: letter.identity,
        kind: letter.kind,
        reason: letter.reason,
        correlationId: letter.correlationId,
        request: letter.request,
      },
      'dead letter',
    );
    for (const listener of this.listeners) {
      try {
        listener(letter);
      } catch (error) {
        this.logger.error(
          { err: error, actor: letter.identity, correlationId: letter.correlationId },
          'dead-letter listener threw',
        );
      }
    }
  }
}
