import { AsyncFifoQueue } from 'bullmq';

/**
 * Keeps a BullMQ worker's finished jobs young, so the garbage collector's cheap young-generation
 * pass frees them (bench/README.md, "Why a delivery worker's jobs grew old").
 *
 * A Worker's main loop runs every job through one AsyncFifoQueue, which lives as long as the
 * worker. Two of its structures link each job to the next after both are done:
 * - its `pending` Set: V8 rebuilds a Set's table every few dozen adds and deletes, and the table
 *   it drops keeps its entries (each a job's promise, holding the next job) and a pointer to the
 *   new table;
 * - its linked list, whose `shift()` leaves the node it hands out pointing at the next node.
 * Once one such dead table or node has been moved to the old generation, its pointer to a young
 * successor keeps that successor alive through every young collection, so it is moved to the old
 * generation too, and so is the next: every job from then on, until a full collection. A worker
 * in that state copied six times as much per young collection and ran full collections every
 * few seconds; whether a worker fell into it was chance.
 *
 * Here the Set is swapped for an array (a few dozen promises: indexOf and splice are cheap, and
 * an array drops no tables) and a node handed out forgets its successor. Nothing else of BullMQ's
 * behaviour changes. If BullMQ's internals no longer look as expected, nothing is patched.
 */

interface FifoInternals {
  pending: Iterable<Promise<unknown>> & { size: number };
  queue: { head: unknown; tail: unknown };
}

interface ListNode {
  next: unknown;
}

interface ListPrototype {
  shift(this: FifoInternals['queue']): ListNode | null;
}

interface FifoPrototype {
  add(this: FifoInternals, promise: Promise<unknown>): void;
}

/** The promises an AsyncFifoQueue waits for, in an array: the operations of the Set it replaces that the queue uses. */
export class PendingPromises implements Iterable<Promise<unknown>> {
  private readonly items: Array<Promise<unknown>>;

  constructor(items: Iterable<Promise<unknown>> = []) {
    this.items = [...items];
  }

  /** As a Set's: a promise already held is not held twice. */
  add(promise: Promise<unknown>): this {
    if (!this.items.includes(promise)) this.items.push(promise);
    return this;
  }

  delete(promise: Promise<unknown>): boolean {
    const at = this.items.indexOf(promise);
    if (at === -1) return false;
    this.items.splice(at, 1);
    return true;
  }

  get size(): number {
    return this.items.length;
  }

  [Symbol.iterator](): Iterator<Promise<unknown>> {
    return this.items[Symbol.iterator]();
  }
}

let patched: boolean | undefined;

/** Applies the change above once per process; says whether BullMQ's queue is patched (false: BullMQ changed, nothing was touched). */
export function keepFinishedJobsYoung(): boolean {
  if (patched !== undefined) return patched;
  const probe = new AsyncFifoQueue() as unknown as Partial<FifoInternals>;
  const fifo = AsyncFifoQueue.prototype as unknown as Partial<FifoPrototype>;
  const list = probe.queue ? (Object.getPrototypeOf(probe.queue) as Partial<ListPrototype>) : undefined;
  if (!(probe.pending instanceof Set) || typeof fifo.add !== 'function' || typeof list?.shift !== 'function') return (patched = false);
  const add = fifo.add;
  const shift = list.shift;
  fifo.add = function addPending(promise) {
    if (this.pending instanceof Set) this.pending = new PendingPromises(this.pending);
    add.call(this, promise);
  };
  list.shift = function shiftForgetting() {
    const node = shift.call(this);
    if (node) node.next = null;
    if (this.head === null) this.tail = null;
    return node;
  };
  return (patched = true);
}
