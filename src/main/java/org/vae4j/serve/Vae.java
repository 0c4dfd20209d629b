package org.vae4j.serve;

import org.vae4j.contract.Conditioning;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.tf.Tensors;

/**
 * A trained VAE loaded from a vae4j SavedModel, for use inside a JVM application.
 *
 * <p>Images are {@code float[]} rows of height x width x channels values in [0, 1] (row-major, channels last, the
 * layout of the model's {@code image_shape}); latent codes are {@code float[]} rows of {@code latentDim()} values.
 *
 * <p>One instance may be shared by any number of threads. {@link #close()} waits for calls in progress, and later
 * calls fail with {@link IllegalStateException} instead of touching freed native memory. Bad input fails with an
 * {@link IllegalArgumentException} that says what was expected, before any tensor is made.
 *
 * <p>A conditional model takes what it is conditioned on beside its images or codes: {@code int[] labels} (a
 * label-conditioned model) or {@code boolean[][] masks} (a random-mask model), in overloads of the same name.
 * An unconditional model takes the forms without them (a literal {@code null} in their place is ambiguous
 * between the two overloads and does not compile).
 *
 * <p>This class depends only on the SavedModel contract ({@link Contract}, {@link ModelCard}), never on training
 * code.
 */
public final class Vae implements AutoCloseable {
  /** Images per TensorFlow call; larger inputs are split, which bounds memory and gives the same results. */
  static final int CHUNK = 256;
  /** The most samples one {@link #sample} call returns. */
  public static final int MAX_SAMPLES = 10_000;
  /** Decodings per TensorFlow call of {@link #logLikelihood}: bounds its memory whatever K is. */
  static final int IMPORTANCE_BATCH = 2048;
  /** The most importance samples per image accepted. */
  public static final int MAX_IMPORTANCE_SAMPLES = 1_000_000;

  private final Path path;
  private final ModelCard card;
  private final SignatureRunner runner;
  private final int height;
  private final int width;
  private final int channels;
  private final int imageSize;
  private final int latentDim;
  private final Scorer scorer;
  private final int classes;
  private final Conditioning conditioning;

  private Vae(Path path, ModelCard card, org.tensorflow.SavedModelBundle bundle, Conditioning conditioning) {
    this.path = path;
    this.card = card;
    int[] shape = card.imageShape();
    height = shape[0];
    width = shape[1];
    channels = shape[2];
    imageSize = card.imageSize();
    latentDim = card.latentDim();
    runner = new SignatureRunner(bundle, shape, latentDim);
    this.conditioning = conditioning;
    this.classes = conditioning.classes();
    scorer = ModelLoader.isMse(card) ? new LossScorer(this) : new ElboScorer(this);
  }

  /** Loads a version folder, or the highest version under a base folder, untrusted, TensorFlow placing it. */
  public static Vae load(Path path) {
    return load(path, VaeOptions.defaults());
  }

  /**
   * Loads a version folder, or the highest version under a base folder.
   *
   * @throws VaeException when the folder holds no vae4j SavedModel, the model card is invalid or from a newer
   *     vae4j, the weights are missing or broken, a signature of the contract is missing or differs from the
   *     card, or an untrusted graph holds ops that reach outside the model (see {@link VaeOptions#trusted()})
   */
  public static Vae load(Path path, VaeOptions options) {
    ModelLoader.Loaded m = ModelLoader.load(path, options);
    return new Vae(m.version(), m.card(), m.bundle(), m.conditioning());
  }

  /** The version folder this model was loaded from. */
  public Path path() {
    return path;
  }

  public ModelCard card() {
    return card;
  }

  /** [height, width, channels]. */
  public int[] imageShape() {
    return new int[] {height, width, channels};
  }

  /** Floats per image row. */
  public int imageSize() {
    return imageSize;
  }

  public int latentDim() {
    return latentDim;
  }

  /**
   * The number of classes of a label-conditioned model (a CVAE), whose calls take one label in [0, classes) per
   * image or code; 0 for an unconditional model, whose calls take none.
   */
  public int classes() {
    return classes;
  }

  public boolean conditional() {
    return classes > 0;
  }

