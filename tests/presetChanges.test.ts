/** Presets report what they change and whether a config already holds them (the preset bar's text and pressed state). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, PRESETS, PRESET_IDS, configChanges, presetsMatching, validateConfig } from '../src/core/config';

describe('configChanges', () => {
  it('lists the fields that differ, in table order, as URL text', () => {
    const kd = PRESETS['kd-baseline'].apply(DEFAULT_CONFIG);
    expect(configChanges(DEFAULT_CONFIG, kd)).toEqual([{ key: 'method', label: 'Method', from: 'mgd', to: 'kd' }]);
    const self = PRESETS['self-distill'].apply(DEFAULT_CONFIG);
    expect(configChanges(DEFAULT_CONFIG, self).map((c) => c.key)).toEqual(['teacher']); // resnet-s's last stage is 64×7×7 too: α stays
    expect(configChanges(kd, kd)).toEqual([]);
  });
});

describe('presetsMatching', () => {
  it('the defaults are the paper settings; an applied preset matches until a field it sets is edited', () => {
    expect(presetsMatching(DEFAULT_CONFIG)).toEqual(['mgd-paper']);
    for (const id of PRESET_IDS) expect(presetsMatching(PRESETS[id].apply(DEFAULT_CONFIG))).toContain(id);
    const kd = PRESETS['kd-baseline'].apply(DEFAULT_CONFIG);
    expect(presetsMatching(validateConfig({ ...kd, kdT: 6 }).config)).not.toContain('kd-baseline');
    // Self-distillation is MGD's paper settings on a resnet-s pair: both hold.
    expect(presetsMatching(PRESETS['self-distill'].apply(DEFAULT_CONFIG))).toEqual(['mgd-paper', 'self-distill']);
  });
});
