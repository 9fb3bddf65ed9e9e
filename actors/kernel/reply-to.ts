/**
 * Where the reply to one request goes. It is plain data (system name, request id, correlation id)
 * so that the cluster layer can carry it across nodes; the actor answers with `ctx.reply(replyTo,
 * value)` or `ctx.fail(replyTo, error)`.
 */
export class ReplyTo<Reply> {
  // Phantom member: a ReplyTo<number> cannot be answered with a string.
  declare private readonly carries: (reply: Reply) => void;

  constructor(
    readonly system: string,
    readonly requestId: number,
    readonly correlationId: string,
  ) {}
}
