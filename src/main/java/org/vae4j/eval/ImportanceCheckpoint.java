package org.vae4j.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vae4j.VaeException;
import org.vae4j.contract.Given;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;
import org.vae4j.internal.util.SafeFiles;

/**
 * The importance-sampled estimates a long evaluation has made so far, kept in a file so that a stopped evaluation
 * (a session that ends, a machine that is shut down) goes on where it stopped with the answers one unbroken run
 * gives. The file names what it was made for: the model's files and the images, labels and masks (as SHA-256
 * digests), K and the seed; a file made for anything else is refused naming what differs. Written to a temporary
 * name and renamed, so a stop while saving leaves the previous state.
 */
final class ImportanceCheckpoint {
  static final String FORMAT = "vae4j importance checkpoint";
  static final String IMAGES_PER_CALL = "images_per_call";
  /** 2 x 1,000,000 numbers of about 20 characters: far above any test set's. */
  private static final long MAX_BYTES = 64L << 20;

  private final Path file;
  private final Map<String, Object> protocol;
  private final double[] logLikelihood;
  private final double[] elbo;
  private int done;

  private ImportanceCheckpoint(Path file, Map<String, Object> protocol, int images) {
    this.file = file;
    this.protocol = protocol;
    logLikelihood = new double[images];
    elbo = new double[images];
  }

  /**
   * The checkpoint in {@code file} for this protocol, or an empty one when the file does not exist yet.
   *
   * @param model the model's version folder, whose saved_model.pb and variables/ are digested
   * @param inputs the estimated images and what goes with them, digested
   * @throws VaeException when the file is not such a checkpoint or was made for another model, other images or
   *     other settings (naming which)
   */
  public static ImportanceCheckpoint open(Path file, Path model, Inputs inputs, int samples, long seed) {
    Map<String, Object> protocol = new LinkedHashMap<>();
    protocol.put("format", FORMAT);
    protocol.put("model", modelDigest(model));
    protocol.put("images", inputs.images().length);
    protocol.put("inputs", inputs.digest());
    protocol.put("samples", samples);
    protocol.put("seed", seed);
    // how images are grouped into calls, which numbers each call's noise (a file without it was written by the
    // release that introduced checkpoints, which grouped them as this one does)
    protocol.put(IMAGES_PER_CALL, org.vae4j.serve.ElboScorer.importanceBlock(samples));
    ImportanceCheckpoint c = new ImportanceCheckpoint(file, protocol, inputs.images().length);
    Map<String, Object> kept;
    try {
      Path parent = file.toAbsolutePath().getParent();
      kept = Json.parseObject(SafeFiles.readUtf8(file, parent, MAX_BYTES, "checkpoint"));
    } catch (NoSuchFileException e) {
      return c;
    } catch (IllegalArgumentException e) {
      throw new VaeException("the checkpoint " + file + " is not JSON (" + e.getMessage() + "); give another file,"
          + " or delete it to start over", e);
    }
    for (Map.Entry<String, Object> field : protocol.entrySet()) {
      Object there = field.getKey().equals(IMAGES_PER_CALL) ? kept.getOrDefault(IMAGES_PER_CALL, field.getValue())
          : kept.get(field.getKey());
      if (!field.getValue().toString().equals(String.valueOf(there))) {
        throw new VaeException("the checkpoint " + file + " was made for " + (field.getKey().equals("format")
            ? "something else: it is no vae4j importance checkpoint" : "another " + describe(field.getKey())
            + " (" + field.getKey() + " " + there + " there, " + field.getValue() + " here)")
            + "; give another file, or delete it to start over");
      }
    }
    c.done = kept.get("done") instanceof Number n && n.intValue() >= 0 && n.intValue() <= c.elbo.length
        ? n.intValue() : -1;
    if (c.done < 0 || !c.readValues(kept.get("log_likelihood"), c.logLikelihood)
        || !c.readValues(kept.get("elbo"), c.elbo)) {
      throw new VaeException("the checkpoint " + file + " is damaged (done, log_likelihood and elbo must be a"
          + " count and that many numbers); delete it to start over");
    }
    return c;
  }

