import * as vscode from 'vscode';

/**
 * Measures how long the extension host's thread is blocked: an interval timer notes how late
 * each tick fires; the largest lateness is the longest block (to within the interval). Used
 * during training runs, whose work must stay in the worker.
 */
export class EventLoopMonitor implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;
  private longest = 0;

  constructor(private readonly intervalMs = 10) {}

  /** Starts measuring afresh (the longest block so far is reset). */
  start(): void {
    this.stop();
    this.longest = 0;
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.longest = Math.max(this.longest, now - this.last - this.intervalMs);
      this.last = now;
    }, this.intervalMs);
  }

  /** Stops measuring; the figure stays readable. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Longest lateness of a tick, in ms, since the last start(). */
  get longestBlockMs(): number {
    return Math.max(0, this.longest);
  }

  dispose(): void {
    this.stop();
  }
}
