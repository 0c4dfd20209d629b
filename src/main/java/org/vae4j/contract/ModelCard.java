package org.vae4j.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.Version;
import org.vae4j.internal.json.Json;

/**
 * What a SavedModel says about itself ({@code assets.extra/vae4j.json}): the shapes a caller needs, how the model
 * was built and trained, and what it measured.
 *
 * @param format the contract version ({@link Version#MODEL_FORMAT} when written)
 * @param vae4jVersion the release that wrote the model
 * @param imageShape height, width, channels
 * @param latentDim size of the latent code
 * @param architecture encoder/decoder family, for example {@code conv}
 * @param likelihood the decoder's p(x|z), for example {@code bernoulli}
 * @param model architecture details (MLP hidden sizes, stddev parameterization, fixed sigma)
 * @param dataset the data the model was trained on
 * @param scoreSamples how many fixed noise draws the {@code score} signature averages per image
 * @param parameters number of trainable parameters
 * @param training every training option in force (epochs, seed, batch size, optimizer settings, ...)
 * @param metrics measured figures in nats per image, for example {@code test_elbo}
 * @param created ISO-8601 time of export
 * @param evaluation which evaluation the test figures of {@code metrics} come from (its file under {@code
 *     assets.extra/evaluations/} and protocol); empty while they are the training run's
 */
