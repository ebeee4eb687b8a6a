import * as tf from '@tensorflow/tfjs-core';

/**
 * A fast `Conv2DBackpropFilter` for the pure-JS cpu backend.
 *
 * tfjs' own cpu kernel walks every filter tap through element accessors and is ~50x slower than the forward
 * convolution (a Z2CNN step at batch 8: 10 s of 10.5 s), which makes even a tiny CI training run take minutes.
 * The filter gradient is itself a convolution: with the batch as channels and Cin as batch,
 *   dW[i, j, ci, co] = Σ_{n,oh,ow} x[n, s·oh + i − pad, s·ow + j − pad, ci] · dy[n, oh, ow, co]
 *   = conv2d(xᵀ [Cin, H, W, N], dyᵀ [OH, OW, N, Cout], dilation s)[ci, i, j, co],
 * which runs on the backend's forward conv kernel. Only NHWC, dilation-1 forward convolutions reach this
 * kernel in tfjs, which is all the models use.
 *
 * STAND-IN: @gcnn/backend owns training kernels; this goes away if it registers an equivalent one for cpu.
 */
export function registerFastCpuFilterGradient(): void {
  const existing = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  if (!existing || (existing as { gcnnFast?: boolean }).gcnnFast) return;
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  const config: tf.KernelConfig & { gcnnFast: boolean } = {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'cpu',
    gcnnFast: true,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const engine = tf.engine();
      const xInfo = inputs.x as tf.TensorInfo;
      const dyInfo = inputs.dy as tf.TensorInfo;
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
        dataFormat: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number];
      };
      if (dataFormat === 'NCHW') {
        return existing.kernelFunc({ inputs, backend, attrs });
      }
      const info = tf.backend_util.computeConv2DInfo(
        xInfo.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const [kh, kw] = filterShape;
      return tf.tidy(() => {
        // Wrap the inputs as tensors; the extra reference keeps their data alive when tidy disposes the wrappers.
        const refs = backend as unknown as { incRef(dataId: tf.DataId): void };
        refs.incRef(xInfo.dataId);
        refs.incRef(dyInfo.dataId);
        const x = engine.makeTensorFromTensorInfo(xInfo) as tf.Tensor4D;
        const dy = engine.makeTensorFromTensorInfo(dyInfo) as tf.Tensor4D;
        const { top, bottom, left, right } = info.padInfo;
        const xt = tf.transpose(x, [3, 1, 2, 0]);
        const padded = tf.pad(xt, [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ]);
        const filter = tf.transpose(dy, [1, 2, 0, 3]);
        const full = tf.conv2d(padded as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid', 'NHWC', [
          info.strideHeight,
          info.strideWidth,
        ]);
        const cropped = tf.slice(full, [0, 0, 0, 0], [-1, kh, kw, -1]);
        return tf.transpose(cropped, [1, 2, 0, 3]);
      });
    },
  };
  tf.registerKernel(config);
}
