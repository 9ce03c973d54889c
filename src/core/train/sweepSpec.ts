/**
 * Which runs a seeds/sweep request means, as configs: pure (no tfjs), so the page can queue the
 * same runs the headless runner does. Each swept value goes through the URL decoder, so it is
 * validated exactly like a shared link's.
 */
import { decodeConfig, encodeConfig, type ExperimentConfig } from '../config';

export interface SweepSpec {
  field: keyof ExperimentConfig;
  values: string[];
}

/** Parses `field=v1,v2,…`; throws naming the problem. */
export function parseSweep(text: string): SweepSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--sweep "${text}": expected field=value1,value2,…`);
  const field = text.slice(0, eq).trim() as keyof ExperimentConfig;
  const values = text.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  if (values.length === 0) throw new Error(`--sweep "${text}": no values`);
  return { field, values };
}

/** Parses `1,2,3` into distinct non-negative integers. */
export function parseSeeds(text: string): number[] {
  const seeds = text.split(',').map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 2147483647)) {
    throw new Error(`--seeds "${text}": expected comma-separated non-negative integers`);
  }
  return [...new Set(seeds)];
}

/** The config for one swept value, validated (throws naming the field when the value is bad). */
export function configForValue(base: ExperimentConfig, sweep: SweepSpec | null, value: string | null, seed: number): ExperimentConfig {
  const params = new URLSearchParams(encodeConfig(base));
  params.set('seed', String(seed));
  if (sweep && value !== null) params.set(sweep.field, value);
  const { config, issues } = decodeConfig(params.toString());
  const err = issues.find((i) => i.level === 'error' || (sweep && i.field === sweep.field));
  if (err) throw new Error(err.message);
  return config;
}
