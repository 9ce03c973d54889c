/**
 * The client's watchdog on a running worker: a worker killed by the browser (out of memory)
 * sends no error, it just goes quiet. While a run is active, every event re-arms the watchdog;
 * `ms` without one means the worker is gone. Paused runs send nothing, so they are not watched.
 *
 * The default is generous: a worker is busy, silent, while it compiles GPU shaders or runs one
 * long step (software WebGPU: a batch-64 MGD step takes ~15 s, a first compile up to ~95 s).
 */
export const WATCHDOG_MS = 180_000;

export class Watchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    public ms: number,
    private readonly onSilence: (ms: number) => void,
  ) {}

  /** (Re)starts the wait: called at a start and at every event of the running run. */
  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onSilence(this.ms);
    }, this.ms);
  }

  disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  get armed(): boolean {
    return this.timer !== null;
  }
}
