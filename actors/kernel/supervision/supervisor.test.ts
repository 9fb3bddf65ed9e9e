import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../observability/index.ts';
import { Directive } from './directive.ts';
import { RestartWindow } from './restart-window.ts';
import { SupervisionOutcome } from './supervised.ts';
import type { Supervised } from './supervised.ts';
import { supervisionPolicy } from './supervision-policy.ts';
import { superviseFailure } from './supervisor.ts';

function fakeActor(
  decide: (error: unknown) => Directive,
  reinitialize: () => Promise<void> = () => Promise.resolve(),
) {
  const policy = supervisionPolicy({
    decide,
    intensity: { maxRestarts: 2, withinMs: 60_000 },
    backoff: { initialMs: 0, maxMs: 0 },
  });
  const log = {
    escalated: [] as string[],
    restarts: 0,
    escalations: 0,
    failures: [] as string[],
    childrenStopped: 0,
  };
  const actor: Supervised & { stopped: boolean } = {
    identity: 'test/a',
    kind: 'test',
    logger: createLogger({ level: 'silent' }),
    policy,
    restarts: new RestartWindow(policy.intensity),
    stopped: false,
    initialized: true,
    stopChildren: () => {
      log.childrenStopped += 1;
    },
    reinitialize,
    markStopped: () => {
      actor.stopped = true;
    },
    escalate: (_error, reason) => {
      log.escalated.push(reason);
    },
    count: (event) => {
      if (event === 'restart') log.restarts += 1;
      else log.escalations += 1;
    },
    countFailure: (directive) => {
      log.failures.push(directive);
    },
  };
  return { actor, log };
}

describe('superviseFailure', () => {
  it('resume and stop map to their outcomes', async () => {
    expect(await superviseFailure(fakeActor(() => Directive.RESUME).actor, new Error('x'), 'c')).toBe(
      SupervisionOutcome.RESUME,
    );
    const { actor, log } = fakeActor(() => Directive.STOP);
    expect(await superviseFailure(actor, new Error('x'), 'c')).toBe(SupervisionOutcome.STOP);
    expect(actor.stopped).toBe(true);
    expect(log.childrenStopped).toBe(1);
  });

  it('restart re-initialises and resumes; past the intensity it escalates', async () => {
    const { actor, log } = fakeActor(() => Directive.RESTART);
    expect(await superviseFailure(actor, new Error('1'), 'c')).toBe(SupervisionOutcome.RESUME);
    expect(await superviseFailure(actor, new Error('2'), 'c')).toBe(SupervisionOutcome.RESUME);
    expect(await superviseFailure(actor, new Error('3'), 'c')).toBe(SupervisionOutcome.STOP);
    expect(log.restarts).toBe(2);
    expect(log.escalations).toBe(1);
    expect(log.escalated[0]).toMatch(/restart intensity exceeded/);
  });

  it('a re-initialisation that keeps failing is decided again until the intensity escalates', async () => {
    let attempts = 0;
    const { actor, log } = fakeActor(
      () => Directive.RESTART,
      () => {
        attempts += 1;
        return Promise.reject(new Error('still broken'));
      },
    );
    expect(await superviseFailure(actor, new Error('first'), 'c')).toBe(SupervisionOutcome.STOP);
    expect(attempts).toBe(2);
    expect(log.failures).toEqual(['restart', 'restart', 'restart']);
    expect(log.escalated).toHaveLength(1);
  });

  it('a decide() that throws escalates', async () => {
    const { actor, log } = fakeActor(() => {
      throw new Error('bad policy');
    });
    expect(await superviseFailure(actor, new Error('x'), 'c')).toBe(SupervisionOutcome.STOP);
    expect(log.failures).toEqual(['escalate']);
  });

  it('resume of an actor that never initialised restarts instead', async () => {
    const { actor, log } = fakeActor(() => Directive.RESUME);
    Object.assign(actor, { initialized: false });
    expect(await superviseFailure(actor, new Error('x'), 'c')).toBe(SupervisionOutcome.RESUME);
    expect(log.failures).toEqual(['restart']);
  });
});