public record ModelCard(
    int format,
    String vae4jVersion,
    int[] imageShape,
    int latentDim,
    String architecture,
    String likelihood,
    Map<String, Object> model,
    String dataset,
    int scoreSamples,
    long parameters,
    Map<String, Object> training,
    Map<String, Double> metrics,
    String created,
    Map<String, Object> evaluation) {

  /**
   * Checks the image shape and keeps copies of the shape and the maps, the maps unmodifiable; a null {@code
   * evaluation} is read as empty.
   *
   * @throws IllegalArgumentException when imageShape is not three numbers
   */
  public ModelCard {
    if (imageShape == null || imageShape.length != 3) {
      throw new IllegalArgumentException("image_shape must be [height, width, channels]");
    }
    imageShape = imageShape.clone();
    model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
    training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    evaluation = Collections.unmodifiableMap(new LinkedHashMap<>(evaluation == null ? Map.of() : evaluation));
  }

  /** The metrics that describe the test set and are replaced together when another evaluation is shown. */
  public static final List<String> TEST_FIGURES = List.of("test_elbo", "test_reconstruction_log_likelihood",
      "test_loss", "test_squared_error", "test_kl", "test_log_likelihood", "test_log_likelihood_std_error",
      "test_importance_samples", "test_importance_images", "test_images");

  /** The largest height, width or channel count a card may give (keeps image sizes far from overflow). */
  public static final int MAX_SIDE = 4096;
  /** The most values one image of a card may have (a 4096 x 4096 RGBA image). */
  public static final long MAX_IMAGE_SIZE = 4096L * 4096 * 4;

  /** A card for a model exported now by this vae4j release. */
  public static ModelCard create(int[] imageShape, int latentDim, String architecture, String likelihood,
      Map<String, Object> model, String dataset, int scoreSamples, long parameters, Map<String, Object> training,
      Map<String, Double> metrics) {
    return new ModelCard(Version.MODEL_FORMAT, Version.VAE4J, imageShape, latentDim, architecture, likelihood,
        model, dataset, scoreSamples, parameters, training, metrics,
        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString(), Map.of());
  }

  /** Height, width, channels (a copy). */
  @Override
  public int[] imageShape() {
    return imageShape.clone();
  }

  /** Number of floats in one image. */
  public int imageSize() {
    return imageShape[0] * imageShape[1] * imageShape[2];
  }

  /**
   * Bits per dimension per nat of one image, 1 / (H W C ln 2), for a likelihood that is a mass over 8-bit pixel
   * values (the discretized {@code logistic}), whose -log p(x) in bits per dimension is the literature's unit for
   * natural images; 0 for the others, whose figures are densities or binary masses.
   */
  public double bitsPerDimPerNat() {
    return LOGISTIC.equals(likelihood) ? 1 / (imageSize() * Math.log(2)) : 0;
  }

  /** The card's name of the discretized logistic likelihood. */
  public static final String LOGISTIC = "logistic";

  /** A copy with more metrics (new values win). */
  public ModelCard withMetrics(Map<String, Double> more) {
    Map<String, Double> merged = new LinkedHashMap<>(metrics);
    merged.putAll(more);
    return new ModelCard(format, vae4jVersion, imageShape, latentDim, architecture, likelihood, model, dataset,
        scoreSamples, parameters, training, merged, created, evaluation);
  }

  /**
   * A copy whose test figures are one evaluation's: every earlier {@link #TEST_FIGURES} entry goes, {@code
   * measured} comes in, and {@code which} says where they come from.
   */
  public ModelCard withEvaluation(Map<String, Double> measured, Map<String, Object> which) {
    Map<String, Double> merged = new LinkedHashMap<>(metrics);
    merged.keySet().removeAll(TEST_FIGURES);
    merged.putAll(measured);
    return new ModelCard(format, vae4jVersion, imageShape, latentDim, architecture, likelihood, model, dataset,
        scoreSamples, parameters, training, merged, created, which);
  }

  /**
   * The card as {@code assets.extra/vae4j.json} holds it: JSON with snake_case names, ending in a newline; {@code
   * epochs} and {@code seed} repeated at the top level, and {@code evaluation} only when not empty.
   */
  public String toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", format);
    out.put("vae4j_version", vae4jVersion);
    out.put("image_shape", imageShape);
    out.put("latent_dim", latentDim);
    out.put("architecture", architecture);
    out.put("likelihood", likelihood);
    out.put("model", model);
    out.put("dataset", dataset);
    // repeated at the top level for readers that look there first; 'training' stays the full record
    out.put("epochs", training.get("epochs"));
    out.put("seed", training.get("seed"));
    out.put("score_samples", scoreSamples);
    out.put("parameters", parameters);
    out.put("training", training);
    out.put("metrics", metrics);
    if (!evaluation.isEmpty()) {
      out.put("evaluation", evaluation);
    }
    out.put("created", created);
    return Json.write(out) + "\n";
  }

  /**
   * Reads a card. {@code source} names the file in error messages.
   *
   * @throws IllegalArgumentException naming the source and the field when the card is malformed
   */
  public static ModelCard fromJson(String text, String source) {
    Map<String, Object> in;
    try {
      in = Json.parseObject(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " is not a valid model card: " + e.getMessage(), e);
    }
    Fields f = new Fields(in, source);
    List<Object> shape = f.list("image_shape");
    if (shape.size() != 3) {
      throw new IllegalArgumentException(source + ": image_shape must have 3 entries, found " + shape.size());
    }
    int[] imageShape = new int[3];
    for (int i = 0; i < 3; i++) {
      if (!(shape.get(i) instanceof Long n) || n < 1 || n > MAX_SIDE) {
        throw new IllegalArgumentException(source + ": image_shape must hold whole numbers from 1 to " + MAX_SIDE);
      }
      imageShape[i] = (int) (long) (Long) shape.get(i);
    }
    if ((long) imageShape[0] * imageShape[1] * imageShape[2] > MAX_IMAGE_SIZE) {
      throw new IllegalArgumentException(source + ": image_shape " + Arrays.toString(imageShape) + " describes"
          + " images of more than " + MAX_IMAGE_SIZE + " values");
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    f.map("metrics").forEach((k, v) -> {
      if (v instanceof Number n) {
        metrics.put(k, n.doubleValue());
      } else if (v != null) { // null is how a card writes a figure that was not finite
        throw new IllegalArgumentException(source + ": 'metrics." + Fields.printable(k) + "' must be a number,"
            + " found " + Fields.kind(v));
      }
    });
    return new ModelCard(
        f.integer("format", 1),
        f.string("vae4j_version"),
        imageShape,
        f.integer("latent_dim", 1),
        f.string("architecture"),
        f.string("likelihood"),
        f.optionalMap("model"),
        f.string("dataset"),
        f.integer("score_samples", 1),
        f.whole("parameters", 0, Long.MAX_VALUE),
        f.map("training"),
        metrics,
        f.string("created"),
        f.optionalMap("evaluation"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelCard c && toJson().equals(c.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "ModelCard" + Arrays.toString(imageShape) + " z=" + latentDim + " " + architecture + "/" + likelihood;
  }

  /**
   * Typed access to the card's fields, with messages that name the file and the field. Values are never coerced:
   * a field of the wrong JSON type, or a number out of its range, is refused.
   */
  private record Fields(Map<String, Object> in, String source) {
    Object required(String key) {
      if (!in.containsKey(key) || in.get(key) == null) {
        throw new IllegalArgumentException(source + ": the model card has no '" + key + "'");
      }
      return in.get(key);
    }

    String string(String key) {
      if (!(required(key) instanceof String v)) {
        throw wrong(key, "text");
      }
      return v;
    }

    /** A whole number from {@code min} to {@code max}, written without fraction or exponent. */
    long whole(String key, long min, long max) {
      Object v = required(key);
      if (!(v instanceof Long n) || n < min || n > max) {
        throw new IllegalArgumentException(source + ": '" + key + "' must be a whole number from " + min + " to "
            + max + ", found " + (v instanceof Number ? v : kind(v)));
      }
      return n;
    }

    /** A whole number of at least {@code min} that fits an int. */
    int integer(String key, int min) {
      return (int) whole(key, min, Integer.MAX_VALUE);
    }

    List<Object> list(String key) {
      if (!(required(key) instanceof List<?> l)) {
        throw wrong(key, "list");
      }
      return new ArrayList<>(l);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key) {
      if (!(required(key) instanceof Map<?, ?> m)) {
        throw wrong(key, "object");
      }
      return (Map<String, Object>) m;
    }

    /** An object that may be missing (or null): then empty. */
    Map<String, Object> optionalMap(String key) {
      return in.get(key) == null ? Map.of() : map(key);
    }

    private IllegalArgumentException wrong(String key, String expected) {
      return new IllegalArgumentException(source + ": '" + key + "' must be " + (expected.equals("object")
          ? "an " : "a ") + expected + ", found " + kind(in.get(key)));
    }

    /** A key as a message can show it on one line: control characters as '?', at most 40 characters. */
    static String printable(String key) {
      String shown = key.length() > 40 ? key.substring(0, 40) + "..." : key;
      return shown.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** What kind of JSON value this is, in words. */
    static String kind(Object v) {
      if (v instanceof String) {
        return "text";
      } else if (v instanceof Number) {
        return "a number";
      } else if (v instanceof Boolean) {
        return "true or false";
      } else if (v instanceof List) {
        return "a list";
      } else if (v instanceof Map) {
        return "an object";
      }
      return "null";
    }
  }
}
