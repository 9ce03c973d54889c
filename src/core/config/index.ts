/** The experiment config: one field table (fields.ts, of the row kinds in fieldKinds.ts), its schema and checks (schema.ts), its URL format (url.ts) and presets. */
export { type ChoiceField, type FieldDef, type FieldGroup, type FlagField, type NumberField, type TextField, flag } from './fieldKinds';
export { type FieldKey, type GenShape, FIELDS, formatGen, parseGen, parseStage } from './fields';
export {
  type ConfigIssue,
  type ExperimentConfig,
  CROSS_CHECKS,
  ConfigError,
  ConfigSchema,
  DEFAULT_CONFIG,
  FIELD_KEYS,
  fieldIssue,
  getField,
  resolveStages,
  validateConfig,
} from './schema';
export { MAX_INPUT_LENGTH, decodeConfig, encodeConfig, linkVersionOf, parseConfigStrict } from './url';
export { LEGACY_RECIPE, LINK_VERSION, VERSION_KEY, withLegacyRecipe } from './linkVersion';
export { type FieldChange, PAPER_ALPHA, PAPER_FEATURE_SIZE, PRESETS, PRESET_IDS, type Preset, type PresetId, configChanges, paperScaledAlpha, presetsMatching } from './presets';
export {
  type ParamChange,
  type Schedule,
  type ScheduleEntry,
  type ScheduledParam,
  MAX_SCHEDULE_ENTRIES,
  SCHEDULE_KEYS,
  formatSchedule,
  parseSchedule,
  scheduleChanges,
  scheduledLive,
  withChanges,
} from './schedule';
