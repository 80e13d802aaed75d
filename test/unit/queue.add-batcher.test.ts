import { createAddBatcher, MAX_BATCH, type BatchedJob } from '../../src/platform/queue/add-batcher';

type Writes = { queue: string; names: string[] }[];

function recordingBatcher(fail?: Error) {
  const writes: Writes = [];
  const batcher = createAddBatcher<object>(async (queue, jobs: BatchedJob<object>[]) => {
    writes.push({ queue, names: jobs.map((j) => j.name) });
    if (fail) throw fail;
    return jobs.map((j) => `id-${j.name}`);
  });
  return { writes, batcher };
}

const job = (name: string): BatchedJob<object> => ({ name, data: {}, opts: {} });

describe('add batcher', () => {
  it('when adds are issued in the same turn, then each queue gets one write and every add its own id', async () => {
    const { writes, batcher } = recordingBatcher();
    const ids = await Promise.all([batcher.add('a', job('1')), batcher.add('b', job('2')), batcher.add('a', job('3'))]);
    expect(ids).toEqual(['id-1', 'id-2', 'id-3']);
    expect(writes).toEqual([
      { queue: 'a', names: ['1', '3'] },
      { queue: 'b', names: ['2'] },
    ]);
  });

  it('when adds are issued in different turns, then they are written separately', async () => {
    const { writes, batcher } = recordingBatcher();
    await batcher.add('a', job('1'));
    await batcher.add('a', job('2'));
    expect(writes).toEqual([
      { queue: 'a', names: ['1'] },
      { queue: 'a', names: ['2'] },
    ]);
  });

  it('when a batch fails to be written, then every add in it rejects (nothing is acknowledged)', async () => {
    const { batcher } = recordingBatcher(new Error('redis down'));
    const results = await Promise.allSettled([batcher.add('a', job('1')), batcher.add('a', job('2'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('when a burst exceeds the batch size, then it is split into bounded writes', async () => {
    const { writes, batcher } = recordingBatcher();
    await Promise.all(Array.from({ length: MAX_BATCH + 1 }, (_, i) => batcher.add('a', job(String(i)))));
    expect(writes.map((w) => w.names.length)).toEqual([MAX_BATCH, 1]);
  });

  it('when drained, then adds not yet flushed are written before it resolves', async () => {
    const { writes, batcher } = recordingBatcher();
    const added = batcher.add('a', job('1'));
    await batcher.drain();
    expect(writes).toHaveLength(1);
    await expect(added).resolves.toBe('id-1');
  });
});
