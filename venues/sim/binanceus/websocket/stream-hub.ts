import type { WebSocket } from 'ws';
import type { Logger } from '../../../../observability/index.ts';
import type { Balance, EngineEvent } from '../../../paper/index.ts';
import type { SimServer } from '../../sim-server.ts';
import { compactFill } from '../../compact-fill.ts';
import { typeOf } from '../http/order-routes.ts';
import { wire } from '../common/instruments.ts';
import { updateId } from '../common/sim-state.ts';
import type { BinanceSimState } from '../common/sim-state.ts';
import { DepthBatcher } from './depth-batcher.ts';
import { accountPosition, aggTradePayload, executionReport, tradePayload } from './frames.ts';
import { FLOW_ACCOUNTS } from '../order-flow.ts';

const FLOW_ACCOUNT_SET: ReadonlySet<string> = new Set(FLOW_ACCOUNTS);

interface MarketSocket {
  readonly socket: WebSocket;
  readonly streams: Set<string>;
  /** Combined connections wrap payloads as {"stream","data"}; raw ones send the payload alone. */
  readonly combined: boolean;
}

/** How many update ids one injected gap skips. */
const GAP_SIZE = 3n;

/**
 * The simulator's WebSocket side: combined and raw market streams with live SUBSCRIBE, and user data
 * streams by listen key, all fed from the matching engine's events.
 */