  /**
   * What the model is conditioned on: nothing, a label, or the pixels of each image it observes. A
   * partial-input model (a CVAE of p(Y | X), or its regressor baseline) reads X from the images it encodes,
   * reconstructs and scores, and takes observed inputs to {@link #complete} and {@link #decodePartial}.
   */
  public Conditioning conditioning() {
    return conditioning;
  }

  /** The signatures the SavedModel declares, sorted by key. */
  public List<SignatureInfo> signatures() {
    return locked(runner::signatureInfos);
  }

  /** q(z|x) of each image. */
  public record Encoding(float[][] mean, float[][] stddev) {}

  /** Images drawn from the model and the latent codes they were decoded from. */
  public record Samples(float[][] images, float[][] latent) {}

  /**
   * Per-image scores in nats: {@code elbo = reconstructionLogLikelihood - kl}, averaged over the model's fixed
   * noise draws, so the same image always gets the same score.
   */
  public record Scores(float[] elbo, float[] reconstructionLogLikelihood, float[] kl) {}

  /** The encoder's mean and stddev for each image (an unconditional model). */
  public Encoding encode(float[][] images) {
    return encode(images, null, null);
  }

  /**
   * q(z|x, label) of each image: a conditional model takes one label per image ({@code null} for an
   * unconditional model).
   */
  public Encoding encode(float[][] images, int[] labels) {
    return encode(images, labels, null);
  }

  /**
   * q(z|Y, X) of each image Y of a random-mask model, X its values where its mask (one per image, a flag per
   * value) is true.
   */
  public Encoding encode(float[][] images, boolean[][] masks) {
    return encode(images, null, masks);
  }

  private Encoding encode(float[][] images, int[] labels, boolean[][] masks) {
    checkImages(images);
    float[][] m = checkMasks(masks, images.length, "image");
    checkLabels(labels, images.length, "image");
    List<float[][]> parts = runner.rows(Contract.ENCODE, Contract.IMAGES, images, labels, null, m, CHUNK,
        List.of(Contract.MEAN, Contract.STDDEV));
    return new Encoding(parts.get(0), parts.get(1));
  }

  /** Pixel means of the decoder for each latent code (an unconditional model). */
  public float[][] decode(float[][] latent) {
    return decode(latent, null);
  }

  /** Pixel means of p(x|z, label) for each code and its label ({@code null} for an unconditional model). */
  public float[][] decode(float[][] latent, int[] labels) {
    Inputs.checkRows(latent, latentDim, "latent code", "latentDim() = " + latentDim, false);
    checkLabels(labels, latent.length, "latent code");
    Inputs.refusePartial(conditioning, "decodePartial(latent, partials)",
        "decodePartial(latent, partials, masks)");
    return runner.rows(Contract.DECODE, Contract.LATENT, latent, labels, null, null, CHUNK,
        List.of(Contract.IMAGES)).get(0);
  }

  /**
   * Pixel means of p(Y | z, X) of a partial-input model for each code and its observed input X (an image row
   * whose observed positions are read, the others ignored). A regressor ignores the codes.
   */
  public float[][] decodePartial(float[][] latent, float[][] partials) {
    return decodePartial(latent, partials, null);
  }

  /** The same for a random-mask model, with the mask of each observed input (a flag per value). */
  public float[][] decodePartial(float[][] latent, float[][] partials, boolean[][] masks) {
    Inputs.checkRows(latent, latentDim, "latent code", "latentDim() = " + latentDim, false);
    checkPartials(partials, latent.length, "latent code");
    float[][] m = checkMasks(masks, latent.length, "latent code");
    return runner.rows(Contract.DECODE, Contract.LATENT, latent, null, partials, m, CHUNK,
        List.of(Contract.IMAGES)).get(0);
  }

  /**
   * {@code samplesPerInput} completions of each observed input X of a partial-input model: codes drawn from the
   * prior N(0, I) decoded under X (pixel means of p(Y | z, X)). Returns [input][sample][pixel]. A regressor gives
   * its one prediction each time. The same inputs, count and seed give the same completions.
   *
   * @throws IllegalArgumentException when the model does not observe part of its images, an input is not an
   *     image row in [0, 1], or more than {@link #MAX_SAMPLES} completions are asked for in all
   */
  public float[][][] complete(float[][] partials, int samplesPerInput, long seed) {
    return complete(partials, null, samplesPerInput, seed);
  }

