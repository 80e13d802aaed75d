import { AsyncFifoQueue } from 'bullmq';
import { keepFinishedJobsYoung, PendingPromises } from '../../src/platform/queue/bullmq-heap';

interface Node {
  value: unknown;
  next: Node | null;
}

/** BullMQ's internals the patch touches, as the worker's main loop sees them. */
interface FifoInternals {
  pending: unknown;
  queue: { push(value: unknown): Node; shift(): Node | null; head: Node | null; tail: Node | null; length: number };
}

const internals = (fifo: AsyncFifoQueue<unknown>) => fifo as unknown as FifoInternals;

/** A job's promise the test resolves by hand. */
function byHand(): { promise: Promise<string>; resolve(value: string): void } {
  let resolve!: (value: string) => void;
  return { promise: new Promise<string>((r) => (resolve = r)), resolve };
}

beforeAll(() => {
  expect(keepFinishedJobsYoung()).toBe(true);
});

describe("BullMQ's worker queue, patched so finished jobs stay young", () => {
  it('patches nothing when BullMQ queue internals are not what it expects', () => {
    jest.isolateModules(() => {
      class ReshapedQueue {
        pending = new Map<unknown, unknown>();
        add(): void {}
      }
      const add = ReshapedQueue.prototype.add;
      jest.doMock('bullmq', () => ({ AsyncFifoQueue: ReshapedQueue }));
      const isolated = jest.requireActual<typeof import('../../src/platform/queue/bullmq-heap')>('../../src/platform/queue/bullmq-heap');
      expect(isolated.keepFinishedJobsYoung()).toBe(false);
      expect(ReshapedQueue.prototype.add).toBe(add);
      jest.dontMock('bullmq');
    });
  });

  it('applies once: a second call changes nothing', () => {
    const add = AsyncFifoQueue.prototype.add;
    expect(keepFinishedJobsYoung()).toBe(true);
    expect(AsyncFifoQueue.prototype.add).toBe(add);
  });

  it('hands out a node that no longer points at the next one, and forgets the last node once empty', () => {
    const list = internals(new AsyncFifoQueue()).queue;
    list.push('job 1');
    list.push('job 2');
    const first = list.shift()!;
    expect(first.value).toBe('job 1');
    expect(first.next).toBeNull();
    expect(list.head?.value).toBe('job 2');
    const second = list.shift()!;
    expect(second.value).toBe('job 2');
    expect(list.length).toBe(0);
    expect(list.tail).toBeNull();
    expect(list.shift()).toBeNull();
    list.push('job 3');
    expect(list.head?.value).toBe('job 3');
    expect(list.tail?.value).toBe('job 3');
  });

  it('keeps its pending promises in an array, not a Set, from the first add', () => {
    const fifo = new AsyncFifoQueue<string>();
    fifo.add(new Promise<string>(() => undefined));
    expect(internals(fifo).pending).toBeInstanceOf(PendingPromises);
    expect(fifo.numPending()).toBe(1);
    expect(fifo.numTotal()).toBe(1);
  });

  it('still gives results in the order they resolve, counts what is pending and queued, and waits for all', async () => {
    const fifo = new AsyncFifoQueue<string>();
    const [a, b, c] = [byHand(), byHand(), byHand()];
    fifo.add(a.promise);
    fifo.add(b.promise);
    fifo.add(c.promise);
    expect(fifo.numTotal()).toBe(3);
    b.resolve('b');
    await b.promise;
    await Promise.resolve();
    expect(fifo.numPending()).toBe(2);
    expect(fifo.numQueued()).toBe(1);
    expect(await fifo.fetch()).toBe('b');
    const fetched = fifo.fetch();
    c.resolve('c');
    expect(await fetched).toBe('c');
    let waited = false;
    const all = fifo.waitAll().then(() => (waited = true));
    await Promise.resolve();
    expect(waited).toBe(false);
    a.resolve('a');
    await all;
    expect(await fifo.fetch()).toBe('a');
    expect(fifo.numTotal()).toBe(0);
    expect(await fifo.fetch()).toBeUndefined();
  });
});

describe('PendingPromises', () => {
  it('adds, deletes what it holds (once), counts and iterates in insertion order', () => {
    const [p1, p2, p3] = [Promise.resolve(1), Promise.resolve(2), Promise.resolve(3)];
    const pending = new PendingPromises([p1]);
    expect(pending.add(p2).add(p3).add(p2)).toBe(pending);
    expect(pending.size).toBe(3);
    expect(pending.delete(p2)).toBe(true);
    expect(pending.delete(p2)).toBe(false);
    expect([...pending]).toEqual([p1, p3]);
    expect(pending.size).toBe(2);
  });
});
