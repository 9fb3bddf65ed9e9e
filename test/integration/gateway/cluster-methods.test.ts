import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginRequest, LoginResponse } from '../../../proto/gen/ninja/v1/auth.ts';
import {
  DrainNodeRequest,
  DrainNodeResponse,
  GetClusterStatusRequest,
  GetClusterStatusResponse,
} from '../../../proto/gen/ninja/v1/cluster_service.ts';
import { WsClient, signUp, startGatewayNode } from './gateway-harness.ts';
import type { GatewayTestNode, TestUser } from './gateway-harness.ts';

let gw: GatewayTestNode;
let trader: TestUser;
let adminToken: string;

beforeAll(async () => {
  gw = await startGatewayNode();
  trader = await signUp(gw, 'trader@example.com');
  const admin = await signUp(gw, 'root@example.com');
  await gw.database.pool.query("UPDATE users SET roles = ARRAY['admin'] WHERE id = $1", [admin.userId]);
  const login = await gw.grpc.unary(
    '/ninja.v1.AuthService/Login',
    { email: admin.email, password: `${admin.email} password` },
    LoginRequest,
    LoginResponse,
  );
  if (!login.ok) throw new Error(`admin login: ${login.details}`);
  adminToken = login.value.tokens?.accessToken ?? '';
});
afterAll(async () => {
  await gw.stop();
});

const status_ = (token: string) =>
  gw.grpc.unary(
    '/ninja.v1.ClusterService/GetClusterStatus',
    {},
    GetClusterStatusRequest,
    GetClusterStatusResponse,
    { token },
  );
const drain = (token: string, nodeId: string) =>
  gw.grpc.unary('/ninja.v1.ClusterService/DrainNode', { nodeId }, DrainNodeRequest, DrainNodeResponse, {
    token,
  });

describe('ClusterService through the gateway', () => {
  it('answers GetClusterStatus to the admin scope, over gRPC and WebSocket', async () => {
    const result = await status_(adminToken);
    if (!result.ok) throw new Error(`GetClusterStatus: ${status[result.code]} ${result.details}`);
    expect(result.value.viewOf).toBe('gateway-1');
    expect(result.value.members.map((member) => member.nodeId)).toContain('gateway-1');

    const ws = await WsClient.open(gw.wsUrl, { authorization: `Bearer ${adminToken}` });
    const frame = await ws.call('ninja.v1.ClusterService/GetClusterStatus', {});
    ws.close();
    expect(frame['result']).toMatchObject({ viewOf: 'gateway-1' });
  });

  it('refuses both methods without the admin scope (PERMISSION_DENIED), draining nothing', async () => {
    expect(await status_(trader.token)).toMatchObject({ ok: false, code: status.PERMISSION_DENIED });
    expect(await drain(trader.token, 'gateway-1')).toMatchObject({
      ok: false,
      code: status.PERMISSION_DENIED,
    });
    expect((await status_(adminToken)).ok).toBe(true);
  });

  it('audits DrainNode and answers NOT_FOUND for a node that is not a member', async () => {
    expect(await drain(adminToken, 'no-such-node')).toMatchObject({ ok: false, code: status.NOT_FOUND });
    expect(await drain(adminToken, 'bad node!')).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
      field: 'node_id',
    });
    const audit = await gw.database.pool.query<{ target: string }>(
      "SELECT target FROM audit_log WHERE action = 'cluster.drain_node'",
    );
    expect(audit.rows.map((row) => row.target)).toEqual(['node:no-such-node']);
  });
});
