import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { gatherBatch, generateRotatedMnist, normalizationStats, batches, epochOrder } from './src/index.ts';
await tf.setBackend('cpu');
const r = await generateRotatedMnist({ seed: 0, cacheDir: '/tmp/gcnn-cache-test' });
const stats = normalizationStats(r.train);
const idx = Uint32Array.from({length:128},(_, i)=>(i*7919)%10000);
for (let rep=0; rep<3; rep++) {
let t = performance.now(); for (let i=0;i<500;i++) gatherBatch(r.train, idx, stats); console.log('gather', ((performance.now()-t)/500*1000).toFixed(0),'us');
t = performance.now(); for (let i=0;i<500;i++) { const {images} = gatherBatch(r.train, idx, stats); tf.tensor4d(images,[128,28,28,1]).dispose(); } console.log('gather+tensor', ((performance.now()-t)/500*1000).toFixed(0),'us');
t = performance.now(); for (let i=0;i<50;i++) epochOrder(10000,{seed:0,epoch:i}); console.log('epochOrder', ((performance.now()-t)/50*1000).toFixed(0),'us');
t = performance.now(); let nb=0; for (const b of batches(r.train,{batchSize:128,normalize:stats, epoch: rep})) nb++; console.log('batch', ((performance.now()-t)/nb*1000).toFixed(0),'us');
}
