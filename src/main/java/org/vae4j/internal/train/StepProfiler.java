package org.vae4j.internal.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.vae4j.data.ImageSet;

/**
 * Where a training step's time goes: TensorFlow's step statistics (a full trace of each step), summed by op type.
 * An op's time is its own compute time (op start to op end); ops run side by side on the inter-op threads, so the
 * op times add up to more than the step's wall time when the graph runs ops in parallel.
 */
public final class StepProfiler {
  private StepProfiler() {}

  /**
   * One op type's share of a step.
   *
   * @param opsPerStep how many ops of the type ran per step
   * @param millisPerStep their compute time per step
   */
  public record OpTime(String type, double opsPerStep, double millisPerStep) {}

  /**
   * A profile.
   *
   * @param wallMillisPerStep a traced step's wall time (tracing adds a little)
   * @param ops op types by time, largest first
   */
  public record Profile(int steps, double wallMillisPerStep, List<OpTime> ops) {
    /** The summed compute time of every op per step. */
    public double opMillisPerStep() {
      return ops.stream().mapToDouble(OpTime::millisPerStep).sum();
    }
  }

  /** Traces {@code steps} training steps on batches of {@code images} (after one untraced warm-up step). */
  public static Profile profile(TrainingSession session, ImageSet images, int steps) {
    int batch = session.config().batchSize();
    int size = session.spec().image().size();
    session.setStepsPerEpoch(Math.max(1, images.count() / batch));
    int[] order = new int[images.count()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    float[] buffer = new float[batch * size];
    Map<String, long[]> byType = new HashMap<>();
    long wallNanos = 0;
    for (int s = 0; s <= steps; s++) {
      int from = (s * batch) % Math.max(1, images.count() - batch + 1);
      images.copyImages(order, from, batch, buffer);
      if (s == 0) {
        session.trainStep(buffer, batch);
        continue;
      }
      long t0 = System.nanoTime();
      session.trainStep(buffer, null, batch, metadata -> add(metadata, session, byType));
      wallNanos += System.nanoTime() - t0;
    }
    List<OpTime> ops = new ArrayList<>();
    byType.forEach((type, t) -> ops.add(new OpTime(type, (double) t[0] / steps, t[1] / 1000.0 / steps)));
    ops.sort(Comparator.comparingDouble(OpTime::millisPerStep).reversed());
    return new Profile(steps, wallNanos / 1e6 / steps, ops);
  }

  private static void add(RunMetadata metadata, TrainingSession session, Map<String, long[]> byType) {
    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        long micros = Math.max(0, node.getOpEndRelMicros() - node.getOpStartRelMicros());
        long[] t = byType.computeIfAbsent(typeOf(node, session), k -> new long[2]);
        t[0]++;
        t[1] += micros;
      }
    }
  }

  /**
   * The kernel a traced node ran, from its timeline label ({@code name = Type(inputs)}: with oneDNN this names the
   * oneDNN kernel, {@code _MklMatMul}), else from the graph; nodes TensorFlow added itself keep their names.
   */
  private static String typeOf(NodeExecStats stats, TrainingSession session) {
    String label = stats.getTimelineLabel();
    int eq = label.indexOf(" = ");
    int paren = label.indexOf('(', Math.max(0, eq));
    if (eq > 0 && paren > eq + 3) {
      return label.substring(eq + 3, paren);
    }
    String node = stats.getNodeName();
    String name = node.contains(":") ? node.substring(0, node.indexOf(':')) : node;
    GraphOperation op = session.graph().operation(name);
    return op != null ? op.type() : name.startsWith("_") ? name : "(other)";
  }
}
