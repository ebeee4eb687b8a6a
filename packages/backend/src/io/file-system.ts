import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** File names of tfjs-node's layout: one JSON file and one weights file side by side. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

const SCHEME = 'file://';
const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Writes `data` to `file` so that a crash never leaves a partial file: temp file, fsync, rename. */
async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
}

/** All weight bytes as one buffer (tfjs 4 may hand them over as several ArrayBuffers). */
function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data == null) return new Uint8Array(0);
  if (Array.isArray(data)) return new Uint8Array(tf.io.concatenateArrayBuffers(data));
  return new Uint8Array(data);
}

/** Bytes the weights of a manifest take, or null when it cannot be known without decoding (quantised, strings). */
function expectedBytes(specs: tf.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = BYTES[dtype];
    if (bytes == null || spec.quantization?.dtype != null) return null;
    total += spec.shape.reduce((a, b) => a * b, 1) * bytes;
  }
  return total;
}

async function readOrExplain(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`fileSystem: ${what} ${file} does not exist: loading failed`);
    throw new Error(`fileSystem: cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

/**
 * A `tf.io.IOHandler` that saves a model as `model.json` + `weights.bin` in the folder `dir` (created if
 * missing) and loads it back, in the same layout and bytes as tfjs-node's `file://` handler, so checkpoints
 * move freely between the two. Every file is written to a temporary name, flushed and renamed, so a crash
 * never leaves a half-written file; `weights.bin` is renamed before `model.json`, and loading checks that the
 * weights file has the size its manifest announces.
 *
 * @param dir for saving, the folder to write; for loading, the folder or its `model.json`
 * @example
 * await model.save(fileSystem('runs/p4cnn'));
 * const again = await tf.loadLayersModel(fileSystem('runs/p4cnn/model.json'));
 */
export function fileSystem(dir: string): tf.io.IOHandler {
  if (typeof dir !== 'string' || dir === '') {
    throw new TypeError(`fileSystem: expected a folder path, got ${JSON.stringify(dir)}`);
  }
  const target = path.resolve(dir.startsWith(SCHEME) ? dir.slice(SCHEME.length) : dir);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(
          'fileSystem: saving a binary (GraphDef) model topology is not supported; save a layers model',
        );
      }
      const info = await stat(target).catch(() => null);
      if (info?.isFile())
        throw new Error(`fileSystem: ${target} is a file; saving needs a folder (it holds ${MODEL_JSON})`);
      await mkdir(target, { recursive: true });
      // Same keys in the same order as tfjs-node, so the JSON is byte-identical.
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      } as tf.io.ModelJSON;
      if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata != null)
        modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      // Weights first: a crash between the two renames leaves the previous model.json, never a manifest
      // that points at missing bytes.
      await writeAtomically(path.join(target, WEIGHTS_BIN), weightBytes(artifacts.weightData));
      await writeAtomically(path.join(target, MODEL_JSON), JSON.stringify(modelJSON));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const info = await stat(target).catch(() => null);
      if (info == null) throw new Error(`fileSystem: ${target} does not exist: loading failed`);
      const jsonPath = info.isDirectory() ? path.join(target, MODEL_JSON) : target;
      const text = (await readOrExplain(jsonPath, 'model JSON')).toString('utf8');
      let modelJSON: tf.io.ModelJSON;
      try {
        modelJSON = JSON.parse(text) as tf.io.ModelJSON;
      } catch (error) {
        throw new Error(`fileSystem: ${jsonPath} is not valid JSON (${(error as Error).message})`);
      }
      const artifacts: tf.io.ModelArtifacts = {
        modelTopology: modelJSON.modelTopology,
        format: modelJSON.format,
        generatedBy: modelJSON.generatedBy,
        convertedBy: modelJSON.convertedBy,
      };
      if (modelJSON.weightsManifest != null) {
        const buffers: Buffer[] = [];
        const specs: tf.io.WeightsManifestEntry[] = [];
        for (const group of modelJSON.weightsManifest) {
          for (const file of group.paths) {
            buffers.push(await readOrExplain(path.join(path.dirname(jsonPath), file), 'weights file'));
          }
          specs.push(...group.weights);
        }
        const bytes = Buffer.concat(buffers);
        const expected = expectedBytes(specs);
        if (expected != null && expected !== bytes.length) {
          throw new Error(
            `fileSystem: the weights next to ${jsonPath} have ${bytes.length} bytes but its manifest needs ${expected} (an interrupted or mixed save?)`,
          );
        }
        artifacts.weightSpecs = specs;
        artifacts.weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
      }
      if (modelJSON.trainingConfig != null) artifacts.trainingConfig = modelJSON.trainingConfig;
      if (modelJSON.signature != null) artifacts.signature = modelJSON.signature;
      if (modelJSON.userDefinedMetadata != null)
        artifacts.userDefinedMetadata = modelJSON.userDefinedMetadata;
      return artifacts;
    },
  };
}

function fileRouter(url: string | string[]): tf.io.IOHandler | null {
  if (Array.isArray(url) || typeof url !== 'string' || !url.startsWith(SCHEME)) return null;
  return fileSystem(url.slice(SCHEME.length));
}

let registered = false;

/**
 * Makes `model.save('file://dir')` and `tf.loadLayersModel('file://dir/model.json')` work in Node without
 * tfjs-node, through `fileSystem`. Does nothing when a `file://` handler exists already (tfjs-node registers
 * its own) or when called again.
 *
 * @returns true if it registered the routers now
 */
export function registerFileSystemRouter(): boolean {
  if (registered) return false;
  const probe = `${SCHEME}${path.resolve('gcnn-probe')}`;
  if (tf.io.getSaveHandlers(probe).length > 0 || tf.io.getLoadHandlers(probe).length > 0) return false;
  // tfjs types routers as always returning a handler, but returning null for other schemes is the contract.
  const router = fileRouter as unknown as Parameters<typeof tf.io.registerSaveRouter>[0];
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
  registered = true;
  return true;
}
