import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

describe('simulator control API input validation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const post = async (body: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${h.sim.restUrl}/__control/faults`, { method: 'POST', body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it.each([
    ['{"serverError":{"status":200}}', 'serverError.status'],
    ['{"rateLimit":{"status":429}}', 'rateLimit.retryAfterSeconds'],
    ['{"latencyMs":-5}', 'latencyMs'],
    ['{"sequenceGap":{"count":"two"}}', 'sequenceGap.count'],
    ['{"serverErorr":{}}', 'faults'],
    ['{"lostAck":{"count":1,"path":["/api/v3/order"]}}', 'lostAck'],
    ['[1,2]', 'faults'],
    ['{not json', 'body'],
  ])('refuses %s with 400 naming %s, and changes nothing', async (body, field) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.body['field']).toBe(field);
    expect(h.sim.control.faults.describe()).toMatchObject({ latencyMs: 0, serverError: undefined });
  });

  it('accepts a valid body and merges it', async () => {
    const answer = await post(
      '{"latencyMs":5,"serverError":{"status":503,"count":2,"paths":["/api/v3/order"]}}',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ latencyMs: 5, serverError: { remaining: 2 } });
    await fetch(`${h.sim.restUrl}/__control/faults`, { method: 'DELETE' });
  });
});
