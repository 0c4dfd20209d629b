package org.vae4j.internal.train;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vae4j.data.Binarization;
import org.vae4j.data.ImageSet;

/**
 * The pixels of one epoch's training batches as floats (binarized afresh when the objective says so), the next
 * batch prepared on a background thread while the current step runs. Two buffers take turns: the step reads one
 * while the other fills. The next batch's binarization depends on the step that will take it, which is known only
 * once the current step is done (a step skipped for a non-finite loss does not count); the background thread
 * guesses the step after this one, and a wrong guess is thrown away and prepared again on the training thread, so
 * every batch is exactly what preparing it inline gives.
 */
final class BatchFeed implements AutoCloseable {
  private final ImageSet train;
  private final int[] order;
  private final int batchSize;
  private final int imageSize;
  /** Seed of the binarization draws, or null for none. */
  private final Long binarizeSeed;
  private final ExecutorService worker;
  private final float[][] buffers;
  /** The buffer the last step read. */
  private int current;
  private Future<?> pending;
  private int pendingBatch;
  private long pendingStep;

  /**
   * @param background prepare the next batch on a background thread (false: every batch on the caller's thread)
   */
  BatchFeed(ImageSet train, int[] order, int batchSize, int imageSize, Long binarizeSeed, boolean background) {
    this.train = train;
    this.order = order;
    this.batchSize = batchSize;
    this.imageSize = imageSize;
    this.binarizeSeed = binarizeSeed;
    this.buffers = new float[background ? 2 : 1][batchSize * imageSize];
    this.worker = background ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vae4j-batches");
      t.setDaemon(true);
      return t;
    }) : null;
    this.current = buffers.length - 1;
  }

  private void prepare(int batch, int n, long step, float[] into) {
    train.copyImages(order, batch * batchSize, n, into);
    if (binarizeSeed != null) {
      // a fresh draw per step, from (seed, step): reproducible, and independent of the data order
      Binarization.sample(into, 0, n * imageSize, new SplittableRandom(binarizeSeed * 0x9E3779B97F4A7C15L + step));
    }
  }

  /**
   * Batch {@code batch} ({@code n} images) as the step numbered {@code step} sees it; the returned buffer stays
   * untouched until the next call.
   */
  float[] batch(int batch, int n, long step) {
    if (pending != null) {
      boolean ready = await();
      int filled = 1 - current;
      pending = null;
      current = filled;
      if (ready && pendingBatch == batch && pendingStep == step) {
        return buffers[current];
      }
      if (!ready) {
        buffers[current] = new float[batchSize * imageSize]; // the abandoned task may still write the old one
      }
    } else {
      current = (current + 1) % buffers.length;
    }
    prepare(batch, n, step, buffers[current]);
    return buffers[current];
  }

  /** Starts preparing batch {@code batch} ({@code n} images) for step {@code step}, when in the background. */
  void prefetch(int batch, int n, long step) {
    if (worker == null) {
      return;
    }
    float[] into = buffers[1 - current];
    pendingBatch = batch;
    pendingStep = step;
    pending = worker.submit(() -> prepare(batch, n, step, into));
  }

  /** Waits for the background batch; false when it did not complete (interrupted): then it is prepared again. */
  private boolean await() {
    try {
      pending.get();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.cancel(true);
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.shutdownNow();
    }
  }
}
