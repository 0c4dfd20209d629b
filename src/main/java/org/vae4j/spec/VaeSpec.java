package org.vae4j.spec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vae4j.VaeException;
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Observation;

/**
 * Everything that decides the shape of a VAE's graph. Training options live in {@code TrainConfig}; this record
 * is what the inference graph and the model card need.
 *
 * @param image the images the model reads and writes
 * @param latentDim size of the latent code z (1 and up)
 * @param architecture encoder and decoder family
 * @param hidden the MLP's hidden layer sizes, encoder order (the decoder mirrors them); empty for conv
 * @param stddev how the encoder's second head becomes a stddev
 * @param likelihood the decoder's distribution p(x|z)
 * @param sigma the fixed pixel stddev of the {@code gaussian} likelihood (ignored by the others)
 * @param conditioning what the model is conditioned on: nothing; a label (a CVAE), whose one-hot code enters the
 *     encoder (beside the image's features) and the decoder (beside z); or the pixels X an observation names of
 *     each image Y (a partial-input CVAE of p(Y | X)), whose values enter the same places, or as a regressor the
 *     decoder network without z, trained as a deterministic regressor of Y on X (the tutorial's baseline; it has
 *     no encoder, and its latent code is the point 0)
 * @param convStack the conv architecture's stack of levels and its dense layer ({@link ConvStack#defaultFor the
 *     image's default} when null; null for mlp)
 */
