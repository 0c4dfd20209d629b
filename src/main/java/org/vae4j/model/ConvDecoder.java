package org.vae4j.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The convolutional decoder of the design, the encoder run backwards. It returns the raw output (logits, the
 * sigmoid of which are the pixel means, plus a log-variance block for the learned Gaussian), so likelihoods can be
 * computed stably.
 *
 * <pre>
 * z [N, latentDim] (a conditional model's one-hot label appended: [N, latentDim + classes])
 *   dense 1024                    -> batch norm -> ReLU    [N, 1024]
 *   dense (H/4)(W/4)128           -> batch norm -> ReLU -> reshape [N, H/4, W/4, 128]
 *   transposed conv 64, 4x4, s2   -> batch norm -> ReLU    [N, H/2, W/2, 64]
 *   transposed conv kC, 4x4, s2   -> raw output            [N, H, W, kC]  (k outputs per channel)
 * </pre>
 */
final class ConvDecoder {
  private ConvDecoder() {}

  public static Operand<TFloat32> output(Layers l, Operand<TFloat32> z, VaeSpec spec) {
    Ops tf = l.tf();
    ImageShape s = spec.image();
    int h4 = s.height() / 4;
    int w4 = s.width() / 4;
    int flat = h4 * w4 * ConvEncoder.CONV2_FILTERS;

    Operand<TFloat32> hidden = l.relu(l.batchNorm("decoder.dense1.bn",
        l.dense("decoder.dense1", z, ConvEncoder.HIDDEN, Layers.Bias.NONE)));
    Operand<TFloat32> wide = l.relu(l.batchNorm("decoder.dense2.bn",
        l.dense("decoder.dense2", hidden, flat, Layers.Bias.NONE)));
    Operand<TFloat32> grid = tf.reshape(wide, tf.constant(new int[] {-1, h4, w4, ConvEncoder.CONV2_FILTERS}));
    Operand<TFloat32> deconv1 = l.relu(l.batchNorm("decoder.deconv1.bn",
        l.conv2dTranspose("decoder.deconv1", grid, ConvEncoder.CONV1_FILTERS, ConvEncoder.KERNEL, 2,
            Layers.Bias.NONE)));
    int outputs = spec.likelihood().outputsPerChannel() * s.channels();
    return l.conv2dTranspose("decoder.deconv2", deconv1, outputs, ConvEncoder.KERNEL, 2, Layers.Bias.LEARNED);
  }
}
