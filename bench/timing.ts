/** Times a call over a list of inputs, round-robin, for at least a duration and at least one pass. */
import { Samples } from "./stats.ts";

export interface TimedRun {
  samples: Samples;
  passes: number;
  /** The slowest inputs seen (label and ms), for diagnosis. */
  slowest: { label: string; ms: number }[];
}

export async function timeOver<T>(
  inputs: readonly T[],
  minMs: number,
  call: (input: T) => unknown,
  label: (input: T) => string = String,
  record = true,
): Promise<TimedRun> {
  const samples = new Samples();
  const slowest: { label: string; ms: number }[] = [];
  const end = performance.now() + minMs;
  let count = 0;
  while (count < inputs.length || performance.now() < end) {
    const input = inputs[count % inputs.length]!;
    const started = performance.now();
    const result = call(input);
    if (result instanceof Promise) await result;
    const ms = performance.now() - started;
    count++;
    if (!record) continue;
    samples.push(ms);
    if (slowest.length < 5 || ms > slowest[slowest.length - 1]!.ms) {
      slowest.push({ label: label(input), ms });
      slowest.sort((a, b) => b.ms - a.ms);
      if (slowest.length > 5) slowest.pop();
    }
  }
  return { samples, passes: count / inputs.length, slowest };
}
