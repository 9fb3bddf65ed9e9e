import type { WorkingOrder } from './working-order.ts';

/**
 * Orders by engine id without a hash map: a power-of-two ring indexed by the id's low bits. Ids
 * are handed out here and skip any slot still held by an open order, so an open order is never
 * overwritten; a closed order stays findable until its slot is reused, i.e. for roughly the next
 * `capacity` orders (the retention window). The ring doubles when open orders fill half of it.
 */
export class OrderSlots {
  private slots: (WorkingOrder | undefined)[];
  /** 1 where the slot holds an open order: checked when handing out ids without touching the order. */
  private openFlags: Uint8Array;
  private mask: number;
  private nextId = 1;
  private open = 0;

  /** `onEvict` is told about each closed order that is forgotten to make room. */
  constructor(
    minimumCapacity: number,
    private readonly onEvict: (order: WorkingOrder) => void,
  ) {
    let capacity = 1024;
    while (capacity < minimumCapacity) capacity *= 2;
    this.slots = new Array<WorkingOrder | undefined>(capacity).fill(undefined);
    this.openFlags = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  /** The id the next order will get (larger than every id handed out before). */
  reserveId(): number {
    if (this.open * 2 >= this.slots.length) this.grow();
    const flags = this.openFlags;
    let id = this.nextId;
    while (flags[id & this.mask] === 1) id++;
    this.nextId = id + 1;
    return id;
  }

  /** Stores an order under the id from `reserveId`, forgetting the closed order that held the slot. */
  place(order: WorkingOrder): void {
    const index = order.id & this.mask;
    const held = this.slots[index];
    if (held !== undefined) this.onEvict(held);
    this.slots[index] = order;
    this.openFlags[index] = 1;
    this.open++;
  }

  /** Records that a placed order has closed (it stays findable until its slot is reused). */
  closed(order: WorkingOrder): void {
    this.openFlags[order.id & this.mask] = 0;
    this.open--;
  }

  /** The order with this id text, open or retained. */
  get(orderId: string): WorkingOrder | undefined {
    const id = Number(orderId);
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const order = this.slots[id & this.mask];
    return order !== undefined && order.orderId === orderId ? order : undefined;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = old.length * 2;
    this.slots = new Array<WorkingOrder | undefined>(capacity).fill(undefined);
    this.openFlags = new Uint8Array(capacity);
    this.mask = capacity - 1;
    for (const order of old) {
      if (order === undefined) continue;
      const index = order.id & this.mask;
      this.slots[index] = order;
      if (order.isOpen) this.openFlags[index] = 1;
    }
  }
}
