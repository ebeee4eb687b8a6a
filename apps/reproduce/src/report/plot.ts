import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One point of a learning curve. */
export interface CurvePoint {
  model: string;
  seed: number;
  epoch: number;
  /** Mean training loss of the epoch. */
  loss: number;
  /** Error in percent. */
  error: number;
  /** 'train' (on the fly, training mode) or 'test' (after BN finetune). */
  split: 'train' | 'test';
}

/** A horizontal reference line, e.g. the paper's error for a model. */
export interface ReferenceLine {
  model: string;
  error: number;
}

/**
 * Learning curves as an SVG: training loss per epoch (left, log scale) and train/test error in percent
 * (right; test errors as points, the paper's errors as dashed lines), one colour per model.
 */
export async function learningCurvesSvg(options: {
  title: string;
  points: readonly CurvePoint[];
  references: readonly ReferenceLine[];
}): Promise<string> {
  const color = { field: 'model', type: 'nominal', title: 'model' } as const;
  const epoch = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } } as const;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: '#ccc' } },
    hconcat: [
      {
        title: 'training loss',
        width: 320,
        height: 240,
        data: { values: options.points.filter((p) => p.split === 'train') as unknown as object[] },
        mark: { type: 'line', point: true },
        encoding: {
          x: epoch,
          y: { field: 'loss', type: 'quantitative', title: 'cross-entropy', scale: { type: 'log' } },
          color,
          detail: { field: 'seed', type: 'nominal' },
        },
      },
      {
        title: 'error (%): train (line), test (points), paper (dashed)',
        width: 320,
        height: 240,
        layer: [
          {
            data: { values: options.points.filter((p) => p.split === 'train') as unknown as object[] },
            mark: { type: 'line', opacity: 0.6 },
            encoding: {
              x: epoch,
              y: { field: 'error', type: 'quantitative', title: 'error (%)' },
              color,
              detail: { field: 'seed', type: 'nominal' },
            },
          },
          {
            data: { values: options.points.filter((p) => p.split === 'test') as unknown as object[] },
            mark: { type: 'point', filled: true, size: 70 },
            encoding: { x: epoch, y: { field: 'error', type: 'quantitative' }, color, shape: color },
          },
          {
            data: { values: options.references as unknown as object[] },
            mark: { type: 'rule', strokeDash: [6, 4] },
            encoding: { y: { field: 'error', type: 'quantitative' }, color },
          },
        ],
      },
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
