package org.vae4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.vae4j.VaeException;
import org.vae4j.Version;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.ModelPaths;
import org.vae4j.tf.Device;
import org.vae4j.tf.Sessions;
import org.vae4j.util.SafeFiles;

/**
 * Loads a vae4j SavedModel and checks it against its card and the contract before anyone calls it: the card
 * first (bounded, typed), the weights' index, the trust check on the graph before TensorFlow sees it, TensorFlow's
 * load, then every signature's names and shapes.
 */
final class ModelLoader {
  private ModelLoader() {}

  /** A loaded, checked model and what it is conditioned on. */
  record Loaded(Path version, ModelCard card, SavedModelBundle bundle, Conditioning conditioning) {}

  /**
   * Loads a version folder, or the highest version under a base folder.
   *
   * @throws VaeException when the folder holds no vae4j SavedModel, the model card is invalid or from a newer
   *     vae4j, the weights are missing or broken, a signature of the contract is missing or differs from the
   *     card, or an untrusted graph holds ops that reach outside the model
   */
  static Loaded load(Path path, VaeOptions options) {
    Path version = ModelPaths.resolveVersion(path);
    ModelCard card = readCard(version);
    Conditioning conditioning = Conditioning.of(card, version);
    if (card.format() > Version.MODEL_FORMAT) {
      throw new VaeException(version + " was written by vae4j " + card.vae4jVersion() + " in model format "
          + card.format() + "; this vae4j reads format " + Version.MODEL_FORMAT + " and older: upgrade vae4j");
    }
    if (!Files.isRegularFile(version.resolve(VARIABLES_INDEX))) {
      // TensorFlow would load the graph without weights and fail at the first call
      throw new VaeException(version + " has no " + VARIABLES_INDEX + ": the model's weights are missing");
    }
    if (!options.trusted()) {
      // TensorFlow reads a split graph (saved_model.cpb) in place of saved_model.pb when there is one: the check
      // below would look at the wrong file
      for (String other : List.of("saved_model.cpb", "saved_model.pbtxt")) {
        if (Files.exists(version.resolve(other))) {
          throw VaeException.setting(version + " holds " + other + ", which TensorFlow would load instead of the"
              + " checked saved_model.pb; vae4j exports never write one (trusted loads it anyway)", "trusted");
        }
      }
      Path file = version.resolve(Contract.SAVED_MODEL_FILE);
      Set<String> denied;
      try (InputStream in = Files.newInputStream(file)) {
        denied = GraphPolicy.deniedOps(GraphPolicy.readServeGraph(in, file.toString()));
      } catch (IOException e) {
        throw new VaeException("cannot read the SavedModel " + file + ": " + firstLine(e.getMessage()), e);
      }
      if (!denied.isEmpty()) {
        throw VaeException.setting(version + " holds ops that reach outside the model (" + String.join(", ",
            denied) + "); a SavedModel is code, so load it only if you trust its source (trusted)", "trusted");
      }
    }
    SavedModelBundle bundle;
    try {
      SavedModelBundle.Loader loader = SavedModelBundle.loader(version.toString()).withTags(Contract.TAG);
      if (options.device() != null || options.threads() > 0) {
        loader = loader.withConfigProto(Sessions.config(options.device() == null ? Device.AUTO : options.device(),
            options.threads()));
      }
      bundle = loader.load();
    } catch (RuntimeException e) {
      throw new VaeException("cannot load the SavedModel in " + version + ": " + firstLine(e.getMessage()), e);
    }
    try {
      checkSignatures(bundle, card, conditioning, version);
      return new Loaded(version, card, bundle, conditioning);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private static final String VARIABLES_INDEX = "variables/variables.index";

  /** The largest model card read: real cards are a few kilobytes. */
  static final long MAX_CARD_BYTES = 1 << 20;

  private static ModelCard readCard(Path version) {
    Path file = version.resolve(Contract.MODEL_CARD);
    try {
      // a regular file inside the model folder only: a named pipe would hang, /dev/zero never ends
      return ModelCard.fromJson(SafeFiles.readUtf8(file, version, MAX_CARD_BYTES, "model card"), file.toString());
    } catch (NoSuchFileException e) {
      throw new VaeException(version + " is not a vae4j model: it has no " + Contract.MODEL_CARD);
    } catch (IllegalArgumentException e) {
      throw new VaeException(e.getMessage(), e);
    }
  }

  private static void checkSignatures(SavedModelBundle bundle, ModelCard card, Conditioning c, Path version) {
    int classes = c.classes();
    Map<String, Signature> byKey = new HashMap<>();
    for (Signature s : bundle.signatures()) {
      byKey.put(s.key(), s);
    }
    Map<String, List<List<String>>> expected = new java.util.LinkedHashMap<>();
    expected.put(Contract.ENCODE, List.of(List.of(Contract.IMAGES), List.of(Contract.MEAN, Contract.STDDEV)));
    expected.put(Contract.DECODE, List.of(c.partial() ? List.of(Contract.LATENT, Contract.CONDITION)
        : List.of(Contract.LATENT), List.of(Contract.IMAGES)));
    expected.put(Contract.RECONSTRUCT, List.of(List.of(Contract.IMAGES), List.of(Contract.IMAGES)));
    expected.put(Contract.SAMPLE, List.of(classes > 0 ? List.of(Contract.SEED)
        : c.partial() ? List.of(Contract.CONDITION, Contract.SEED) : List.of(Contract.COUNT, Contract.SEED),
        List.of(Contract.IMAGES, Contract.LATENT)));
    expected.put(Contract.SCORE, List.of(List.of(Contract.IMAGES), scoreOutputs(card)));
    if (!isMse(card)) {
      if (!byKey.containsKey(Contract.LOG_WEIGHTS)) {
        throw new VaeException(version + " lacks the '" + Contract.LOG_WEIGHTS + "' signature of a vae4j model;"
            + " export it again with this vae4j (vae export)");
      }
      expected.put(Contract.LOG_WEIGHTS, List.of(List.of(Contract.IMAGES, Contract.SAMPLES, Contract.SEED),
          List.of(Contract.LOG_WEIGHTS)));
    }
    expected.forEach((key, names) -> {
      Signature s = byKey.get(key);
      if (s == null) {
        throw new VaeException(version + " lacks the '" + key + "' signature of a vae4j model");
      }
      if (s.inputNames().contains(Contract.LABEL) != classes > 0) {
        throw new VaeException(version + ": signature '" + key + "' " + (classes > 0 ? "takes no '"
            + Contract.LABEL + "', but the model card says the model is conditioned on a label" : "takes a '"
            + Contract.LABEL + "', but the model card describes an unconditional model"));
      }
      boolean takesCondition = names.get(0).contains(Contract.CONDITION);
      if (s.inputNames().contains(Contract.CONDITION) != takesCondition) {
        throw new VaeException(version + ": signature '" + key + "' " + (takesCondition ? "takes no '"
            + Contract.CONDITION + "', but the model card says the model observes part of each image" : "takes a '"
            + Contract.CONDITION + "', which the model card's conditioning does not explain"));
      }
      if (s.inputNames().contains(Contract.MASK) != c.masked()) {
        throw new VaeException(version + ": signature '" + key + "' " + (c.masked() ? "takes no '"
            + Contract.MASK + "', but the model card says each image comes with a random mask" : "takes a '"
            + Contract.MASK + "', which the model card's conditioning does not explain"));
      }
      if (!s.inputNames().containsAll(names.get(0))) {
        throw new VaeException(version + ": signature '" + key + "' has inputs " + s.inputNames() + ", expected "
            + names.get(0) + " for a " + card.likelihood() + " model");
      }
      if (!s.outputNames().containsAll(names.get(1))) {
        throw new VaeException(version + ": signature '" + key + "' has outputs " + s.outputNames()
            + ", expected " + names.get(1) + " for a " + card.likelihood() + " model");
      }
    });
    var images = byKey.get(Contract.ENCODE).getInputs().get(Contract.IMAGES).shape;
    int[] shape = card.imageShape();
    if (images.numDimensions() != 4 || images.get(1) != shape[0] || images.get(2) != shape[1]
        || images.get(3) != shape[2]) {
      throw new VaeException(version + ": the graph takes images of shape " + images + " but the model card says "
          + Arrays.toString(shape));
    }
    var mean = byKey.get(Contract.ENCODE).getOutputs().get(Contract.MEAN).shape;
    var latent = byKey.get(Contract.DECODE).getInputs().get(Contract.LATENT).shape;
    if (mean.numDimensions() != 2 || mean.get(1) != card.latentDim() || latent.numDimensions() != 2
        || latent.get(1) != card.latentDim()) {
      throw new VaeException(version + ": the graph's latent code has shape " + mean + " but the model card says"
          + " latent_dim " + card.latentDim());
    }
  }

  /** The score signature's outputs: an ELBO and its terms, or for mse models the loss and its terms. */
  static List<String> scoreOutputs(ModelCard card) {
    return isMse(card) ? List.of(Contract.LOSS, Contract.SQUARED_ERROR, Contract.KL)
        : List.of(Contract.ELBO, Contract.RECONSTRUCTION_LOG_LIKELIHOOD, Contract.KL);
  }

  static boolean isMse(ModelCard card) {
    return "mse".equals(card.likelihood());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

}
