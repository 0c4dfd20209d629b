package org.vae4j.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.contract.ModelPaths;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.util.SafeFiles;
import org.vae4j.spec.Device;

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
    Conditioning conditioning = Conditioning.fromFields(card.model(), version.toString(), "the model card's");
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
      checkFilesTensorFlowReads(version);
      Path file = version.resolve(Contract.SAVED_MODEL_FILE);
      Set<String> findings;
      try {
        // the same rules as the card: a named pipe here would hang the check, a link could lead anywhere
        byte[] graph = SafeFiles.readRegular(file, version, GraphPolicy.MAX_GRAPH_BYTES + 1L, "SavedModel graph");
        findings = GraphPolicy.findings(GraphPolicy.readServeGraph(new ByteArrayInputStream(graph),
            file.toString()));
      } catch (NoSuchFileException e) {
        throw new VaeException("cannot read the SavedModel " + file + ": the file does not exist", e);
      }
      if (!findings.isEmpty()) {
        throw VaeException.setting(version + " holds what no vae4j export holds (" + GraphPolicy.describe(findings)
            + "); a SavedModel is code, so load it only if you trust its source (trusted)", "trusted");
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
      SignatureCheck.check(bundle, card, conditioning, version);
      return new Loaded(version, card, bundle, conditioning);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private static final String VARIABLES_INDEX = "variables/variables.index";

  /**
   * The weights TensorFlow will open: regular files inside the folder only (a named pipe among them would block the
   * load forever, a link could make it read another model's weights or a device).
   */
  private static void checkFilesTensorFlowReads(Path version) {
    Path variables = version.resolve("variables");
    SafeFiles.checkOwnFolder(variables, version, "weights");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(variables)) {
      for (Path file : files) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          throw VaeException.setting(file + " is not a regular file; vae4j exports write the weights as regular"
              + " files only (trusted loads it anyway)", "trusted");
        }
      }
    } catch (IOException e) {
      throw new VaeException("cannot read the weights folder " + variables + ": " + firstLine(e.getMessage()), e);
    }
  }

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
