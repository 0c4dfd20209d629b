package org.vae4j.tf;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.vae4j.VaeException;
import org.vae4j.util.Choice;

/**
 * Where TensorFlow runs: {@code cpu}, {@code gpu} (fail when no GPU is usable) or {@code auto} (a GPU when one is
 * usable, else the CPU).
 */
public enum Device implements Choice {
  CPU,
  GPU,
  AUTO;

  public static Device parse(String text) {
    return Choice.parse(Device.class, text, "--device");
  }

  /** A device choice made concrete: the session configuration and what it runs on. */
  public record Resolved(ConfigProto config, boolean gpu) {
    public String label() {
      return gpu ? "gpu" : "cpu";
    }
  }

  /** Resolves the choice once (probing for a GPU unless the choice is cpu). */
  public Resolved resolve() {
    ConfigProto config = sessionConfig();
    return new Resolved(config, config.getDeviceCountOrDefault("GPU", 1) != 0);
  }

  /**
   * The session configuration for this choice. For {@code gpu} and {@code auto} this first asks TensorFlow whether
   * a GPU kernel can run; TensorFlow silently falls back to the CPU when CUDA libraries are missing, and this makes
   * that visible.
   *
   * @throws VaeException for {@code gpu} when no GPU is usable
   */
  public ConfigProto sessionConfig() {
    ConfigProto cpuOnly = ConfigProto.newBuilder().putDeviceCount("GPU", 0).build();
    if (this == CPU) {
      return cpuOnly;
    }
    boolean usable = gpuUsable();
    if (usable) {
      return ConfigProto.newBuilder().setAllowSoftPlacement(true).build();
    }
    if (this == GPU) {
      throw new VaeException("--device gpu: TensorFlow sees no usable GPU; build vae4j with the gpu profile"
          + " (mvn -Pgpu -DskipTests package) and put CUDA 12.5 and cuDNN 9.3 on the library path, or use --device cpu");
    }
    return cpuOnly;
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
        return true;
      }
    } catch (RuntimeException e) {
      return false;
    }
  }

}
