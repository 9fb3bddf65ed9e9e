import { ClosedOrder } from './closed-order.ts';
import type { Account } from './ledger.ts';
import type { WorkingOrder } from './working-order.ts';

/**
 * The engine id written as `String(id)` (digits, no leading zero, a safe integer), or 0 for any other
 * text. Parsed by hand: `Number()` also accepts forms such as "1e3", " 12" or "0x1f" that name no order.
 */
export function parseOrderId(text: string): number {
  const length = text.length;
  if (length === 0 || length > 16) return 0;
  let id = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9 || (i === 0 && digit === 0)) return 0;
    id = id * 10 + digit;
  }
  return id <= Number.MAX_SAFE_INTEGER ? id : 0;
}

/**
 * Orders by engine id. Open orders sit in a power-of-two ring indexed by the id's low bits; ids are
 * handed out here and skip slots still held by an open order, so none is ever overwritten, and the
 * ring doubles when open orders fill half of it. A closed order moves, as its compact `ClosedOrder`
 * record, to its account's window of closed orders (`ClosedWindow`), where it stays findable until
 * `retainClosed` later orders have closed: exactly the last `retainClosed` closed orders are kept,
 * in the order they closed. The closed orders of accounts marked `briefRetention` (a generated market
 * flow's, which nobody looks up once closed) go to a second, smaller window (`retainBrief`) instead,
 * so they neither crowd the others out of the first nor keep a large window of records alive.
 *
 * A closed order's working record goes to a free list and is reused for a later order (`take`): in
 * steady state no working record is allocated, so none has to be promoted to the old heap and later
 * collected there (measured: about a quarter of the engine's time went to that with 10,000 retained
 * orders). Nothing else holds it: the book and stops let go of it in the command that closes it, and
 * the client-id table then holds the closed record instead (the engine swaps them).
 */
export class OrderSlots {
  private open: (WorkingOrder | undefined)[];
  private openMask: number;
  private openCount = 0;
  private readonly retained: ClosedWindow;
  private readonly brief: ClosedWindow;
  private nextId = 1;
  /** Forgotten records, reused by `take`; bounded by the orders ever alive at once. */
  private readonly free: WorkingOrder[] = [];

  /**
   * `retainClosed` and `retainBrief`: how many closed orders each window keeps (0 keeps none).
   * `onEvict` is told about each closed order forgotten to make room (or at once, when its window
   * keeps none).
   */
  constructor(
    retainClosed: number,
    retainBrief: number,
    private readonly onEvict: (order: WorkingOrder | ClosedOrder) => void,
  ) {
    this.open = new Array<WorkingOrder | undefined>(1024).fill(undefined);
    this.openMask = 1023;
    this.retained = new ClosedWindow(retainClosed);
    this.brief = new ClosedWindow(retainBrief);
  }

  /** The id the next order will get (larger than every id handed out before). */
  reserveId(): number {
    if (this.openCount * 2 >= this.open.length) this.grow();
    const open = this.open;
    let id = this.nextId;
    while (open[id & this.openMask] !== undefined) id++;
    this.nextId = id + 1;
    return id;
  }

  /** Stores a new open order under the id from `reserveId`. */
  place(order: WorkingOrder): void {
    this.open[order.id & this.openMask] = order;
    this.openCount++;
  }

  /**
   * Moves a closed order to its account's window as a compact record, forgetting the window's
   * oldest closed order when it is full (whose record it reuses); returns that record, or undefined
   * when the window keeps none (the order is then forgotten at once). The working record goes to
   * the free list.
   */
  closed(order: WorkingOrder): ClosedOrder | undefined {
    this.open[order.id & this.openMask] = undefined;
    this.openCount--;
    this.free.push(order);
    return (order.account.briefRetention ? this.brief : this.retained).add(order, this.onEvict);
  }

  /**
   * A free working record to reuse for a new order, if there is one. Only called when a submit starts,
   * so a record closed during a command keeps its values until that command's snapshots are taken.
   */
  take(): WorkingOrder | undefined {
    return this.free.pop();
  }

  /** The order with this id text, open or retained. */
  get(orderId: string): WorkingOrder | ClosedOrder | undefined {
    const id = parseOrderId(orderId);
    if (id === 0) return undefined;
    const open = this.open[id & this.openMask];
    if (open !== undefined && open.id === id) return open;
    return this.retained.get(id) ?? this.brief.get(id);
  }

  /** The account's open orders, oldest (smallest id) first, optionally of one instrument. */
  openOf(account: Account, instrumentId?: string): WorkingOrder[] {
    const result: WorkingOrder[] = [];
    if (account.openCount === 0) return result;
    for (const order of this.open) {
      if (
        order !== undefined &&
        order.account === account &&
        (instrumentId === undefined || order.instrument.id === instrumentId)
      ) {
        result.push(order);
      }
    }
    return result.sort((a, b) => a.id - b.id);
  }

  private grow(): void {
    const old = this.open;
    const capacity = old.length * 2;
    this.open = new Array<WorkingOrder | undefined>(capacity).fill(undefined);
    this.openMask = capacity - 1;
    for (const order of old) if (order !== undefined) this.open[order.id & this.openMask] = order;
  }
}

/**
 * The last `capacity` closed orders, in the order they closed, findable by id. A ring of records in
 * closing order says which is the oldest; a map by id finds one. (An earlier version indexed a
 * power-of-two ring by the id's low bits: a closed order was forgotten as soon as any later order
 * with the same low bits closed, which could be a few orders later when an old resting order closed,
 * so a window had to be far larger than the history it promised.)
 */
export class ClosedWindow {
  private readonly records: (ClosedOrder | undefined)[];
  private readonly byId = new Map<number, ClosedOrder>();
  /** Where the next closed order goes: the oldest record once the window is full. */
  private next = 0;

  constructor(readonly capacity: number) {
    this.records = new Array<ClosedOrder | undefined>(capacity).fill(undefined);
  }

  /**
   * Keeps `order` (closed now), forgetting the oldest kept order first when the window is full and
   * reusing its record; `onEvict` is told of the forgotten order, or of `order` itself when the
   * window keeps none.
   */
  add(order: WorkingOrder, onEvict: (order: WorkingOrder | ClosedOrder) => void): ClosedOrder | undefined {
    if (this.capacity === 0) {
      onEvict(order);
      return undefined;
    }
    const index = this.next;
    this.next = index + 1 === this.capacity ? 0 : index + 1;
    const old = this.records[index];
    let record: ClosedOrder;
    if (old === undefined) {
      record = new ClosedOrder(order);
      this.records[index] = record;
    } else {
      this.byId.delete(old.id);
      // The forgotten record is told of first, then refilled: nothing else holds it by then.
      onEvict(old);
      record = old.assign(order);
    }
    this.byId.set(record.id, record);
    return record;
  }

  get(id: number): ClosedOrder | undefined {
    return this.byId.get(id);
  }

  /** Closed orders kept now (at most `capacity`). */
  get size(): number {
    return this.byId.size;
  }
}
