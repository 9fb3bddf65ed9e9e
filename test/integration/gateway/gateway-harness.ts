import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Metadata, credentials, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import WebSocket from 'ws';
import { loadConfig, resolveSecrets } from '../../../nodes/config/index.ts';
import {
  LoginRequest,
  LoginResponse,
  RegisterRequest,
  RegisterResponse,
} from '../../../proto/gen/ninja/v1/auth.ts';
import { startNode } from '../../../nodes/index.ts';
import type { RegisterKinds, RunningNode } from '../../../nodes/index.ts';
import { createTestDatabase, testLogger } from '../../support/index.ts';
import type { TestDatabase } from '../../support/index.ts';

/** One node with the gateway role on a fresh database, gRPC and HTTP on free loopback ports. */
export interface GatewayTestNode {
  readonly node: RunningNode;
  readonly database: TestDatabase;
  readonly grpcAddress: string;
  readonly httpBase: string;
  readonly wsUrl: string;
  readonly grpc: RawGrpcClient;
  stop(): Promise<void>;
}

export async function startGatewayNode(
  options: {
    readonly env?: Record<string, string>;
    readonly credentialsFile?: string;
    readonly registerKinds?: RegisterKinds;
  } = {},
): Promise<GatewayTestNode> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'ninja-gateway-'));
  const logger = testLogger('gateway-node');
  const config = resolveSecrets(
    loadConfig({
      env: {
        NINJA_ENV: 'test',
        NINJA_NODE_ID: 'gateway-1',
        NINJA_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        NINJA_HTTP_PORT: '0',
        NINJA_GRPC_PORT: '0',
        NINJA_ROLES: 'gateway,trading',
        NINJA_ADDRESS_RATE_LIMIT_SCALE: '1000',
        ...options.env,
      },
    }),
    logger,
  );
  const node = await startNode(config, logger, {
    ...(options.credentialsFile === undefined ? {} : { credentialsFile: options.credentialsFile }),
    ...(options.registerKinds === undefined ? {} : { registerKinds: options.registerKinds }),
  });
  if (node.grpc === undefined) throw new Error('node started without the gateway');
  const grpcAddress = `${node.grpc.host}:${node.grpc.port}`;
  const grpc = new RawGrpcClient(grpcAddress);
  return {
    node,
    database,
    grpcAddress,
    httpBase: `http://${node.http.host}:${node.http.port}`,
    wsUrl: `ws://${node.http.host}:${node.http.port}/ws`,
    grpc,
    stop: async () => {
      grpc.close();
      await node.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a call answered: the response, or the status with the field an INVALID_ARGUMENT names. */
export type CallResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly code: status;
      readonly details: string;
      readonly field: string | undefined;
    };

export interface Credentials {
  readonly token?: string;
  readonly apiKey?: string;
}

/** The ts-proto encode/decode pair of a message. */
export interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  fromPartial(object: never): T;
}

/** A gRPC client that calls any method by path, with typed messages or raw bytes. */
export class RawGrpcClient {
  private readonly client: Client;

  constructor(address: string) {
    this.client = new Client(address, credentials.createInsecure());
  }

  async unary<Req, Res>(
    path: string,
    request: Req,
    requestCodec: Pick<Codec<Req>, 'encode'>,
    responseCodec: Pick<Codec<Res>, 'decode'>,
    auth: Credentials = {},
  ): Promise<CallResult<Res>> {
    const bytes = await this.unaryBytes(path, Buffer.from(requestCodec.encode(request).finish()), auth);
    return bytes.ok ? { ok: true, value: responseCodec.decode(bytes.value) } : bytes;
  }

  unaryBytes(path: string, request: Buffer, auth: Credentials = {}): Promise<CallResult<Buffer>> {
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        path,
        (value: Buffer) => value,
        (value: Buffer) => value,
        request,
        metadataOf(auth),
        { deadline: Date.now() + 15_000 },
        (error: ServiceError | null, response?: Buffer) => {
          if (error === null && response !== undefined) resolve({ ok: true, value: response });
          else resolve(failureOf(error));
        },
      );
    });
  }

  /** Opens a server stream and answers with its first message or its status, then cancels it. */
  streamFirst(
    path: string,
    request: Buffer,
    auth: Credentials = {},
    deadlineMs = 15_000,
  ): Promise<CallResult<Buffer>> {
    return new Promise((resolve) => {
      const call = this.client.makeServerStreamRequest(
        path,
        (value: Buffer) => value,
        (value: Buffer) => value,
        request,
        metadataOf(auth),
        { deadline: Date.now() + deadlineMs },
      );
      call.on('data', (data: Buffer) => {
        resolve({ ok: true, value: data });
        call.cancel();
      });
      call.on('error', (error: ServiceError) => resolve(failureOf(error)));
      call.on('end', () =>
        resolve({ ok: false, code: status.OK, details: 'ended without a message', field: undefined }),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

function metadataOf(auth: Credentials): Metadata {
  const metadata = new Metadata();
  if (auth.token !== undefined) metadata.set('authorization', `Bearer ${auth.token}`);
  if (auth.apiKey !== undefined) metadata.set('x-api-key', auth.apiKey);
  return metadata;
}

function failureOf(error: ServiceError | null): CallResult<never> {
  if (error === null) return { ok: false, code: status.UNKNOWN, details: 'no response', field: undefined };
  const [field] = error.metadata?.get('x-error-field') ?? [];
  return {
    ok: false,
    code: error.code,
    details: error.details,
    field: typeof field === 'string' ? field : undefined,
  };
}

/** A WebSocket client speaking the gateway's JSON protocol. */
export class WsClient {
  private readonly waiting = new Map<string, (frame: Record<string, unknown>) => void>();
  private nextId = 1;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      const id = typeof frame['id'] === 'string' ? frame['id'] : 'null';
      this.waiting.get(id)?.(frame);
      this.waiting.delete(id);
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new WsClient(socket)));
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  /** Sends a request and waits for the frame answering it. */
  call(method: string, params: unknown): Promise<Record<string, unknown>> {
    const id = String(this.nextId++);
    return this.send(id, JSON.stringify({ id, method, params }));
  }

  /** Sends raw text; the answer is matched by `id` (use 'null' for frames without a usable id). */
  send(id: string, text: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${id}`)), 15_000);
      this.waiting.set(id, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
      this.socket.send(text);
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** A registered, logged-in user with one paper account. */
export interface TestUser {
  readonly userId: string;
  readonly email: string;
  readonly token: string;
  readonly accountId: string;
}

/** Registers `email` (password "<email> password"), logs in, and gives the user a paper account. */
export async function signUp(gw: GatewayTestNode, email: string): Promise<TestUser> {
  const password = `${email} password`;
  const registered = await gw.grpc.unary(
    '/ninja.v1.AuthService/Register',
    { email, password },
    RegisterRequest,
    RegisterResponse,
  );
  if (!registered.ok) throw new Error(`register ${email}: ${registered.details}`);
  const login = await gw.grpc.unary(
    '/ninja.v1.AuthService/Login',
    { email, password },
    LoginRequest,
    LoginResponse,
  );
  if (!login.ok) throw new Error(`login ${email}: ${login.details}`);
  const userId = login.value.user?.userId ?? '';
  const account = await gw.database.pool.query<{ id: string }>(
    "INSERT INTO accounts (user_id, venue, name) VALUES ($1, 'paper', 'main') RETURNING id",
    [userId],
  );
  return {
    userId,
    email,
    token: login.value.tokens?.accessToken ?? '',
    accountId: account.rows[0]?.id ?? '',
  };
}
