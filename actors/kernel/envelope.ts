import type { ReplyTo } from './reply-to.ts';

export const EnvelopeType = {
  /** A message from `send` or `request`. */
  USER: 0,
  /** Runs initialState; the first envelope of every activation. */
  INIT: 1,
  /** A failure escalated by a child: the receiving actor fails with it. */
  FAILURE: 2,
} as const;
export type EnvelopeType = (typeof EnvelopeType)[keyof typeof EnvelopeType];

/** What travels through nact: the message with its correlation id and, for a request, its reply address. */
export class Envelope {
  constructor(
    readonly type: EnvelopeType,
    readonly message: unknown,
    readonly correlationId: string,
    readonly replyTo: ReplyTo<never> | undefined,
  ) {}
}