  private static String describe(String field) {
    return switch (field) {
      case "model" -> "model (its saved_model.pb and variables differ)";
      case "inputs" -> "set of images (their pixels, labels or masks differ)";
      case "images" -> "number of images";
      case "samples" -> "number of importance samples";
      default -> field;
    };
  }

  private boolean readValues(Object list, double[] into) {
    if (!(list instanceof List<?> values) || values.size() != done) {
      return false;
    }
    for (int i = 0; i < done; i++) {
      Object v = values.get(i);
      if (v instanceof String bits && bits.matches("[0-9a-f]{1,16}")) {
        into[i] = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
      } else if (v instanceof Number n) {
        into[i] = n.doubleValue(); // the decimal form the first release wrote
      } else {
        return false;
      }
    }
    return true;
  }

  /** The images whose estimates are kept: the first {@code done()} of the list. */
  public int done() {
    return done;
  }

  /** The kept log p(x) of image {@code i} (below {@link #done()}). */
  public double logLikelihood(int i) {
    return logLikelihood[check(i)];
  }

  /** The kept mean log weight of image {@code i} (below {@link #done()}). */
  public double elbo(int i) {
    return elbo[check(i)];
  }

  private int check(int i) {
    if (i < 0 || i >= done) {
      throw new IndexOutOfBoundsException("image " + i + " of " + done + " kept");
    }
    return i;
  }

  /** Adds the estimates of the next images, the list's from {@link #done()} on (kept in memory until saved). */
  public void add(double[] logLikelihoods, double[] elbos) {
    if (logLikelihoods.length != elbos.length || done + elbos.length > elbo.length) {
      throw new IllegalArgumentException("estimates for " + elbos.length + " images do not fit after " + done
          + " of " + elbo.length);
    }
    System.arraycopy(logLikelihoods, 0, logLikelihood, done, logLikelihoods.length);
    System.arraycopy(elbos, 0, elbo, done, elbos.length);
    done += elbos.length;
  }

  /** Writes what is kept, atomically. */
  public void save() {
    Map<String, Object> m = new LinkedHashMap<>(protocol);
    m.put("done", done);
    m.put("log_likelihood", values(logLikelihood));
    m.put("elbo", values(elbo));
    try {
      Files2.writeAtomically(file, (Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new VaeException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /** The values as the hex of their bits: exact, and NaN or an infinity survive (JSON has no number for them). */
  private List<String> values(double[] v) {
    List<String> out = new ArrayList<>(done);
    for (int i = 0; i < done; i++) {
      out.add(Long.toHexString(Double.doubleToRawLongBits(v[i])));
    }
    return out;
  }

  /** The estimated images with what a conditional model is given beside them. */
  public record Inputs(float[][] images, Given given) {
    /** SHA-256 of each image's pixel bits followed by its label or mask, image by image. */
    String digest() {
      int[] labels = given instanceof Given.Labels l ? l.labels() : null;
      boolean[][] masks = given instanceof Given.Masks m ? m.masks() : null;
      MessageDigest d = sha256();
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < images.length; i++) {
        for (float v : images[i]) {
          d.update(b.clear().putInt(Float.floatToIntBits(v)).array(), 0, 4);
        }
        if (labels != null) {
          d.update(b.clear().putInt(labels[i]).array(), 0, 4);
        }
        if (masks != null) {
          for (boolean v : masks[i]) {
            d.update((byte) (v ? 1 : 0));
          }
        }
      }
      return HexFormat.of().formatHex(d.digest());
    }
  }

  /** SHA-256 over saved_model.pb and the files of variables/, names and bytes, in name order. */
  static String modelDigest(Path version) {
    MessageDigest d = sha256();
    List<Path> files = new ArrayList<>();
    files.add(version.resolve("saved_model.pb"));
    try (Stream<Path> s = Files.list(version.resolve("variables"))) {
      s.sorted().forEach(files::add);
      byte[] buffer = new byte[1 << 16];
      for (Path f : files) {
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          throw new VaeException(f + " is not a regular file; a model's weights are");
        }
        d.update(version.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            d.update(buffer, 0, n);
          }
        }
      }
    } catch (IOException e) {
      throw new VaeException("cannot read the model's files in " + version + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
