import * as tf from '@tensorflow/tfjs-core';

/** The attributes tfjs passes to `Conv2DBackpropFilter`. */
interface FilterGradientAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * `Conv2DBackpropFilter` for the pure-JS cpu backend, as one forward convolution.
 *
 * tfjs' own cpu kernel walks every filter tap through element accessors and runs ~50x slower than the forward
 * convolution (a Z2CNN step at batch 8: 10 s of 10.5 s), which makes even a tiny CI training run take minutes.
 * The filter gradient is itself a convolution: with the batch as channels and the input channels as batch,
 *   dW[i, j, ci, co] = Σ_{n,oh,ow} x[n, s·oh + i − pad, s·ow + j − pad, ci] · dy[n, oh, ow, co]
 *                    = conv2d(xᵀ [Cin, H, W, N], dyᵀ [OH, OW, N, Cout], dilation s)[ci, i, j, co],
 * which runs on the backend's forward conv kernel. NCHW falls back to tfjs' kernel (tfjs only reaches this
 * kernel with dilation 1: it refuses gradients of dilated convolutions).
 */
export function cpuConv2dBackpropFilterConfig(fallback: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const xInfo = inputs.x as tf.TensorInfo;
      const dyInfo = inputs.dy as tf.TensorInfo;
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
        attrs as unknown as FilterGradientAttrs;
      if (dataFormat === 'NCHW') return fallback({ inputs, backend, attrs });
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
      const engine = tf.engine();
      return tf.tidy(() => {
        // Wrap the inputs as tensors; the extra reference keeps their data alive when tidy disposes the wrappers.
        const refs = backend as unknown as { incRef(dataId: tf.DataId): void };
        refs.incRef(xInfo.dataId);
        refs.incRef(dyInfo.dataId);
        const x = engine.makeTensorFromTensorInfo(xInfo) as tf.Tensor4D;
        const dy = engine.makeTensorFromTensorInfo(dyInfo) as tf.Tensor4D;
        const { top, bottom, left, right } = info.padInfo;
        const padded = tf.pad(tf.transpose(x, [3, 1, 2, 0]), [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ]) as tf.Tensor4D;
        const filter = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
        const full = tf.conv2d(padded, filter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
        // Strides that do not divide the padded size leave taps past the filter: keep the first kh × kw.
        const cropped = tf.slice(full, [0, 0, 0, 0], [-1, kh, kw, -1]);
        return tf.transpose(cropped, [1, 2, 0, 3]);
      });
    },
  };
}
