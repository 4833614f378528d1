// Group commit: requests that arrive while a transaction for the same key is running wait and
// then go in together, in one transaction. One alert per request (Falcosidekick) then costs a
// fraction of a transaction instead of one each; a lone request still goes at once.

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Pending<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T, R> {
  private readonly queues = new Map<string, Pending<T, R>[]>();
  private readonly running = new Set<string>();

  /**
   * @param commit stores a batch and answers for each item, in order. When it throws, each item is
   * committed on its own, so one bad item cannot fail the requests it was batched with.
   */
  constructor(
    private readonly commit: (items: T[]) => Promise<Outcome<R>[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      this.queues.set(key, queue);
      queue.push({ item, resolve, reject });
      if (!this.running.has(key)) void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    this.running.add(key);
    try {
      for (;;) {
        const queue = this.queues.get(key);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, this.maxBatch);
        await this.commitBatch(batch);
      }
    } finally {
      this.running.delete(key);
      if (this.queues.get(key)?.length === 0) this.queues.delete(key);
    }
  }

  private async commitBatch(batch: Pending<T, R>[]): Promise<void> {
    let outcomes: Outcome<R>[];
    try {
      outcomes = await this.commit(batch.map((p) => p.item));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const pending of batch) await this.commitBatch([pending]);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }
}
