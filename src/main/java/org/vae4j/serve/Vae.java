package org.vae4j.serve;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.vae4j.VaeException;
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Contract;
import org.vae4j.contract.Given;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.Rows;
import org.vae4j.internal.tf.Tensors;

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
 * <p>A conditional model takes what it is conditioned on ({@link #conditioning()}) beside its images or codes, as
 * one {@link Given} value per call: the label of each row ({@link Given#labels}), a random-mask model's mask of
 * each image ({@link Given#masks}), or a partial-input model's observed inputs ({@link Given#observed}). The forms
 * without it are for models that take nothing beside the rows.
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

  /** The model card the export carries: what the model is, how it was trained, and its test figures. */
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

  /** Floats per latent code. */
  public int latentDim() {
    return latentDim;
  }

  /**
   * What the model is conditioned on: nothing, a label of {@code classes()} classes, or the pixels of each image it
   * observes. A partial-input model (a CVAE of p(Y | X), or its regressor baseline) reads X from the images it
   * encodes, reconstructs and scores, and is given observed inputs to {@link #decode(float[][], Given) decode},
   * {@link #sample(Given, long) sample} and {@link #complete complete}.
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

  /** The encoder's mean and stddev for each image (an unconditional model, or one with a fixed observation). */
  public Encoding encode(float[][] images) {
    return encode(images, Given.NONE);
  }

  /**
   * q(z|x, c) of each image, c what the model is conditioned on: {@link Given#labels the label} of each image for a
   * label-conditioned model, {@link Given#masks the mask} of each for a random-mask model (whose observed pixels
   * are the images' own), {@link Given#NONE} otherwise.
   */
  public Encoding encode(float[][] images, Given given) {
    Given.Feed feed = checkImages(images, given);
    List<float[][]> parts = runner.rows(Contract.ENCODE, Contract.IMAGES, images, feed, CHUNK,
        List.of(Contract.MEAN, Contract.STDDEV));
    return new Encoding(parts.get(0), parts.get(1));
  }

  /** Pixel means of the decoder for each latent code (an unconditional model). */
  public float[][] decode(float[][] latent) {
    return decode(latent, Given.NONE);
  }

  /**
   * Pixel means of p(x|z, c) for each code: with {@link Given#labels the label} of each for a label-conditioned
   * model, {@link Given#observed the observed input} X of each (and its mask, for a random-mask model) for a
   * partial-input model, which decodes p(Y | z, X) (a regressor ignores the codes).
   */
  public float[][] decode(float[][] latent, Given given) {
    Rows.check(latent, latentDim, "latent code", "latentDim() = " + latentDim, false);
    Given.Feed feed = given(given, Given.RowKind.CODES, latent.length, "latent code");
    return runner.rows(Contract.DECODE, Contract.LATENT, latent, feed, CHUNK, List.of(Contract.IMAGES)).get(0);
  }

  /**
   * {@code samplesPerInput} completions of each observed input X of a partial-input model ({@link Given#observed},
   * with each input's mask for a random-mask model): codes drawn from the prior N(0, I) decoded under X (pixel
   * means of p(Y | z, X)). Returns [input][sample][pixel]. A regressor gives its one prediction each time. The same
   * inputs, count and seed give the same completions.
   *
   * @throws IllegalArgumentException when the model does not observe part of its images, an input is not an
   *     image row in [0, 1], or more than {@link #MAX_SAMPLES} completions are asked for in all
   */
  public float[][][] complete(Given observed, int samplesPerInput, long seed) {
    requirePartial();
    if (observed == null) {
      throw new IllegalArgumentException("no observed inputs given (null): pass Given.observed(inputs"
          + (conditioning.masked() ? ", masks)" : ")"));
    }
    int inputs = Math.max(0, observed.count());
    if (samplesPerInput < 1 || (long) inputs * samplesPerInput > MAX_SAMPLES) {
      throw new IllegalArgumentException("samplesPerInput must be at least 1 and inputs x samplesPerInput at most "
          + MAX_SAMPLES + ", got " + samplesPerInput + " for " + inputs + " inputs");
    }
    Given.Feed feed = observedInputs(observed);
    return Completion.draw(runner, feed, samplesPerInput, seed);
  }

  /** Each image passed through the encoder mean and the decoder: decode(encode(x).mean). */
  public float[][] reconstruct(float[][] images) {
    return reconstruct(images, Given.NONE);
  }

  /** decode(encode(x, c).mean, c) of each image, c given as to {@link #encode(float[][], Given)}. */
  public float[][] reconstruct(float[][] images, Given given) {
    Given.Feed feed = checkImages(images, given);
    return runner.rows(Contract.RECONSTRUCT, Contract.IMAGES, images, feed, CHUNK, List.of(Contract.IMAGES))
        .get(0);
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
    /** {@code done} of {@code total} units of work (for {@link ElboScorer#importance}: decodings) are finished. */
    void update(long done, long total);
  }

  /**
   * Two estimates per image from the same {@code samples} importance weights w_k = p(x, z_k) / q(z_k|x), in nats.
   *
   * @param logLikelihood log of the mean of the w_k: the importance-sampled log p(x)
   * @param elbo the mean of the log w_k: the ELBO, from draws independent of other images' (unlike
   *     {@link ElboScorer#score}, whose fixed draws are shared by all images)
   */
  public record Importance(double[] logLikelihood, double[] elbo) {}

  /** The score signature's three per-image outputs, in the order of {@link ModelLoader#scoreOutputs}. */
  float[][] scoreColumns(float[][] images, Given given) {
    Given.Feed feed = checkImages(images, given);
    // score decodes every image scoreSamples times: smaller chunks keep the memory of one call bounded
    int chunk = Math.max(1, CHUNK / Math.max(1, card.scoreSamples()));
    List<float[][]> parts = runner.rows(Contract.SCORE, Contract.IMAGES, images, feed, chunk,
        ModelLoader.scoreOutputs(card));
    return new float[][] {Tensors.firstColumn(parts.get(0)), Tensors.firstColumn(parts.get(1)),
        Tensors.firstColumn(parts.get(2))};
  }

  /**
   * {@code count} images decoded from codes drawn from the prior N(0, I); the same seed gives the same samples.
   *
   * @throws IllegalArgumentException when count is negative or above {@link #MAX_SAMPLES}, or the model is
   *     conditioned on something (then {@link #sample(Given, long)})
   */
  public Samples sample(int count, long seed) {
    if (count < 0 || count > MAX_SAMPLES) {
      throw new IllegalArgumentException("count must be between 0 and " + MAX_SAMPLES + ", got " + count);
    }
    if (conditioning.labelled()) {
      throw new IllegalArgumentException("this model is conditioned on a label of " + conditioning.classes()
          + " classes: call sample(Given.labels(...), seed) with the label of each image to draw");
    }
    if (conditioning.partial()) {
      throw new IllegalArgumentException("this model completes observed inputs: call sample(Given.observed(...),"
          + " seed) or complete(...) with the observed input" + (conditioning.masked() ? " and mask" : "")
          + " of each image");
    }
    if (count == 0) {
      return locked(() -> new Samples(new float[0][imageSize], new float[0][latentDim]));
    }
    try (TInt32 n = TInt32.scalarOf(count);
        TInt64 s = TInt64.scalarOf(seed)) {
      return runner.sample(Map.of(Contract.COUNT, n, Contract.SEED, s), count);
    }
  }

  /**
   * One image per row of {@code given}, with the code it was decoded from (codes drawn from the prior N(0, I)):
   * one per {@link Given#labels label} from a label-conditioned model, one completion per {@link Given#observed
   * observed input} from a partial-input model (the {@code sample} signature as TF Serving answers it; {@link
   * #complete} draws several per input). The same inputs and seed give the same images.
   *
   * @throws IllegalArgumentException when the model is unconditional, the rows do not fit the model, or there are
   *     more than {@link #MAX_SAMPLES}
   */
  public Samples sample(Given given, long seed) {
    if (conditioning instanceof Conditioning.None) {
      throw new IllegalArgumentException("this model is not conditioned on anything: call sample(count, seed)");
    }
    int count = given == null ? -1 : given.count();
    if (count < 0 || count > MAX_SAMPLES) {
      throw new IllegalArgumentException("give between 0 and " + MAX_SAMPLES + " "
          + (conditioning.labelled() ? "labels" : "observed inputs") + ", got " + (count < 0 ? "none" : count));
    }
    Given.Feed feed = conditioning.partial() ? observedInputs(given) : given(given, Given.RowKind.CODES, count,
        "sample");
    if (count == 0) {
      return locked(() -> new Samples(new float[0][imageSize], new float[0][latentDim]));
    }
    if (conditioning.partial()) {
      return Completion.draw(runner, feed, seed);
    }
    try (TInt32 l = TInt32.vectorOf(feed.labels());
        TInt64 s = TInt64.scalarOf(seed)) {
      return runner.sample(Map.of(Contract.LABEL, l, Contract.SEED, s), count);
    }
  }

  private <T> T locked(Supplier<T> call) {
    return runner.locked(call);
  }

  /** Checks images and what is given with them; returns what the graph is fed. */
  Given.Feed checkImages(float[][] images, Given given) {
    Rows.check(images, imageSize, "image", Rows.imageRow(imageShape()), true);
    return given(given, Given.RowKind.IMAGES, images.length, "image");
  }

  private Given.Feed given(Given given, Given.RowKind kind, int count, String what) {
    if (given == null) {
      throw new IllegalArgumentException("given is null; pass Given.NONE when the model takes nothing beside the "
          + what + "s");
    }
    return given.check(conditioning, kind, count, what, imageShape());
  }

  /** The observed inputs of a partial-input model's completion, checked. */
  private Given.Feed observedInputs(Given observed) {
    requirePartial();
    return given(observed, Given.RowKind.CODES, Math.max(0, observed == null ? 0 : observed.count()), "input");
  }

  private void requirePartial() {
    if (!conditioning.partial()) {
      throw new IllegalArgumentException("this model does not complete images from observed pixels; it is "
          + (conditioning.labelled() ? "conditioned on a label" : "unconditional"));
    }
  }

  SignatureRunner runner() {
    return runner;
  }

  /** Frees the model; waits for calls in progress. */
  @Override
  public void close() {
    runner.close();
  }
}
