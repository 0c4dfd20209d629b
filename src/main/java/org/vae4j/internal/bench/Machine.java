package org.vae4j.internal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every benchmark figure needs beside it: the CPU model, its vector instruction sets, whether TensorFlow runs
 * oneDNN kernels, and the threads. Read from /proc/cpuinfo (Linux) and the environment.
 *
 * @param cpu the model name, or "unknown"
 * @param isa the widest vector extensions: "AMX + AVX-512", "AVX-512", "AVX2" or "below AVX2"
 * @param flags the AVX-512 and AMX features that decide TensorFlow's oneDNN default (vnni, bf16, amx)
 * @param onednn whether oneDNN kernels are on, and why ("on (TF_ENABLE_ONEDNN_OPTS=1)", "off (TensorFlow's
 *     default on AVX2 CPUs)", ...)
 * @param cores the cores Java sees (TensorFlow's default intra- and inter-op thread count)
 */
public record Machine(String cpu, String isa, Set<String> flags, String onednn, int cores) {
  /**
   * The most memory this process has held resident so far (Linux's VmHWM, in bytes): the JVM's heap and the
   * native memory TensorFlow allocates alike; 0 where /proc/self/status is not there.
   */
  public static long peakResidentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /** The machine this process runs on. */
  public static Machine here() {
    String model = "unknown";
    Set<String> flags = new TreeSet<>();
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name") && model.equals("unknown")) {
          model = line.substring(line.indexOf(':') + 1).trim();
        } else if (line.startsWith("flags") && flags.isEmpty()) {
          flags.addAll(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the figures still print, with the CPU unknown
    }
    boolean amx = flags.contains("amx_tile");
    boolean avx512 = flags.contains("avx512f");
    boolean vnniOrBf16 = flags.contains("avx512_vnni") || flags.contains("avx512_bf16");
    String isa = amx ? "AMX + AVX-512" : avx512 ? "AVX-512" : flags.contains("avx2") ? "AVX2" : "below AVX2";
    Set<String> notable = new TreeSet<>();
    for (String f : List.of("avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16")) {
      if (flags.contains(f)) {
        notable.add(f);
      }
    }
    String env = System.getenv("TF_ENABLE_ONEDNN_OPTS");
    String onednn;
    if (env != null && (env.equals("1") || env.equalsIgnoreCase("true"))) {
      onednn = "on (TF_ENABLE_ONEDNN_OPTS=" + env + ")";
    } else if (env != null && (env.equals("0") || env.equalsIgnoreCase("false"))) {
      onednn = "off (TF_ENABLE_ONEDNN_OPTS=" + env + ")";
    } else {
      // TensorFlow 2.18 turns it on by itself only where AVX-512 VNNI/BF16 or AMX is present
      onednn = amx || vnniOrBf16 ? "on (TensorFlow's default on this CPU)" : "off (TensorFlow's default on this CPU;"
          + " bin/vae sets TF_ENABLE_ONEDNN_OPTS=1)";
    }
    return new Machine(model, isa, notable, onednn, Runtime.getRuntime().availableProcessors());
  }

  /** One line: "AMD EPYC 9R14, AVX-512 (avx512_bf16, avx512_vnni), 2 cores; oneDNN on (...)". */
  public String describe() {
    return cpu + ", " + isa + (flags.isEmpty() ? "" : " " + flags) + ", " + cores + " cores; oneDNN " + onednn;
  }
}
