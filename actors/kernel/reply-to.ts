import { nextCorrelationId } from './correlation-id.ts';

/**
 * Where the reply to one request goes. It is plain data (system name, request id, correlation id)
 * so that the cluster layer can carry it across nodes; the actor answers with `ctx.reply(replyTo,
 * value)` or `ctx.fail(replyTo, error)`. A request made without a correlation id gets one on first
 * read, as a plain message does (see Envelope).
 */
export class ReplyTo<Reply> {
  // Phantom member: a ReplyTo<number> cannot be answered with a string.
  declare private readonly carries: (reply: Reply) => void;

  private assignedCorrelationId: string | undefined;

  constructor(
    readonly system: string,
    readonly requestId: number,
    correlationId: string | undefined,
  ) {
    this.assignedCorrelationId = correlationId;
  }

  get correlationId(): string {
    this.assignedCorrelationId ??= nextCorrelationId();
    return this.assignedCorrelationId;
  }
}
