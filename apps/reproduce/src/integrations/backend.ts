/**
 * The one place where the app meets @gcnn/backend: backend selection, `file://` model IO, and the bench.
 *
 * Wired: `selectBackend` from @gcnn/backend.
 * STAND-IN until @gcnn/backend has them: a small `file://` handler writing the same files as tfjs-node
 * (model.json + weights.bin), and the fast cpu filter gradient (cpu-filter-gradient.ts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BackendUnavailableError, selectBackend as selectGcnnBackend } from '@gcnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors.js';
import { registerFastCpuFilterGradient } from './cpu-filter-gradient.js';

/** Backends the CLI accepts. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** What `selectBackend` chose, for logs and reports. */
export interface BackendInfo {
  /** tfjs backend name: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** A one-line description (package, threads, why), shown at the start of a run and in reports. */
  description: string;
}

/**
 * Selects and initialises the tfjs backend (before any tensor exists) and registers the `file://` router;
 * a UserError when the requested backend cannot be used.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  registerFileRouter();
  let report: Awaited<ReturnType<typeof selectGcnnBackend>>;
  try {
    report = await selectGcnnBackend(choice);
  } catch (error) {
    if (error instanceof BackendUnavailableError || error instanceof RangeError) {
      throw new UserError((error as Error).message);
    }
    throw error;
  }
  if (report.name === 'cpu') {
    registerFastCpuFilterGradient();
    // The cpu backend greets Node users with a banner recommending tfjs-node on first use; we say it once.
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  }
  const threads = report.threads > 0 ? `, ${report.threads} thread(s)` : '';
  const simd = report.simd ? ', SIMD' : '';
  return {
    name: report.name,
    description: `${report.name} (${report.package}${threads}${simd}): ${report.reason}`,
  };
}

let routerRegistered = false;

/** Makes `model.save('file://dir')` and `tf.loadLayersModel('file://dir/model.json')` work in Node. */
export function registerFileRouter(): void {
  if (routerRegistered) return;
  routerRegistered = true;
  const prefix = 'file://';
  // tfjs routers return null for URLs they do not handle, although the type says IOHandler.
  const router = ((url: string | string[]) => {
    const text = Array.isArray(url) ? url[0] : url;
    return typeof text === 'string' && text.startsWith(prefix) ? fileSystem(text.slice(prefix.length)) : null;
  }) as (url: string | string[]) => tf.io.IOHandler;
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
}

/** An IOHandler storing model.json and weights.bin in a directory (the path may name model.json itself). */
function fileSystem(target: string): tf.io.IOHandler {
  const dir = target.endsWith('.json') ? path.dirname(target) : target;
  const modelFile = target.endsWith('.json') ? target : path.join(dir, 'model.json');
  return {
    async save(artifacts) {
      await fs.mkdir(dir, { recursive: true });
      const weights = artifacts.weightData
        ? new Uint8Array(tf.io.concatenateArrayBuffers(([] as ArrayBuffer[]).concat(artifacts.weightData)))
        : new Uint8Array(0);
      await fs.writeFile(path.join(dir, 'weights.bin'), weights);
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await fs.writeFile(modelFile, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      const json = JSON.parse(await fs.readFile(modelFile, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths.map((p) => fs.readFile(path.join(dir, p)))),
        );
        const bytes = Buffer.concat(buffers);
        return [specs, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)];
      });
    },
  };
}
