package org.vae4j.serve;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;
import org.vae4j.VaeException;
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;

/**
 * A loaded graph's signatures against the contract and the card: every signature of the contract present, its
 * inputs exactly the contract's for the model's conditioning, its outputs there, and each of them of the contract's
 * type and rank, both as the signature declares it and as the graph's tensor really is (a signature can claim
 * float32 for an int32 tensor); the image shape and latent size as the card says.
 */
final class SignatureCheck {
  private SignatureCheck() {}

  /** The contract's type and rank of each input and output name. */
  private record Kind(DataType type, int rank) {}

  private static final Map<String, Kind> KINDS = Map.ofEntries(
      Map.entry(Contract.IMAGES, new Kind(DataType.DT_FLOAT, 4)),
      Map.entry(Contract.CONDITION, new Kind(DataType.DT_FLOAT, 4)),
      Map.entry(Contract.MASK, new Kind(DataType.DT_FLOAT, 4)),
      Map.entry(Contract.LATENT, new Kind(DataType.DT_FLOAT, 2)),
      Map.entry(Contract.MEAN, new Kind(DataType.DT_FLOAT, 2)),
      Map.entry(Contract.STDDEV, new Kind(DataType.DT_FLOAT, 2)),
      Map.entry(Contract.LOG_WEIGHTS, new Kind(DataType.DT_FLOAT, 2)),
      Map.entry(Contract.ELBO, new Kind(DataType.DT_FLOAT, 1)),
      Map.entry(Contract.RECONSTRUCTION_LOG_LIKELIHOOD, new Kind(DataType.DT_FLOAT, 1)),
      Map.entry(Contract.KL, new Kind(DataType.DT_FLOAT, 1)),
      Map.entry(Contract.LOSS, new Kind(DataType.DT_FLOAT, 1)),
      Map.entry(Contract.SQUARED_ERROR, new Kind(DataType.DT_FLOAT, 1)),
      Map.entry(Contract.LABEL, new Kind(DataType.DT_INT32, 1)),
      Map.entry(Contract.COUNT, new Kind(DataType.DT_INT32, 0)),
      Map.entry(Contract.SAMPLES, new Kind(DataType.DT_INT32, 0)),
      Map.entry(Contract.SEED, new Kind(DataType.DT_INT64, 0)));

  static void check(SavedModelBundle bundle, ModelCard card, Conditioning c, Path version) {
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
    expected.put(Contract.SCORE, List.of(List.of(Contract.IMAGES), ModelLoader.scoreOutputs(card)));
    if (!ModelLoader.isMse(card)) {
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
      Set<String> inputs = new java.util.TreeSet<>(names.get(0));
      if (classes > 0) {
        inputs.add(Contract.LABEL);
      }
      if (c.masked()) {
        inputs.add(Contract.MASK);
      }
      if (!s.inputNames().equals(inputs)) {
        throw new VaeException(version + ": signature '" + key + "' has inputs " + new java.util.TreeSet<>(s.inputNames()) + ", expected "
            + inputs + " for a " + card.likelihood() + " model");
      }
      if (!s.outputNames().containsAll(names.get(1))) {
        throw new VaeException(version + ": signature '" + key + "' has outputs " + s.outputNames()
            + ", expected " + names.get(1) + " for a " + card.likelihood() + " model");
      }
      checkTypes(bundle, s, s.getInputs(), inputs, "input", version);
      checkTypes(bundle, s, s.getOutputs(), names.get(1), "output", version);
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

  private static void checkTypes(SavedModelBundle bundle, Signature s, Map<String, Signature.TensorDescription> all,
      Collection<String> names, String what, Path version) {
    for (String name : names) {
      Signature.TensorDescription d = all.get(name);
      Kind want = KINDS.get(name);
      Output<?> real = d.name == null ? null : tensor(bundle, d.name);
      String at = version + ": signature '" + s.key() + "' " + what + " '" + name + "'";
      if (real == null) {
        throw new VaeException(at + " names no tensor of the graph (" + d.name + ")");
      }
      if (d.dataType != want.type() || real.dataType() != want.type()) {
        throw new VaeException(at + " is " + typeName(d.dataType) + (real.dataType() == d.dataType ? ""
            : " (the graph's tensor is " + typeName(real.dataType()) + ")") + ", but the contract says "
            + typeName(want.type()));
      }
      int rank = d.shape.numDimensions();
      int realRank = real.shape().numDimensions();
      // an unknown rank (-1) in the graph is checked when the call returns; a known one must be the contract's
      if (rank != want.rank() || (realRank >= 0 && realRank != want.rank())) {
        throw new VaeException(at + " has rank " + (rank != want.rank() ? rank : realRank) + ", but the contract"
            + " says " + want.rank());
      }
    }
  }

  private static Output<?> tensor(SavedModelBundle bundle, String name) {
    try {
      return bundle.graph().output(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String typeName(DataType t) {
    return t.name().startsWith("DT_") ? t.name().substring(3).toLowerCase(java.util.Locale.ROOT) : t.name();
  }
}
