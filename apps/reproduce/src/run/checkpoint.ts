import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UserError } from '../errors.js';
import { createDirectoryAtomic } from './atomic.js';
import { verifyCheckpointFiles, writeChecksums } from './checksums.js';
import { faultPoint } from './fault-points.js';
import { RUN_FILES, type RunDirectory } from './run-dir.js';

export { checkpointName } from './checkpoint-name.js';

import { checkpointName } from './checkpoint-name.js';

/**
 * Saves the model with its optimizer state (`model.save('file://...', { includeOptimizer: true })`) into a
 * temporary directory renamed into place, so a checkpoint directory is always complete. Needs the model to
 * be compiled with its optimizer and the `file://` router registered.
 */
export async function saveCheckpoint(
  run: RunDirectory,
  model: tfl.LayersModel,
  epoch: number,
): Promise<string> {
  const name = checkpointName(epoch);
  const target = run.file(name);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rm(target, { recursive: true, force: true });
  // tfjs' save never disposes the iteration-count scalar that optimizer.getWeights() creates: a scope
  // around the save collects it. Nothing else creates tensors while the training loop awaits this.
  const engine = tf.engine();
  engine.startScope('gcnn-save-checkpoint');
  try {
    await createDirectoryAtomic(target, async (dir) => {
      await model.save(`file://${dir}`, { includeOptimizer: true });
      await writeChecksums(dir);
      faultPoint('checkpoint-filled');
    });
  } finally {
    engine.endScope();
  }
  return name;
}

/** Removes every checkpoint (and leftover temporary directory) except `keep`. */
export async function pruneCheckpoints(run: RunDirectory, keep: string): Promise<void> {
  const dir = run.file(RUN_FILES.checkpoints);
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  const kept = path.basename(keep);
  await Promise.all(
    entries.filter((e) => e !== kept).map((e) => fs.rm(path.join(dir, e), { recursive: true, force: true })),
  );
}

/**
 * Loads a checkpoint as a compiled model with its optimizer state restored, after checking every file
 * against the SHA-256 stored with it (a one-line UserError names the first that differs). Custom layers
 * must be registered (importing @gcnn/layers does it) before the call.
 */
export async function loadCheckpoint(run: RunDirectory, name: string): Promise<tfl.LayersModel> {
  await verifyCheckpointFiles(run.file(name));
  const file = path.join(run.file(name), 'model.json');
  try {
    return await tfl.loadLayersModel(`file://${file}`);
  } catch (error) {
    throw new UserError(`cannot load checkpoint ${file}: ${(error as Error).message}`);
  }
}
