package org.vae4j.internal.tf;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.vae4j.VaeException;
import org.vae4j.spec.Device;

/** TensorFlow session configurations for a {@link Device} choice; the one place that builds a ConfigProto. */
public final class Sessions {
  private Sessions() {}

  /** A device choice made concrete: the session configuration and what it runs on. */
  public record Resolved(ConfigProto config, boolean gpu) {
    public String label() {
      return gpu ? "gpu" : "cpu";
    }
  }

  /** Resolves the choice once (probing for a GPU unless the choice is cpu). */
  public static Resolved resolve(Device device) {
    return resolve(device, 0);
  }

  /** Resolves the choice with {@code threads} intra- and inter-op threads (0: TensorFlow's default). */
  public static Resolved resolve(Device device, int threads) {
    ConfigProto config = config(device, threads);
    return new Resolved(config, config.getDeviceCountOrDefault("GPU", 1) != 0);
  }

  /**
   * The session configuration for {@code device}, with {@code threads} intra- and inter-op threads (0: TensorFlow's
   * default). For {@code gpu} and {@code auto} this first asks TensorFlow whether a GPU kernel can run; TensorFlow
   * silently falls back to the CPU when CUDA libraries are missing, and this makes that visible.
   *
   * @throws VaeException for {@code gpu} when no GPU is usable
   */
  public static ConfigProto config(Device device, int threads) {
    ConfigProto.Builder b = ConfigProto.newBuilder();
    if (threads > 0) {
      b.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
    }
    if (device == Device.CPU) {
      return b.putDeviceCount("GPU", 0).build();
    }
    if (gpuUsable()) {
      return b.setAllowSoftPlacement(true).build();
    }
    if (device == Device.GPU) {
      throw VaeException.setting("device gpu: TensorFlow sees no usable GPU; build vae4j with the gpu profile"
          + " (mvn -Pgpu -DskipTests package) and put CUDA 12.5 and cuDNN 9.3 on the library path, or use device"
          + " cpu", "device");
    }
    return b.putDeviceCount("GPU", 0).build();
  }

  /** The CPU configuration with TensorFlow's default threads. */
  public static ConfigProto cpu() {
    return config(Device.CPU, 0);
  }

  /** Whether an op pinned to the first GPU runs, with soft placement off. */
  public static boolean gpuUsable() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(
          DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
      var probe = tf.math.add(tf.constant(1f), tf.constant(1f));
      ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Session s = new Session(g, false, strict);
          var r = s.runner().fetch(probe).run()) {
        return r.size() == 1;
      }
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Grappler's remapper tries to fuse conv + bias + activation, then fails on the gradient graph ("fanout exists
   * for missing node") and logs an error on every new graph; measured: the same losses to the last bit and a few
   * percent faster with it off.
   */
  public static ConfigProto withoutRemapper(ConfigProto config) {
    return config.toBuilder().setGraphOptions(config.getGraphOptions().toBuilder().setRewriteOptions(
        config.getGraphOptions().getRewriteOptions().toBuilder().setRemapping(org.tensorflow.proto.RewriterConfig.Toggle.OFF))).build();
  }

  /**
   * A session on {@code graph} whose variables have their initial values: each group of {@code inits} runs in
   * turn (a later group may read what an earlier one set). On failure the session is closed before the exception
   * leaves; the caller still owns the graph, and closes it after (a live session keeps Graph.close() waiting).
   */
  public static Session initialized(Graph graph, ConfigProto config, java.util.List<java.util.List<Op>> inits) {
    Session session = new Session(graph, false, config);
    try {
      for (java.util.List<Op> group : inits) {
        Session.Runner runner = session.runner();
        group.forEach(runner::addTarget);
        runner.run().close();
      }
      return session;
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }
}