public record VaeSpec(ImageShape image, int latentDim, Architecture architecture, int[] hidden,
    StddevParameterization stddev, Likelihood likelihood, float sigma, Conditioning conditioning,
    ConvStack convStack) {
  /** Largest latent size accepted: far beyond any use, small enough to catch typos. */
  public static final int MAX_LATENT = 4096;
  /** Largest hidden layer size accepted. */
  public static final int MAX_HIDDEN = 65_536;
  /** The MLP of the classic VAE examples. */
  public static final int[] DEFAULT_HIDDEN = {512, 256};
  /** The pixel stddev of the {@code gaussian} likelihood unless told otherwise. */
  public static final float DEFAULT_SIGMA = 0.1f;
  /** Far below any pixel noise, far above where sigma^2 underflows in float32. */
  public static final float MIN_SIGMA = 1e-4f;
  /** The most classes a label-conditioned model takes: {@link Conditioning#MAX_CLASSES}. */
  public static final int MAX_CLASSES = Conditioning.MAX_CLASSES;

  /** A model of the image's default conv stack (for conv). */
  public VaeSpec(ImageShape image, int latentDim, Architecture architecture, int[] hidden,
      StddevParameterization stddev, Likelihood likelihood, float sigma, Conditioning conditioning) {
    this(image, latentDim, architecture, hidden, stddev, likelihood, sigma, conditioning, null);
  }

  /** An unconditional model. */
  public VaeSpec(ImageShape image, int latentDim, Architecture architecture, int[] hidden,
      StddevParameterization stddev, Likelihood likelihood, float sigma) {
    this(image, latentDim, architecture, hidden, stddev, likelihood, sigma, Conditioning.NONE);
  }

  /** A label-conditioned model ({@code classes} > 0) or an unconditional one (0). */
  public VaeSpec(ImageShape image, int latentDim, Architecture architecture, int[] hidden,
      StddevParameterization stddev, Likelihood likelihood, float sigma, int classes) {
    this(image, latentDim, architecture, hidden, stddev, likelihood, sigma, Conditioning.label(classes));
  }

  /**
   * Checks the settings against each other, keeps a copy of the hidden sizes (none for conv), and reads a null
   * conditioning as {@link Conditioning#NONE}.
   *
   * @throws VaeException naming the setting when latentDim is not 1 to {@link #MAX_LATENT}, the image does not fit
   *     the architecture, an MLP has no hidden layer or one outside 1 to {@link #MAX_HIDDEN}, or the sigma of the
   *     {@code gaussian} likelihood is not {@link #MIN_SIGMA} to 1000
   */
  public VaeSpec {
    if (latentDim < 1 || latentDim > MAX_LATENT) {
      throw VaeException.setting("latentDim must be between 1 and " + MAX_LATENT + ", got " + latentDim, "latentDim");
    }
    architecture.check(image);
    hidden = architecture == Architecture.MLP ? hidden.clone() : new int[0];
    if (architecture == Architecture.MLP && hidden.length == 0) {
      throw VaeException.setting("hidden needs at least one layer size for the mlp architecture", "hidden");
    }
    for (int h : hidden) {
      if (h < 1 || h > MAX_HIDDEN) {
        throw VaeException.setting("hidden sizes must be between 1 and " + MAX_HIDDEN + ", got " + h, "hidden");
      }
    }
    if (likelihood == Likelihood.GAUSSIAN && !(sigma >= MIN_SIGMA && sigma <= 1000)) {
      throw VaeException.setting("sigma must be between " + MIN_SIGMA + " and 1000, got " + sigma, "sigma");
    }
    if (conditioning == null) {
      conditioning = Conditioning.NONE;
    }
    if (architecture == Architecture.CONV) {
      convStack = convStack == null ? ConvStack.defaultFor(image) : convStack;
      convStack.check(image);
    } else {
      convStack = null;
    }
  }

  /**
   * Bits per dimension per nat of one image, 1 / (H W C ln 2), for a likelihood over 8-bit values ({@link
   * Likelihood#isDiscrete()}); 0 for the others.
   */
  public double bitsPerDimPerNat() {
    return likelihood.isDiscrete() ? 1 / (image.size() * Math.log(2)) : 0;
  }

  /** The number of classes of a label-conditioned model, else 0. */
  public int classes() {
    return conditioning.classes();
  }

  /** The observed pixels of a partial-input model, else null. */
  public Observation observe() {
    return conditioning.observe();
  }

  /** Whether a partial-input model is the regressor baseline. */
  public boolean regressor() {
    return conditioning.regressor();
  }

  /** Whether the model is conditioned on a label. */
  public boolean labelled() {
    return conditioning.labelled();
  }

  /** Whether the model is conditioned on observed pixels (a partial-input CVAE, or its regressor baseline). */
  public boolean partial() {
    return conditioning.partial();
  }

  /** Whether each image comes with its own mask of observed pixels (a random-mask model). */
  public boolean masked() {
    return conditioning.masked();
  }

  /**
   * The width of the condition row the networks read: classes, the observed values (for a random-mask model the
   * masked image and its mask, twice the image size), or 0.
   */
  public int conditionWidth() {
    return conditioning.width(image.height(), image.width(), image.channels());
  }

  /** The conv model with a Bernoulli decoder, the design this project started from. */
  public static VaeSpec conv(ImageShape image, int latentDim) {
    return new VaeSpec(image, latentDim, Architecture.CONV, new int[0], StddevParameterization.SOFTPLUS,
        Likelihood.BERNOULLI, DEFAULT_SIGMA);
  }

  /** The classic MLP VAE: the given hidden sizes, log-variance head, Bernoulli decoder. */
  public static VaeSpec mlp(ImageShape image, int latentDim, int... hidden) {
    return new VaeSpec(image, latentDim, Architecture.MLP, hidden, StddevParameterization.EXP,
        Likelihood.BERNOULLI, DEFAULT_SIGMA);
  }

  /** The MLP's hidden layer sizes, encoder order (a copy; empty for conv). */
  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  /** The same model with likelihood {@code l} and, for {@code gaussian}, pixel stddev {@code s}. */
  public VaeSpec withLikelihood(Likelihood l, float s) {
    return new VaeSpec(image, latentDim, architecture, hidden, stddev, l, s, conditioning, convStack);
  }

  /** The same model with stddev parameterization {@code s}. */
  public VaeSpec withStddev(StddevParameterization s) {
    return new VaeSpec(image, latentDim, architecture, hidden, s, likelihood, sigma, conditioning, convStack);
  }

  /**
   * The same conv model with this stack (null: the image's default).
   *
   * @throws VaeException naming {@code convChannels} when the model is an mlp or the image's sides do not
   *     divide by 2 to the power of the stack's levels
   */
  public VaeSpec withConvStack(ConvStack s) {
    if (architecture != Architecture.CONV && s != null) {
      throw VaeException.setting("convChannels applies only to the conv architecture", "convChannels");
    }
    return new VaeSpec(image, latentDim, architecture, hidden, stddev, likelihood, sigma, conditioning, s);
  }

  /** The same model conditioned on a label of {@code n} classes (0: no label). */
  public VaeSpec withClasses(int n) {
    if (n == 0) {
      return conditioning.labelled() ? withConditioning(Conditioning.NONE) : this;
    }
    refuseBoth();
    return withConditioning(Conditioning.label(n));
  }

  /**
   * The same model conditioned on the pixels {@code o} observes (null: none), as a CVAE or, with {@code
   * asRegressor}, as the deterministic regressor of the same decoder network.
   */
  public VaeSpec withObservation(Observation o, boolean asRegressor) {
    if (o == null && !asRegressor) {
      return conditioning.partial() ? withConditioning(Conditioning.NONE) : this;
    }
    if (conditioning.labelled()) {
      throw VaeException.setting("a model is conditioned on a label or on observed pixels, not both", "classes",
          "observe");
    }
    return withConditioning(Conditioning.partial(o, asRegressor));
  }

  /** The same model with this conditioning. */
  public VaeSpec withConditioning(Conditioning c) {
    return new VaeSpec(image, latentDim, architecture, hidden, stddev, likelihood, sigma, c, convStack);
  }

  private void refuseBoth() {
    if (conditioning.partial()) {
      throw VaeException.setting("a model is conditioned on a label or on observed pixels, not both", "classes",
          "observe");
    }
  }

  /** The architecture-specific fields, as the model card's "model" section records them. */
  public Map<String, Object> details() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (architecture == Architecture.MLP) {
      m.put("hidden", hidden.clone());
    } else {
      m.putAll(convStack.cardFields());
    }
    m.put("stddev", stddev.label());
    if (likelihood == Likelihood.GAUSSIAN) {
      m.put("sigma", Double.parseDouble(Float.toString(sigma)));
    }
    m.putAll(conditioning.cardFields());
    return m;
  }

  /**
   * The spec as a run's spec.json and the model card record it: image shape, latent size, architecture, likelihood
   * and the {@link #details()}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("image_shape", image.toArray());
    m.put("latent_dim", latentDim);
    m.put("architecture", architecture.label());
    m.put("likelihood", likelihood.label());
    m.putAll(details());
    return m;
  }

  /**
   * Reads back {@link #toMap()} (a run's spec.json).
   *
   * @throws VaeException naming the missing or malformed field
   */
  public static VaeSpec fromMap(Map<String, Object> m, String source) {
    try {
      java.util.List<?> shape = (java.util.List<?>) require(m, "image_shape", source);
      ImageShape image = new ImageShape(((Number) shape.get(0)).intValue(), ((Number) shape.get(1)).intValue(),
          ((Number) shape.get(2)).intValue());
      Architecture architecture = Architecture.parse(String.valueOf(require(m, "architecture", source)));
      int[] hidden = new int[0];
      if (m.get("hidden") instanceof java.util.List<?> list) {
        hidden = list.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
      }
      StddevParameterization stddev = m.containsKey("stddev") ? StddevParameterization.parse(String.valueOf(
          m.get("stddev"))) : architecture.defaultStddev();
      float sigma = m.get("sigma") instanceof Number n ? n.floatValue() : DEFAULT_SIGMA;
      return new VaeSpec(image, ((Number) require(m, "latent_dim", source)).intValue(), architecture, hidden,
          stddev, Likelihood.parse(String.valueOf(require(m, "likelihood", source))), sigma,
          Conditioning.fromFields(m, source, "the spec's"), architecture == Architecture.CONV
              ? ConvStack.fromFields(m, source) : null);
    } catch (ClassCastException | IndexOutOfBoundsException e) {
      throw new VaeException(source + " has a malformed model description: " + e.getMessage(), e);
    }
  }

  private static Object require(Map<String, Object> m, String key, String source) {
    Object v = m.get(key);
    if (v == null) {
      throw new VaeException(source + " has no '" + key + "'");
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VaeSpec s && image.equals(s.image) && latentDim == s.latentDim
        && architecture == s.architecture && Arrays.equals(hidden, s.hidden) && stddev == s.stddev
        && likelihood == s.likelihood && Float.compare(sigma, s.sigma) == 0 && conditioning.equals(s.conditioning)
        && java.util.Objects.equals(convStack, s.convStack);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hidden) * 31 + java.util.Objects.hash(image, latentDim, architecture, stddev,
        likelihood, sigma, conditioning, convStack);
  }

  @Override
  public String toString() {
    return architecture.label() + (hidden.length > 0 ? " " + Arrays.toString(hidden) : "")
        + (convStack != null ? " " + Arrays.toString(convStack.channels()) + (convStack.extra() ? " + 3x3" : "")
        + (convStack.dense() != ConvStack.DEFAULT_DENSE ? " dense " + convStack.dense() : "") : "") + " VAE, z="
        + latentDim + ", " + likelihood.label() + (likelihood == Likelihood.GAUSSIAN ? " (sigma " + sigma + ")" : "")
        + ", " + stddev.label() + " stddev" + describe();
  }

  private String describe() {
    Observation observe = conditioning.observe();
    if (conditioning.labelled()) {
      return ", conditioned on a label of " + conditioning.classes() + " classes";
    }
    if (observe == null) {
      return "";
    }
    return (conditioning.regressor() ? ", a regressor of the image on its " : ", conditioned on its ")
        + observe.label() + (observe.fixed() ? " (" + observe.count(image.height(), image.width(), image.channels())
        + " observed values)" : " (a mask per image)");
  }
}
