import { retryDeadLetter, type DeadLetter, type DeadLetters } from '../../src/modules/slack';

const letter: DeadLetter = { id: '7', key: 'reply:Ev1', teamId: 'T0A', channel: 'C0A', text: 'hello', code: 'SLACK.CHANNEL_NOT_FOUND', reason: 'channel_not_found', attempts: 3, failedAt: '2026-01-01T00:00:00.000Z' };

function store(initial: DeadLetter[]): Pick<DeadLetters, 'take' | 'record'> & { rows: DeadLetter[]; recorded: unknown[] } {
  const rows = [...initial];
  const recorded: unknown[] = [];
  return {
    rows,
    recorded,
    take: async (id) => {
      const at = rows.findIndex((r) => r.id === id);
      return at < 0 ? undefined : rows.splice(at, 1)[0];
    },
    record: async (failure) => {
      recorded.push(failure);
      return true;
    },
  };
}

describe('retryDeadLetter', () => {
  it('sends the message under a key of its own and removes the dead letter', async () => {
    const deadLetters = store([letter]);
    const sent: unknown[] = [];
    const result = await retryDeadLetter({ deadLetters, send: async (m) => void sent.push(m) }, '7');
    expect(result?.key).toBe('reply:Ev1:retry:7');
    expect(sent).toEqual([{ key: 'reply:Ev1:retry:7', teamId: 'T0A', channel: 'C0A', text: 'hello' }]);
    expect(deadLetters.rows).toEqual([]);
  });

  it('two retries at once send it once', async () => {
    const deadLetters = store([letter]);
    const sent: unknown[] = [];
    const send = async (m: unknown) => void sent.push(m);
    const results = await Promise.all([retryDeadLetter({ deadLetters, send }, '7'), retryDeadLetter({ deadLetters, send }, '7')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  it('when the message cannot be queued, then the dead letter is written back and the error thrown', async () => {
    const deadLetters = store([letter]);
    await expect(retryDeadLetter({ deadLetters, send: async () => Promise.reject(new Error('redis down')) }, '7')).rejects.toThrow('redis down');
    expect(deadLetters.recorded).toEqual([{ message: { key: 'reply:Ev1', teamId: 'T0A', channel: 'C0A', text: 'hello' }, code: 'SLACK.CHANNEL_NOT_FOUND', reason: 'channel_not_found', attemptsMade: 3 }]);
  });

  it('an unknown id sends nothing', async () => {
    const sent: unknown[] = [];
    expect(await retryDeadLetter({ deadLetters: store([]), send: async (m) => void sent.push(m) }, '8')).toBeUndefined();
    expect(sent).toEqual([]);
  });
});