  /**
   * The same for a random-mask model: the observed values of each input are those its mask (a flag per value)
   * marks true.
   */
  public float[][][] complete(float[][] partials, boolean[][] masks, int samplesPerInput, long seed) {
    Inputs.requirePartial(conditioning);
    if (samplesPerInput < 1 || partials != null && (long) partials.length * samplesPerInput > MAX_SAMPLES) {
      throw new IllegalArgumentException("samplesPerInput must be at least 1 and inputs x samplesPerInput at most "
          + MAX_SAMPLES + ", got " + samplesPerInput + (partials == null ? "" : " for " + partials.length
          + " inputs"));
    }
    checkPartials(partials, partials == null ? 0 : partials.length, "input");
    float[][] m = checkMasks(masks, partials.length, "input");
    return Completion.draw(runner, partials, m, samplesPerInput, seed, imageShape());
  }

  /** Each image passed through the encoder mean and the decoder: decode(encode(x).mean). */
  public float[][] reconstruct(float[][] images) {
    return reconstruct(images, null, null);
  }

  /** decode(encode(x, label).mean, label) of each image ({@code null} labels for an unconditional model). */
  public float[][] reconstruct(float[][] images, int[] labels) {
    return reconstruct(images, labels, null);
  }

  /** The same for a random-mask model, with each image's mask (a flag per value). */
  public float[][] reconstruct(float[][] images, boolean[][] masks) {
    return reconstruct(images, null, masks);
  }

  private float[][] reconstruct(float[][] images, int[] labels, boolean[][] masks) {
    checkImages(images);
    float[][] m = checkMasks(masks, images.length, "image");
    checkLabels(labels, images.length, "image");
    return runner.rows(Contract.RECONSTRUCT, Contract.IMAGES, images, labels, null, m, CHUNK,
        List.of(Contract.IMAGES)).get(0);
  }

  /**
   * Per-image squared error + KL of a model trained with {@code --likelihood mse}: a loss, not a likelihood.
   *
   * @param loss squaredError + kl
   */
  public record SquaredErrors(float[] loss, float[] squaredError, float[] kl) {}

  /** Whether the model has a likelihood (and so an ELBO): false for models trained with mse. */
  public boolean hasLikelihood() {
    return scorer instanceof ElboScorer;
  }

  /**
   * How this model scores images, decided at load from its card and checked against its score signature: an
   * {@link ElboScorer} for models with a likelihood, a {@link LossScorer} for models trained with mse.
   */
  public Scorer scorer() {
    return scorer;
  }

  /** The ELBO and log-likelihood calls, present when the model has a likelihood. */
  public Optional<ElboScorer> likelihood() {
    return scorer instanceof ElboScorer e ? Optional.of(e) : Optional.empty();
  }

  /** The loss calls, present when the model was trained with mse. */
  public Optional<LossScorer> loss() {
    return scorer instanceof LossScorer l ? Optional.of(l) : Optional.empty();
  }

