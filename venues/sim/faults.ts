import { z } from 'zod';
import { InvalidArgumentError } from '../../domain/errors.ts';

/**
 * Faults a simulator injects on demand (tests and chaos drills set them through the control API).
 * Counted faults apply to the next `count` matching requests, then disarm themselves.
 */
export interface FaultSettings {
  /** Added to every HTTP answer and WebSocket frame, ms. */
  readonly latencyMs?: number;
  /** Answer 429 or 418 with Retry-After (seconds) to the next `count` requests on `paths` (all when absent). */
  readonly rateLimit?: {
    readonly status: 429 | 418;
    readonly retryAfterSeconds: number;
    readonly count?: number;
    readonly paths?: readonly string[];
  };
  /**
   * Answer 5xx to the next `count` requests on `paths`. `executed: true` runs the request first (the
   * order exists but the client hears 5xx), `false` answers without running it.
   */
  readonly serverError?: {
    readonly status?: number;
    readonly count?: number;
    readonly paths?: readonly string[];
    readonly executed?: boolean;
  };
  /** Run the next `count` requests on `paths` but destroy the connection instead of answering. */
  readonly lostAck?: { readonly count?: number; readonly paths?: readonly string[] };
  /**
   * Skip update ids in the next `count` diff-depth events (a sequence gap), of the listed symbols
   * only when `symbols` is given, else of whichever symbol publishes next.
   */
  readonly sequenceGap?: { readonly count?: number; readonly symbols?: readonly string[] };
  /** Stop answering client pings and sending server pings (a stale connection). */
  readonly staleHeartbeats?: boolean;
  /** Stop sending market-data frames (heartbeat-less silence). */
  readonly silentStreams?: boolean;
  /** Simulator clock minus real time, ms (positive: the venue's clock runs ahead). */
  readonly clockSkewMs?: number;
}

const count = z.number().int().positive();
const paths = z.array(z.string().min(1)).max(100);

/** The control API's fault body: unknown fields are refused, so a typo never passes silently. */
const faultSettingsSchema = z.strictObject({
  latencyMs: z.number().int().nonnegative().max(60_000).optional(),
  rateLimit: z
    .strictObject({
      status: z.union([z.literal(429), z.literal(418)]),
      retryAfterSeconds: z.number().int().nonnegative().max(86_400),
      count: count.optional(),
      paths: paths.optional(),
    })
    .optional(),
  serverError: z
    .strictObject({
      status: z.number().int().min(500).max(599).optional(),
      count: count.optional(),
      paths: paths.optional(),
      executed: z.boolean().optional(),
    })
    .optional(),
  lostAck: z.strictObject({ count: count.optional(), paths: paths.optional() }).optional(),
  sequenceGap: z.strictObject({ count: count.optional(), symbols: paths.optional() }).optional(),
  staleHeartbeats: z.boolean().optional(),
  silentStreams: z.boolean().optional(),
  clockSkewMs: z.number().int().min(-86_400_000).max(86_400_000).optional(),
});

/**
 * Validates a `POST /__control/faults` body; InvalidArgumentError naming the first bad field
 * (e.g. `serverError.status`) otherwise.
 */
export function parseFaultSettings(value: unknown): FaultSettings {
  const result = faultSettingsSchema.safeParse(value);
  if (result.success) return stripUndefined(result.data);
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'faults' : issue.path.map(String).join('.');
  const unknownKeys = issue?.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  throw new InvalidArgumentError(field, `${issue?.message ?? 'is not valid'}${unknownKeys}`);
}

/** zod leaves absent optional fields as keys with `undefined`; FaultSettings has exact optional fields. */
function stripUndefined(value: z.infer<typeof faultSettingsSchema>): FaultSettings {
  return JSON.parse(JSON.stringify(value)) as FaultSettings;
}

interface Counted<T> {
  readonly spec: T;
  remaining: number;
}

function counted<T extends { readonly count?: number } | undefined>(
  spec: T,
): Counted<NonNullable<T>> | undefined {
  if (spec === undefined) return undefined;
  return { spec, remaining: spec?.count ?? 1 };
}

function matches(paths: readonly string[] | undefined, path: string): boolean {
  return paths === undefined || paths.length === 0 || paths.includes(path);
}

/** The live fault state of one simulator. */
export class FaultInjector {
  latencyMs = 0;
  staleHeartbeats = false;
  silentStreams = false;
  clockSkewMs = 0;
  #rateLimit: Counted<NonNullable<FaultSettings['rateLimit']>> | undefined;
  #serverError: Counted<NonNullable<FaultSettings['serverError']>> | undefined;
  #lostAck: Counted<NonNullable<FaultSettings['lostAck']>> | undefined;
  #gap: Counted<NonNullable<FaultSettings['sequenceGap']>> | undefined;

  /** Merges `settings` into the current faults. */
  apply(settings: FaultSettings): void {
    if (settings.latencyMs !== undefined) this.latencyMs = nonNegative('latencyMs', settings.latencyMs);
    if (settings.staleHeartbeats !== undefined) this.staleHeartbeats = settings.staleHeartbeats;
    if (settings.silentStreams !== undefined) this.silentStreams = settings.silentStreams;
    if (settings.clockSkewMs !== undefined) this.clockSkewMs = settings.clockSkewMs;
    if (settings.rateLimit !== undefined) {
      nonNegative('rateLimit.retryAfterSeconds', settings.rateLimit.retryAfterSeconds);
      this.#rateLimit = counted(settings.rateLimit);
    }
    if (settings.serverError !== undefined) this.#serverError = counted(settings.serverError);
    if (settings.lostAck !== undefined) this.#lostAck = counted(settings.lostAck);
    if (settings.sequenceGap !== undefined) this.#gap = counted(settings.sequenceGap);
  }

  clear(): void {
    this.latencyMs = 0;
    this.staleHeartbeats = false;
    this.silentStreams = false;
    this.clockSkewMs = 0;
    this.#rateLimit = this.#serverError = this.#lostAck = this.#gap = undefined;
  }

  /** The current faults, as the control API shows them. */
  describe(): Record<string, unknown> {
    return {
      latencyMs: this.latencyMs,
      staleHeartbeats: this.staleHeartbeats,
      silentStreams: this.silentStreams,
      clockSkewMs: this.clockSkewMs,
      rateLimit: this.#rateLimit,
      serverError: this.#serverError,
      lostAck: this.#lostAck,
      sequenceGap: this.#gap,
    };
  }

  takeRateLimit(path: string): FaultSettings['rateLimit'] {
    return take(this.#rateLimit, path, (f) => f.spec.paths);
  }

  takeServerError(path: string): FaultSettings['serverError'] {
    return take(this.#serverError, path, (f) => f.spec.paths);
  }

  takeLostAck(path: string): FaultSettings['lostAck'] {
    return take(this.#lostAck, path, (f) => f.spec.paths);
  }

  /** True once per armed gap for a matching symbol: the caller skips update ids. */
  takeSequenceGap(symbol: string): boolean {
    return take(this.#gap, symbol, (f) => f.spec.symbols) !== undefined;
  }
}

function take<T>(
  fault: Counted<T> | undefined,
  path: string,
  paths: (f: Counted<T>) => readonly string[] | undefined,
): T | undefined {
  if (fault === undefined || fault.remaining <= 0 || !matches(paths(fault), path)) return undefined;
  fault.remaining -= 1;
  return fault.spec;
}

function nonNegative(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(field, `must be a non-negative number, got ${String(value)}`);
  }
  return value;
}
