/**
 * What the page can run beyond what the schema accepts: the schema (shared with the headless
 * runner) takes a teacher spec, which the runner trains first and caches; the page has no such
 * step and trains only from the shipped teachers. A link naming another teacher opens with the
 * default teacher and says why, instead of failing at Train with a missing file.
 */
import { type ConfigIssue, DEFAULT_CONFIG, type ExperimentConfig, type FieldKey, fieldIssue } from '../../core/config';
import { TEACHER_IDS } from '../../core/models/registry';

/** Why the page cannot take `value` for `key` (already valid by its row), or null. */
export function pageProblem(key: FieldKey, value: unknown): string | null {
  if (key === 'teacher' && typeof value === 'string' && !TEACHER_IDS.includes(value)) {
    return `the page trains from a shipped teacher (${TEACHER_IDS.join(', ')}); a teacher spec is trained first only by the headless runner (npm run experiment)`;
  }
  return null;
}

/** A valid config as the page can run it: fields the page cannot take go back to their defaults, each with an issue. */
export function forPage(config: ExperimentConfig): { config: ExperimentConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  let out = config;
  for (const key of ['teacher'] as const) {
    const reason = pageProblem(key, config[key]);
    if (reason === null) continue;
    issues.push(fieldIssue(key, config[key], reason));
    out = { ...out, [key]: DEFAULT_CONFIG[key] };
  }
  return { config: out, issues };
}
