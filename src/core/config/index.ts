/** The experiment config: one field table (schema.ts), its URL format (url.ts) and presets. */
export {
  type ChoiceField,
  type ConfigIssue,
  type ExperimentConfig,
  type FieldDef,
  type FieldGroup,
  type FieldKey,
  type FlagField,
  type GenShape,
  type NumberField,
  type TextField,
  CROSS_CHECKS,
  ConfigError,
  ConfigSchema,
  DEFAULT_CONFIG,
  FIELDS,
  FIELD_KEYS,
  flag,
  formatGen,
  getField,
  parseGen,
  parseStage,
  resolveStages,
  validateConfig,
} from './schema';
export { MAX_INPUT_LENGTH, decodeConfig, encodeConfig, parseConfigStrict } from './url';
export { type FieldChange, PAPER_ALPHA, PAPER_FEATURE_SIZE, PRESETS, PRESET_IDS, type Preset, type PresetId, configChanges, paperScaledAlpha, presetsMatching } from './presets';
