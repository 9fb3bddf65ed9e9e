/** What a supervisor does with an actor whose message handling (or initialisation) threw. */
export const Directive = {
  /** Keep the current state and go on with the next message; the failed message is dropped. */
  RESUME: 'resume',
  /** Drop the state, wait an exponential backoff with jitter, re-run initialState, go on with the queued messages. */
  RESTART: 'restart',
  /** Stop the actor; its queued and later messages become dead letters. */
  STOP: 'stop',
  /** Stop the actor and fail its parent with the error; the parent's own policy decides (the system's root supervisor for top-level actors). */
  ESCALATE: 'escalate',
} as const;
export type Directive = (typeof Directive)[keyof typeof Directive];
