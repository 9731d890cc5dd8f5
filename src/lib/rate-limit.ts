import type { Clock } from './clock';

/**
 * Counts failures per key in a fixed window. Kept in memory: a login storm against one
 * instance is stopped there; several instances each stop it at their own count.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the key may try again, or 0 if it may try now. */
  retryAfter(key: string): number {
    const w = this.current(key);
    return w && w.count >= this.max ? Math.ceil((w.start + this.windowMs - this.clock.now().getTime()) / 1000) : 0;
  }

  fail(key: string): void {
    const now = this.clock.now().getTime();
    const w = this.current(key);
    if (w) w.count++;
    else this.windows.set(key, { start: now, count: 1 });
    if (this.windows.size > 50_000) this.sweep(now);
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  /** Take back one counted attempt (it succeeded). */
  forgive(key: string): void {
    const w = this.current(key);
    if (w && --w.count <= 0) this.windows.delete(key);
  }

  private current(key: string) {
    const w = this.windows.get(key);
    if (w && w.start + this.windowMs <= this.clock.now().getTime()) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.start + this.windowMs <= now) this.windows.delete(k);
  }
}
