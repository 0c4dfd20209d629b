package org.vae4j.contract;

/**
 * The names a vae4j SavedModel promises to TF Serving and to {@code org.vae4j.serve.Vae}: tag, method name,
 * signature keys, tensor keys and the model card's place. Changing any of them is a new {@code MODEL_FORMAT}.
 */
public final class Contract {
  private Contract() {}

  public static final String TAG = "serve";
  /** TF Serving's predict API accepts only signatures with this method name. */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  public static final String ENCODE = "encode";
  public static final String DECODE = "decode";
  public static final String RECONSTRUCT = "reconstruct";
  public static final String SAMPLE = "sample";
  public static final String SCORE = "score";
  /** Log importance weights for estimating log p(x); models with a likelihood only. */
  public static final String LOG_WEIGHTS = "log_weights";
  /** Answers requests that name no signature; the same as {@link #ENCODE}. */
  public static final String SERVING_DEFAULT = "serving_default";

  public static final String IMAGES = "images";
  public static final String LATENT = "latent";
  public static final String COUNT = "count";
  public static final String SEED = "seed";
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
  public static final String MEAN = "mean";
  public static final String STDDEV = "stddev";
  public static final String ELBO = "elbo";
  public static final String RECONSTRUCTION_LOG_LIKELIHOOD = "reconstruction_log_likelihood";
  public static final String KL = "kl";
  /** score outputs of models trained with --likelihood mse, which have no likelihood and so no ELBO. */
  public static final String LOSS = "loss";
  public static final String SQUARED_ERROR = "squared_error";

  /** The model card, relative to a version folder. */
  public static final String MODEL_CARD = "assets.extra/vae4j.json";
  public static final String SAVED_MODEL_FILE = "saved_model.pb";
}
