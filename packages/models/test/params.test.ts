import { describe, expect, it } from 'vitest';
import { buildModel, countTrainableParams, MODEL_IDS, PAPER } from '../src/index.js';

// Golden numbers: paper-spec §4.4 derives them from the authors' code; the paper prints them rounded.
const GOLDEN: Record<string, number> = {
  z2cnn: 21_750,
  p4cnn: 24_680,
  p4cnnRotationPooling: 21_750,
  'allCnnC-Z2': 1_372_254,
  'allCnnC-p4': 1_371_006,
  'allCnnC-p4m': 1_219_678,
  'resnet44-Z2': 2_639_434,
  'resnet44-p4m': 2_622_878,
  'resnet26-Z2': 7_236_046,
  'resnet26-p4m': 7_173_110,
};

describe('parameter counts', () => {
  it.each(MODEL_IDS)('%s has the paper count', (id) => {
    const model = buildModel(id, { seed: 1 });
    try {
      expect(countTrainableParams(model)).toBe(GOLDEN[id]);
      expect(PAPER[id].params).toBe(GOLDEN[id]);
    } finally {
      model.dispose();
    }
  });

  it('the printed counts round the exact ones', () => {
    for (const id of MODEL_IDS) {
      const printed = PAPER[id].paramsPrinted;
      if (printed === null) continue;
      expect(`${(PAPER[id].params / 1e6).toFixed(2)}M`).toBe(printed);
    }
  });

  it('counts BN gamma and beta but not the moving statistics', () => {
    const model = buildModel('p4cnn');
    try {
      const movingStatistics = model.weights.filter((w) => /moving/.test(w.originalName));
      expect(movingStatistics.length).toBe(12);
      expect(model.countParams() - countTrainableParams(model)).toBe(6 * 2 * 10);
    } finally {
      model.dispose();
    }
  });

  it('rejects an unknown model id', () => {
    expect(() => buildModel('p5cnn')).toThrow(/unknown model "p5cnn"; expected one of z2cnn/);
  });
});
