/**
 * The answer to Discord must not wait on a database that has stopped answering (a server paused,
 * a network that drops packets): past its budget, a store call gives way to a fallback, and what it
 * settles to later is ignored.
 */
export function withinBudget<T>(work: Promise<T>, budgetMs: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), budgetMs);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
