package org.vae4j.contract;

/**
 * The names a vae4j SavedModel promises to TF Serving and to {@code org.vae4j.serve.Vae}: tag, method name,
 * signature keys, tensor keys and the model card's place. Changing any of them is a new {@code MODEL_FORMAT}.
 */
public final class Contract {
  private Contract() {}

  /** The tag of the meta graph that a vae4j SavedModel serves. */
  public static final String TAG = "serve";
  /** TF Serving's predict API accepts only signatures with this method name. */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  /** The signature key that maps images to their posterior's mean and stddev. */
  public static final String ENCODE = "encode";
  /** The signature key that maps latent codes to the images they decode to. */
  public static final String DECODE = "decode";
  /** The signature key that maps images to their reconstructions, decoded from the posterior mean. */
  public static final String RECONSTRUCT = "reconstruct";
  /** The signature key that draws latent codes from the prior and decodes them, from a seed. */
  public static final String SAMPLE = "sample";
  /** The signature key that scores each image: its ELBO and the ELBO's terms, in nats (or loss and squared error). */
  public static final String SCORE = "score";
  /** Log importance weights for estimating log p(x); models with a likelihood only. */
  public static final String LOG_WEIGHTS = "log_weights";
  /** Answers requests that name no signature; the same as {@link #ENCODE}. */
  public static final String SERVING_DEFAULT = "serving_default";

  /** The tensor name of images, float [-1, H, W, C] of values in [0, 1]: an input or an output. */
  public static final String IMAGES = "images";
  /** The tensor name of latent codes, float [-1, latent size]: decode's input and sample's output. */
  public static final String LATENT = "latent";
  /** The tensor name of how many images sample draws, an int32 scalar (models without a label or condition). */
  public static final String COUNT = "count";
  /** The tensor name of the random seed of sample and log_weights, an int64 scalar. */
  public static final String SEED = "seed";
  /** The tensor name of log_weights' importance samples per image, an int32 scalar. */
  public static final String SAMPLES = "samples";
  /** A conditional model's class labels, int32 [-1]: an input of every signature. */
  public static final String LABEL = "label";
  /** A partial-input model's observed inputs (decode, sample): images whose unobserved positions are ignored. */
  public static final String CONDITION = "condition";
  /**
   * A random-mask model's masks of observed pixels, float [-1, H, W, C] of 0 and 1: an input of every signature,
   * one per image (or per observed input of decode and sample).
   */
  public static final String MASK = "mask";
  /** The tensor name of encode's posterior means, float [-1, latent size]. */
  public static final String MEAN = "mean";
  /** The tensor name of encode's posterior standard deviations, float [-1, latent size]. */
  public static final String STDDEV = "stddev";
  /** The tensor name of score's evidence lower bound of each image in nats, float [-1]. */
  public static final String ELBO = "elbo";
  /** The tensor name of score's expected log-likelihood of each image given its latent code, in nats, float [-1]. */
  public static final String RECONSTRUCTION_LOG_LIKELIHOOD = "reconstruction_log_likelihood";
  /** The tensor name of score's KL divergence of each image's posterior from the prior in nats, float [-1]. */
  public static final String KL = "kl";
  /** score outputs of models trained with --likelihood mse, which have no likelihood and so no ELBO. */
  public static final String LOSS = "loss";
  /** The tensor name of score's squared reconstruction error of each image, float [-1]; mse models only. */
  public static final String SQUARED_ERROR = "squared_error";

  /** The model card, relative to a version folder. */
  public static final String MODEL_CARD = "assets.extra/vae4j.json";
  /** The SavedModel's graph file, relative to a version folder. */
  public static final String SAVED_MODEL_FILE = "saved_model.pb";
}
