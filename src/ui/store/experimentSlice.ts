/**
 * The experiment being edited: the config (always valid), issues of the URL it came from, and
 * form entries that were rejected. Every edit goes through the field's row in FIELDS, so the
 * form accepts exactly what the URL and the runner accept.
 */
import { type ExperimentConfig, type FieldKey, PRESETS, decodeConfig, getField, validateConfig } from '../../core/config';
import type { LiveParam } from '../../worker/protocol';
import { type ExperimentSlice, type Slice, isActive } from './types';

const LIVE: ReadonlySet<FieldKey> = new Set<FieldKey>(['alpha', 'lambda']);

export const experimentSlice =
  (initial: Pick<ExperimentSlice, 'config' | 'urlIssues'>): Slice<ExperimentSlice> =>
  (set, get) => ({
    ...initial,
    fieldErrors: {},

    setField(key, input) {
      const field = getField(key);
      if (!field) return;
      const { [key]: _old, ...otherErrors } = get().fieldErrors;
      const parsed = field.schema.safeParse(typeof input === 'string' ? field.fromText(input.trim()) : input);
      if (!parsed.success) {
        set({ fieldErrors: { ...otherErrors, [key]: parsed.error.issues[0]?.message ?? 'invalid' } });
        return;
      }
      // Cross-field checks may reset another field (e.g. a stage the new student lacks).
      const { config, issues } = validateConfig({ ...get().config, [key]: parsed.data } as ExperimentConfig);
      const fieldErrors: Partial<Record<FieldKey, string>> = otherErrors;
      for (const issue of issues) if (issue.level === 'error') fieldErrors[issue.field as FieldKey] = issue.message;
      set({ config, fieldErrors });
      if (LIVE.has(key) && isActive(get().status)) get().sendLive(key as LiveParam, config[key as LiveParam]);
    },

    applyPreset(id) {
      set({ config: PRESETS[id].apply(get().config), fieldErrors: {} });
    },

    openLink(url) {
      if (isActive(get().status) || get().batch) return; // the running config stays; the store rewrites the URL
      const { config, issues } = decodeConfig(url);
      set({ config, urlIssues: issues, issuesDismissed: false, fieldErrors: {} });
    },
  });
