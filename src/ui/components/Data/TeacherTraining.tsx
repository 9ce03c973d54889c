/**
 * A teacher that is not shipped (any teacher of a loaded dataset, a spec on a built-in one): the
 * page offers to train the config's teacher with the shipped teacher recipe in the worker
 * (progress, test accuracy on a sample as it goes, time left, Pause / Resume, Stop), then says
 * what the stored one measured.
 */
import { paramCount } from '../../../core/models/paramCount';
import { resolveArch } from '../../../core/models/registry';
import { TEACHER_BATCH, TEACHER_EPOCHS, teacherEpochs, teacherSteps } from '../../../core/train/teacherPlan';
import { type DatasetShape, datasetKey, datasetShape } from '../../../core/data/datasetRef';
import { pct } from '../../format';
import { isActive, useApp } from '../../store';
import { trainedTeacher } from '../../store/dataSlice';

/**
 * A first guess of the training time before any step is timed: ~6 FLOPs per parameter and
 * pixel of the first stage per image (forward + backward), at an assumed 5 GFLOP/s (wasm on a
 * laptop core or two). Once steps are timed, the time left is measured instead.
 */
const ASSUMED_FLOPS = 5e9;
function guessMinutes(spec: string, d: DatasetShape, steps: number): number {
  const flopsPerImage = 6 * paramCount(resolveArch(spec), { inChannels: d.channels, classes: d.numClasses }) * (d.imageSize * d.imageSize) / 4;
  return Math.max(1, Math.round((steps * TEACHER_BATCH * flopsPerImage) / ASSUMED_FLOPS / 60));
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

export function TeacherTraining() {
  const config = useApp((s) => s.config);
  const trained = useApp(trainedTeacher);
  const training = useApp((s) => s.teacherTraining);
  const result = useApp((s) => s.teacherResult);
  const running = useApp((s) => isActive(s.status));
  const trainTeacher = useApp((s) => s.trainTeacher);
  const stopTeacher = useApp((s) => s.stopTeacher);
  const pauseTeacher = useApp((s) => s.pauseTeacher);
  const resumeTeacher = useApp((s) => s.resumeTeacher);
  const shape = datasetShape(config.dataset);
  const id = datasetKey(config.dataset);
  const steps = teacherSteps(id, shape.trainCount);
  const epochs = teacherEpochs(id);

  if (training) {
    const left = training.step > 0 ? ((training.steps - training.step) * training.seconds) / training.step : null;
    return (
      <div className="teacher-training" role="status" data-testid="teacher-training">
        Training teacher {training.teacher}: step {training.step} / {training.steps || steps}
        {training.loss !== null && ` · loss ${training.loss.toFixed(3)}`}
        {training.testAcc !== null && ` · test ${pct(training.testAcc)} (sample)`}
        {training.paused ? ' · paused' : left !== null && ` · ${clock(left)} left`}{' '}
        <button type="button" onClick={training.paused ? resumeTeacher : pauseTeacher}>
          {training.paused ? 'Resume' : 'Pause'}
        </button>{' '}
        <button type="button" onClick={stopTeacher}>
          Stop
        </button>
      </div>
    );
  }
  return (
    <div className="teacher-training" data-testid="teacher-status">
      {trained ? (
        <span data-testid="teacher-trained">
          Teacher {config.teacher}: trained here, test {pct(trained.testAcc)} (whole test split), {trained.steps} steps in {trained.seconds} s on {trained.backend}.
        </span>
      ) : (
        <button type="button" disabled={running} onClick={trainTeacher} title={`The shipped teacher recipe: Adam + cosine decay, seed 1, ${epochs} epoch${epochs > 1 ? 's' : ''}${id in TEACHER_EPOCHS ? ` (as the shipped ${id} teachers)` : ''}; stored in this browser`}>
          Train teacher {config.teacher} ({steps} steps, ≈ {guessMinutes(config.teacher, shape, steps)} min)
        </button>
      )}
      {result && result.reason !== 'completed' && (
        <span className="teacher-result" role="alert">
          {' '}
          Teacher {result.reason}: {result.message}
        </span>
      )}
      {result?.reason === 'completed' && result.message && <span className="teacher-result"> {result.message}</span>}
    </div>
  );
}
