/**
 * What the session sends besides metrics, both taken between training steps (never while a
 * step's tensors are in flight): feature snapshots of one test image and exports of the
 * student's weights.
 *
 * Snapshots go out at most every `intervalMs` of a run, at once when the page picks another
 * image, and after the last step; their arrays are transferred. Exports during a run serialize
 * the live student; after a run they come from the copy kept when it ended (completed or
 * stopped; a failed run keeps none: its weights may be what failed).
 */
import type { ExperimentConfig } from '../core/config';
import { encodeConfig } from '../core/config';
import { featureSnapshot, snapshotBuffers } from '../core/distill/featureSnapshot';
import { type NetModelJson, serializeNet } from '../core/models/serialize';
import type { TestSource } from '../core/loop/sources';
import type { Trainer } from '../core/train/trainer';
import type { WorkerEvent } from './protocol';

export type Emit = (event: WorkerEvent, transfer?: Transferable[]) => void;

interface KeptStudent {
  runId: number;
  step: number;
  modelJson: NetModelJson;
  weights: ArrayBuffer;
}

export class StudentOutputs {
  private index = 0; // test image of the snapshots
  private snapshotDue = false;
  private lastSnapshotAt = -Infinity;
  private readonly exportRequests: number[] = [];
  private kept: KeptStudent | null = null;

  constructor(
    private readonly emit: Emit,
    private readonly now: () => number,
    private readonly intervalMs: number,
  ) {}

  /** The chosen test image (H-GKD's mask view follows it too). */
  get imageIndex(): number {
    return this.index;
  }

  /** Picks the snapshot image (for this run and the next); false for an index that is no image. */
  chooseImage(index: number): boolean {
    if (!Number.isInteger(index) || index < 0) return false;
    this.index = index;
    this.snapshotDue = true;
    return true;
  }

  requestExport(requestId: number): void {
    this.exportRequests.push(requestId);
  }

  /** Whether `between` has something to do now (a paused run wakes for it). */
  get pending(): boolean {
    return this.snapshotDue || this.exportRequests.length > 0;
  }

  /** A run starts: the previous run's student is no longer what "the student" means. */
  startRun(): void {
    this.kept = null;
    this.snapshotDue = true; // the first snapshot follows the first step
  }

  /** Between two steps of run `runId`; `final`: after its last step (always snapshots). */
  async between(runId: number, trainer: Trainer, test: TestSource, final = false): Promise<void> {
    if (trainer.stepCount > 0 && (final || this.snapshotDue || this.now() - this.lastSnapshotAt >= this.intervalMs)) await this.snapshot(runId, trainer, test);
    await this.answerExports(runId, trainer);
  }

  /** A snapshot of the chosen image now: between steps, or from an ended run's nets (the image changed). */
  async snapshot(runId: number, trainer: Trainer, test: TestSource): Promise<void> {
    this.snapshotDue = false;
    this.lastSnapshotAt = this.now();
    const snapshot = await featureSnapshot(trainer, test, Math.min(this.index, test.count - 1));
    this.emit({ type: 'features', runId, step: trainer.stepCount, snapshot }, snapshotBuffers(snapshot));
  }

  /** Answers waiting exports from the live student (also during the final evaluation: its weights are final). */
  async answerExports(runId: number, trainer: Trainer): Promise<void> {
    if (this.exportRequests.length === 0) return;
    const { modelJson, weights } = await serializeNet(trainer.student, { ...metaOf(trainer), step: trainer.stepCount });
    this.answer({ runId, step: trainer.stepCount, modelJson, weights });
  }

  /** A run has ended; `trainer` null when it failed. Keeps its student for later exports. */
  async endRun(runId: number, trainer: Trainer | null, config: ExperimentConfig, testAcc: number | null): Promise<void> {
    if (trainer && trainer.stepCount > 0) {
      const meta = { ...metaOf(trainer), step: trainer.stepCount, testAcc, config: encodeConfig(config) };
      this.kept = { runId, step: trainer.stepCount, ...(await serializeNet(trainer.student, meta)) };
    }
    this.answerFromKept();
  }

  /** Answers waiting exports from the kept student (between runs). */
  answerFromKept(): void {
    if (this.exportRequests.length > 0) this.answer(this.kept);
  }

  private answer(student: KeptStudent | null): void {
    for (const requestId of this.exportRequests.splice(0)) {
      if (!student) {
        this.emit({ type: 'exported', runId: null, requestId, step: 0, model: null, message: 'no trained student to export yet: train (or stop) a run first' });
        continue;
      }
      const weights = student.weights.slice(0); // the kept copy stays for the next export
      this.emit({ type: 'exported', runId: student.runId, requestId, step: student.step, model: { modelJson: student.modelJson, weights } }, [weights]);
    }
  }
}

function metaOf(trainer: Trainer): Record<string, unknown> {
  return { role: 'student', method: trainer.settings.method, teacher: trainer.teacher.arch, seed: trainer.settings.seed };
}
