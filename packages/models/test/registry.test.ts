import { describe, expect, it } from 'vitest';
import { findModel, MODEL_IDS, MODEL_REGISTRY, PAPER } from '../src/index.js';

describe('the model registry', () => {
  it('finds every model by id, alias and paper name, in any letter case', () => {
    for (const entry of MODEL_REGISTRY) {
      expect(findModel(entry.id)).toBe(entry);
      expect(findModel(entry.paperName.toUpperCase())).toBe(entry);
      for (const alias of entry.aliases) expect(findModel(alias)).toBe(entry);
    }
    expect(findModel('p4cnn-rp').id).toBe('p4cnnRotationPooling');
    expect(findModel('allcnnc-p4m').id).toBe('allCnnC-p4m');
  });

  it('gives every name to one model only', () => {
    const names = MODEL_REGISTRY.flatMap((e) =>
      [e.id, e.paperName, ...e.aliases].map((n) => n.toLowerCase()),
    );
    const owners = new Map<string, string>();
    for (const entry of MODEL_REGISTRY) {
      for (const name of new Set([entry.id, entry.paperName, ...entry.aliases].map((n) => n.toLowerCase()))) {
        expect(owners.get(name), name).toBeUndefined();
        owners.set(name, entry.id);
      }
    }
    expect(owners.size).toBeLessThanOrEqual(names.length);
  });

  it('derives MODEL_IDS and PAPER from the entries', () => {
    expect(MODEL_IDS).toEqual(MODEL_REGISTRY.map((e) => e.id));
    for (const entry of MODEL_REGISTRY) expect(PAPER[entry.id]).toBe(entry.paper);
  });

  it('names the known models when a name is unknown', () => {
    expect(() => findModel('p5cnn')).toThrow(
      /unknown model "p5cnn"; expected one of z2cnn, p4cnn-rp, p4cnn, allcnnc-z2/,
    );
  });
});
