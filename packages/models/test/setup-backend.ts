// Runs before every test file: starts the stock backend of this vitest project (cpu or wasm, nothing of
// @gcnn/backend registered) before any test file creates a tensor at load time.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { TEST_BACKEND } from './helpers.js';

if (!(await tf.setBackend(TEST_BACKEND))) throw new Error(`the ${TEST_BACKEND} backend failed to start`);