  /** Hears how far a long call has come. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of {@code total} units of work (for {@link #logLikelihood}: decodings) are finished. */
    void update(long done, long total);
  }

  /**
   * Two estimates per image from the same {@code samples} importance weights w_k = p(x, z_k) / q(z_k|x), in nats.
   *
   * @param logLikelihood log of the mean of the w_k: the importance-sampled log p(x)
   * @param elbo the mean of the log w_k: the ELBO, from draws independent of other images' (unlike
   *     {@link #score}, whose fixed draws are shared by all images)
   */
  public record Importance(double[] logLikelihood, double[] elbo) {}

  /** The score signature's three per-image outputs, in the order of {@link #scoreOutputs}. */
  float[][] scoreColumns(float[][] images, int[] labels, boolean[][] masks) {
    checkImages(images);
    float[][] m = checkMasks(masks, images.length, "image");
    checkLabels(labels, images.length, "image");
    // score decodes every image scoreSamples times: smaller chunks keep the memory of one call bounded
    int chunk = Math.max(1, CHUNK / Math.max(1, card.scoreSamples()));
    List<float[][]> parts = runner.rows(Contract.SCORE, Contract.IMAGES, images, labels, null, m, chunk,
        ModelLoader.scoreOutputs(card));
    return new float[][] {Tensors.firstColumn(parts.get(0)), Tensors.firstColumn(parts.get(1)),
        Tensors.firstColumn(parts.get(2))};
  }

  /**
   * {@code count} images decoded from codes drawn from the prior N(0, I); the same seed gives the same samples.
   *
   * @throws IllegalArgumentException when count is negative or above {@link #MAX_SAMPLES}
   */
  public Samples sample(int count, long seed) {
    if (count < 0 || count > MAX_SAMPLES) {
      throw new IllegalArgumentException("count must be between 0 and " + MAX_SAMPLES + ", got " + count);
    }
    if (classes > 0) {
      throw new IllegalArgumentException("this model is conditioned on a label of " + classes + " classes:"
          + " call sample(labels, seed) with the label of each image to draw");
    }
    Inputs.refusePartial(conditioning, "complete(partials, samplesPerInput, seed)",
        "complete(partials, masks, samplesPerInput, seed)");
    if (count == 0) {
      return locked(() -> new Samples(new float[0][imageSize], new float[0][latentDim]));
    }
    try (TInt32 n = TInt32.scalarOf(count);
        TInt64 s = TInt64.scalarOf(seed)) {
      return runner.sample(Map.of(Contract.COUNT, n, Contract.SEED, s), count);
    }
  }

  /**
   * One image per label from a label-conditioned model: codes drawn from the prior N(0, I) (whatever the label)
   * decoded under their label. The same labels and seed give the same images.
   *
   * @throws IllegalArgumentException when the model is unconditional, a label is outside [0, classes()), or
   *     there are more than {@link #MAX_SAMPLES} labels
   */
  public Samples sample(int[] labels, long seed) {
    if (classes == 0) {
      throw new IllegalArgumentException("this model is not conditioned on a label: call sample(count, seed)");
    }
    if (labels == null || labels.length > MAX_SAMPLES) {
      throw new IllegalArgumentException("give between 0 and " + MAX_SAMPLES + " labels, got "
          + (labels == null ? "null" : labels.length));
    }
    checkLabels(labels, labels.length, "sample");
    if (labels.length == 0) {
      return locked(() -> new Samples(new float[0][imageSize], new float[0][latentDim]));
    }
    try (TInt32 l = TInt32.vectorOf(labels);
        TInt64 s = TInt64.scalarOf(seed)) {
      return runner.sample(Map.of(Contract.LABEL, l, Contract.SEED, s), labels.length);
    }
  }

  /**
   * One completion of each observed input of a partial-input model, with the prior code it was decoded from: the
   * {@code sample} signature of such a model as TF Serving answers it ({@link #complete} draws several per input).
   * Masks go with a random-mask model's inputs, null for other models.
   */
  public Samples sample(float[][] partials, boolean[][] masks, long seed) {
    Inputs.requirePartial(conditioning);
    if (partials == null || partials.length > MAX_SAMPLES) {
      throw new IllegalArgumentException("give between 0 and " + MAX_SAMPLES + " observed inputs, got "
          + (partials == null ? "null" : partials.length));
    }
    checkPartials(partials, partials.length, "input");
    float[][] m = checkMasks(masks, partials.length, "input");
    if (partials.length == 0) {
      return locked(() -> new Samples(new float[0][imageSize], new float[0][latentDim]));
    }
    return Completion.draw(runner, partials, m, seed, imageShape());
  }

  private <T> T locked(Supplier<T> call) {
    return runner.locked(call);
  }

  void checkImages(float[][] images) {
    Inputs.checkRows(images, imageSize, "image",
        height + "x" + width + "x" + channels + " = " + imageSize + " values in [0, 1]", true);
  }

  void checkLabels(int[] labels, int count, String what) {
    Inputs.checkLabels(labels, count, what, classes);
  }

  /** A random-mask model's masks as the 0/1 rows its signatures take, checked; null for other models. */
  float[][] checkMasks(boolean[][] masks, int count, String what) {
    return Inputs.checkMasks(masks, conditioning, count, what, imageSize);
  }

  SignatureRunner runner() {
    return runner;
  }

  private void checkPartials(float[][] partials, int count, String what) {
    Inputs.requirePartial(conditioning);
    checkImages(partials);
    if (partials.length != count) {
      throw new IllegalArgumentException(partials.length + " observed inputs for " + count + " " + what
          + "s; give one per " + what);
    }
  }

  /** Frees the model; waits for calls in progress. */
  @Override
  public void close() {
    runner.close();
  }
}
