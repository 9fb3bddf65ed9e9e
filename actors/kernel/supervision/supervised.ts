import type { Logger } from '../../../observability/index.ts';
import type { RestartWindow } from './restart-window.ts';
import type { SupervisionPolicy } from './supervision-policy.ts';

/** What an outcome tells the executor: go on with the next message, or stop the actor. */
export const SupervisionOutcome = {
  RESUME: 'resume',
  STOP: 'stop',
} as const;
export type SupervisionOutcome = (typeof SupervisionOutcome)[keyof typeof SupervisionOutcome];

/** The surface of an actor that the directives act on (implemented by the actor cell). */
export interface Supervised {
  readonly identity: string;
  readonly kind: string;
  readonly logger: Logger;
  readonly policy: SupervisionPolicy;
  readonly restarts: RestartWindow;
  /** True once the actor was stopped (by a directive, `stop`, or shutdown). */
  readonly stopped: boolean;
  /** True once initialState completed for the current incarnation. */
  readonly initialized: boolean;
  /** Stops every child (restart and stop do this first, as an OTP supervisor does). */
  stopChildren(): void;
  /** Drops the state and runs initialState again; a throw is a new failure of the actor. */
  reinitialize(): Promise<void>;
  /** Marks the actor stopped before nact stops it, so no send slips in between. */
  markStopped(): void;
  /** Hands the failure to the parent, or to the system's root supervisor for a top-level actor. */
  escalate(error: unknown, reason: string): void;
  /** Counts a restart or an escalation; countFailure counts every failure by the directive chosen. */
  count(event: 'restart' | 'escalation'): void;
  countFailure(directive: string): void;
}