export class BinanceSimStreamHub {
  readonly #state: BinanceSimState;
  readonly #logger: Logger;
  readonly #listenKeys: ReadonlyMap<string, { accountId: string; expiresAt: number }>;
  readonly #market = new Set<MarketSocket>();
  readonly #users = new Map<string, Set<WebSocket>>();
  readonly #lastTop = new Map<string, string>();
  readonly #pendingBalances = new Map<string, Map<string, Balance>>();
  #server: SimServer | undefined;
  readonly #depthFast = new DepthBatcher(100, (symbol, payload) =>
    this.#publish(`${symbol.toLowerCase()}@depth@100ms`, payload),
  );
  readonly #depthSlow = new DepthBatcher(1000, (symbol, payload) =>
    this.#publish(`${symbol.toLowerCase()}@depth`, payload),
  );

  constructor(
    state: BinanceSimState,
    logger: Logger,
    listenKeys: ReadonlyMap<string, { accountId: string; expiresAt: number }>,
  ) {
    this.#state = state;
    this.#logger = logger;
    this.#listenKeys = listenKeys;
    state.engine.subscribe((event) => this.#onEngineEvent(event));
  }

  attach(server: SimServer): void {
    this.#server = server;
  }

  /** Stops the depth merge timers (the simulator is closing). */
  close(): void {
    this.#depthFast.close();
    this.#depthSlow.close();
  }

  connection(socket: WebSocket, path: string, rawQuery: string): void {
    if (path === '/stream') {
      const names = new URLSearchParams(rawQuery).get('streams') ?? '';
      this.#addMarket(
        socket,
        names.split('/').filter((s) => s.length > 0),
        true,
      );
      return;
    }
    if (path.startsWith('/ws/')) {
      const name = path.slice('/ws/'.length);
      const key = this.#listenKeys.get(name);
      if (key !== undefined) {
        const set = this.#users.get(key.accountId) ?? new Set<WebSocket>();
        set.add(socket);
        this.#users.set(key.accountId, set);
        socket.on('close', () => set.delete(socket));
        return;
      }
      this.#addMarket(socket, [name], false);
      return;
    }
    socket.close(1008, 'unknown path');
  }

  /** Sends a user-data payload to every user stream of `accountId`. */
  sendUser(accountId: string, payload: unknown): void {
    const text = JSON.stringify(payload);
    for (const socket of this.#users.get(accountId) ?? []) this.#server?.send(socket, text, false);
  }

  #addMarket(socket: WebSocket, streams: string[], combined: boolean): void {
    const entry: MarketSocket = { socket, streams: new Set(streams), combined };
    this.#market.add(entry);
    socket.on('close', () => this.#market.delete(entry));
    socket.on('message', (data: Buffer) => this.#control(entry, data.toString('utf8')));
  }

  #control(entry: MarketSocket, text: string): void {
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      // The venue answers unparsable control messages with code 3.
      entry.socket.send(JSON.stringify({ code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }));
      return;
    }
    const id = request.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      entry.socket.send(
        JSON.stringify({ code: 2, msg: 'Invalid request: request ID must be an unsigned integer' }),
      );
      return;
    }
    const params = Array.isArray(request.params)
      ? request.params.filter((p): p is string => typeof p === 'string')
      : [];
    switch (request.method) {
      case 'SUBSCRIBE':
        for (const s of params) entry.streams.add(s);
        entry.socket.send(JSON.stringify({ result: null, id }));
        return;
      case 'UNSUBSCRIBE':
        for (const s of params) entry.streams.delete(s);
        entry.socket.send(JSON.stringify({ result: null, id }));
        return;
      case 'LIST_SUBSCRIPTIONS':
        entry.socket.send(JSON.stringify({ result: [...entry.streams], id }));
        return;
      default:
        entry.socket.send(JSON.stringify({ code: 2, msg: 'Invalid request: unknown method', id }));
    }
  }

  #publish(stream: string, payload: unknown): void {
    let combinedText: string | undefined;
    let rawText: string | undefined;
    for (const entry of this.#market) {
      if (!entry.streams.has(stream)) continue;
      const text = entry.combined
        ? (combinedText ??= JSON.stringify({ stream, data: payload }))
        : (rawText ??= JSON.stringify(payload));
      this.#server?.send(entry.socket, text, true);
    }
  }

  #onEngineEvent(event: EngineEvent): void {
    try {
      this.#dispatch(event);
    } catch (error) {
      this.#logger.error({ err: error, kind: event.kind }, 'simulator could not publish an engine event');
    }
  }

  #dispatch(event: EngineEvent): void {
    const state = this.#state;
    switch (event.kind) {
      case 'trade': {
        const lower = event.instrumentId.toLowerCase();
        this.#publish(`${lower}@trade`, tradePayload(event));
        this.#publish(`${lower}@aggTrade`, aggTradePayload(event));
        return;
      }
      case 'book': {
        const symbol = event.instrumentId;
        if (state.faults.takeSequenceGap(symbol)) {
          // What was merged so far goes out first, so the skipped ids fall between two events.
          this.#depthFast.flush(symbol);
          this.#depthSlow.flush(symbol);
          state.idOffsets.set(symbol, (state.idOffsets.get(symbol) ?? 0n) + GAP_SIZE);
        }
        const first = updateId(state, symbol, event.firstSequence);
        const last = updateId(state, symbol, event.lastSequence);
        this.#depthFast.add(event, first, last);
        this.#depthSlow.add(event, first, last);
        this.#bookTicker(symbol, last);
        return;
      }
      case 'order': {
        // The flow's fills are kept by nobody: no key trades as its accounts, and keeping them grew without bound.
        if (event.fill !== undefined && !FLOW_ACCOUNT_SET.has(event.accountId)) {
          const key = `${event.accountId}|${event.order.orderId}`;
          const fill = compactFill(event.fill);
          const list = state.fills.get(key);
          if (list === undefined) state.fills.set(key, [fill]);
          else list.push(fill);
        }
        const ctx = {
          type: typeOf(state, event.order),
          cancelClientId: state.cancelIds.get(event.order.orderId),
        };
        this.sendUser(event.accountId, executionReport(event, ctx));
        return;
      }
      case 'balance': {
        let pending = this.#pendingBalances.get(event.accountId);
        if (pending === undefined) {
          pending = new Map();
          this.#pendingBalances.set(event.accountId, pending);
          // The engine emits one event per changed asset; the venue sends one position event per change.
          const accountId = event.accountId;
          const time = event.time;
          queueMicrotask(() => {
            const balances = this.#pendingBalances.get(accountId);
            this.#pendingBalances.delete(accountId);
            if (balances !== undefined)
              this.sendUser(accountId, accountPosition(time, [...balances.values()]));
          });
        }
        pending.set(event.asset, { asset: event.asset, free: event.free, locked: event.locked });
        return;
      }
      default:
        return;
    }
  }

  #bookTicker(symbol: string, id: number): void {
    const top = this.#state.engine.book(symbol, 1);
    const bid = top.bids[0];
    const ask = top.asks[0];
    if (bid === undefined || ask === undefined) return;
    const payload = { u: id, s: symbol, b: wire(bid[0]), B: wire(bid[1]), a: wire(ask[0]), A: wire(ask[1]) };
    const key = `${payload.b}|${payload.B}|${payload.a}|${payload.A}`;
    if (this.#lastTop.get(symbol) === key) return;
    this.#lastTop.set(symbol, key);
    this.#publish(`${symbol.toLowerCase()}@bookTicker`, payload);
  }
}
