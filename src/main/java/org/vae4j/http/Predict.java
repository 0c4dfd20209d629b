package org.vae4j.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.vae4j.contract.Contract;
import org.vae4j.contract.Given;
import org.vae4j.serve.ElboScorer;
import org.vae4j.serve.LossScorer;
import org.vae4j.serve.SignatureInfo;
import org.vae4j.serve.Vae;

/**
 * TF Serving's predict request on a vae4j model: the body's row form ({@code instances}) or columnar form ({@code
 * inputs}) turned into the named inputs of the signature, the matching {@link Vae} call (so every check of the
 * Java API holds for REST callers too), and the outputs in the same form TF Serving gives ({@code predictions}
 * per example, or {@code outputs} per output name; one output is given without its name).
 */
final class Predict {
  private Predict() {}

  /** What TF Serving calls a signature when the request names none. */
  static final String DEFAULT_SIGNATURE = "serving_default";

  /**
   * Answers one predict body.
   *
   * @throws IllegalArgumentException in one sentence for a request the model cannot answer (a 400)
   * @throws NotFound for a signature the model does not have (a 404)
   */
  static Map<String, Object> answer(ServedVersion model, Map<String, Object> body) {
    Object named = body.getOrDefault("signature_name", DEFAULT_SIGNATURE);
    if (!(named instanceof String signature)) {
      throw new IllegalArgumentException("'signature_name' must be text");
    }
    for (String key : body.keySet()) {
      if (!Set.of("signature_name", "instances", "inputs").contains(key)) {
        throw new IllegalArgumentException("a predict request holds 'signature_name' and 'instances' or 'inputs',"
            + " not '" + key + "'");
      }
    }
    SignatureInfo info = model.signature(signature);
    if (info == null) {
      throw new NotFound("the model has no signature '" + signature + "'; it has " + model.signatureKeys());
    }
    boolean rows = body.containsKey("instances");
    if (rows == body.containsKey("inputs")) {
      throw new IllegalArgumentException("a predict request holds either 'instances' (the row form) or 'inputs'"
          + " (the columnar form)");
    }
    Map<String, Object> inputs = rows ? fromInstances(body.get("instances"), info) : fromColumns(body.get("inputs"),
        info);
    Map<String, Object> outputs = call(model, canonical(signature), inputs);
    return rows ? Map.of("predictions", toInstances(outputs)) : Map.of("outputs", outputs.size() == 1
        ? outputs.values().iterator().next() : outputs);
  }

  /** serving_default is encode (README, "The SavedModel contract"). */
  private static String canonical(String signature) {
    return DEFAULT_SIGNATURE.equals(signature) ? Contract.ENCODE : signature;
  }

  /** Row form: a list of examples, each the one input's value or an object of named values. */
  private static Map<String, Object> fromInstances(Object instances, SignatureInfo info) {
    if (!(instances instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("'instances' must be a non-empty list of examples");
    }
    Set<String> batched = new TreeSet<>(info.inputs().keySet());
    batched.removeAll(SCALARS);
    if (batched.size() != info.inputs().size()) {
      throw new IllegalArgumentException("signature '" + info.key() + "' takes scalar inputs (" + scalarsOf(info)
          + "), which the row form cannot carry: send them in the columnar form ('inputs')");
    }
    Map<String, Object> columns = new LinkedHashMap<>();
    boolean objects = list.get(0) instanceof Map;
    for (int i = 0; i < list.size(); i++) {
      Object example = list.get(i);
      if (objects != example instanceof Map) {
        throw new IllegalArgumentException("the examples of 'instances' must be all objects of named inputs or all"
            + " values of the one input; example " + i + " differs");
      }
      Map<?, ?> values = objects ? (Map<?, ?>) example : Map.of(only(info), example);
      if (i > 0 && !values.keySet().equals(columns.keySet())) {
        throw new IllegalArgumentException("every example must name the same inputs; example " + i + " names "
            + new TreeSet<>(names(values)) + ", example 0 " + new TreeSet<>(columns.keySet()));
      }
      for (Map.Entry<?, ?> e : values.entrySet()) {
        @SuppressWarnings("unchecked")
        List<Object> column = (List<Object>) columns.computeIfAbsent(String.valueOf(e.getKey()),
            k -> new ArrayList<>());
        column.add(e.getValue());
      }
    }
    checkNames(columns.keySet(), info);
    return columns;
  }

  /** Columnar form: the one input's whole tensor, or an object of named tensors. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> fromColumns(Object inputs, SignatureInfo info) {
    Map<String, Object> columns = inputs instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(only(info),
        inputs == null ? List.of() : inputs);
    checkNames(columns.keySet(), info);
    return columns;
  }

  private static final Set<String> SCALARS = Set.of(Contract.COUNT, Contract.SEED, Contract.SAMPLES);

  private static String scalarsOf(SignatureInfo info) {
    Set<String> s = new TreeSet<>(info.inputs().keySet());
    s.retainAll(SCALARS);
    return String.join(", ", s);
  }

  private static String only(SignatureInfo info) {
    if (info.inputs().size() != 1) {
      throw new IllegalArgumentException("signature '" + info.key() + "' takes several inputs ("
          + String.join(", ", info.inputs().keySet()) + "): name them in an object");
    }
    return info.inputs().keySet().iterator().next();
  }

  private static List<String> names(Map<?, ?> values) {
    List<String> out = new ArrayList<>();
    values.keySet().forEach(k -> out.add(String.valueOf(k)));
    return out;
  }

  private static void checkNames(Set<String> given, SignatureInfo info) {
    Set<String> expected = new TreeSet<>(info.inputs().keySet());
    if (!expected.equals(new TreeSet<>(given))) {
      throw new IllegalArgumentException("signature '" + info.key() + "' takes the inputs "
          + String.join(", ", expected) + "; the request gives " + (given.isEmpty() ? "none"
          : String.join(", ", new TreeSet<>(given))));
    }
  }

  /** The Vae call for a contract signature, outputs in the contract's order. */
  private static Map<String, Object> call(ServedVersion model, String signature, Map<String, Object> in) {
    Vae vae = model.vae();
    int[] image = vae.imageShape();
    int[] code = {vae.latentDim()};
    int[] labels = in.containsKey(Contract.LABEL) ? TensorJson.ints(in.get(Contract.LABEL), Contract.LABEL) : null;
    boolean[][] masks = in.containsKey(Contract.MASK) ? TensorJson.masks(in.get(Contract.MASK), image,
        Contract.MASK) : null;
    if (labels != null && (masks != null || in.containsKey(Contract.CONDITION))) {
      throw new IllegalArgumentException("a request gives a label, or observed inputs and masks, not both: no"
          + " model takes both");
    }
    // what an image call is given; a call on codes is given the observed inputs with their masks instead
    Given given = labels != null ? Given.labels(labels) : masks != null ? Given.masks(masks) : Given.NONE;
    // the observed inputs go only with codes (decode, sample); the other signatures take no condition
    boolean onCodesCall = Contract.DECODE.equals(signature) || Contract.SAMPLE.equals(signature);
    Given onCodes = !onCodesCall || !in.containsKey(Contract.CONDITION) ? given
        : Given.observed(TensorJson.rows(in.get(Contract.CONDITION), image, Contract.CONDITION), masks);
    Map<String, Object> out = new LinkedHashMap<>();
    switch (signature) {
      case Contract.ENCODE -> {
        float[][] x = TensorJson.rows(in.get(Contract.IMAGES), image, Contract.IMAGES);
        Vae.Encoding e = vae.encode(x, given);
        out.put(Contract.MEAN, TensorJson.nestAll(e.mean(), code));
        out.put(Contract.STDDEV, TensorJson.nestAll(e.stddev(), code));
      }
      case Contract.DECODE -> {
        float[][] z = TensorJson.rows(in.get(Contract.LATENT), code, Contract.LATENT);
        float[][] images = vae.decode(z, onCodes);
        out.put(Contract.IMAGES, TensorJson.nestAll(images, image));
      }
      case Contract.RECONSTRUCT -> {
        float[][] x = TensorJson.rows(in.get(Contract.IMAGES), image, Contract.IMAGES);
        float[][] images = vae.reconstruct(x, given);
        out.put(Contract.IMAGES, TensorJson.nestAll(images, image));
      }
      case Contract.SCORE -> {
        float[][] x = TensorJson.rows(in.get(Contract.IMAGES), image, Contract.IMAGES);
        if (vae.scorer() instanceof ElboScorer s) {
          Vae.Scores scores = s.score(x, given);
          out.put(Contract.ELBO, boxed(scores.elbo()));
          out.put(Contract.RECONSTRUCTION_LOG_LIKELIHOOD, boxed(scores.reconstructionLogLikelihood()));
          out.put(Contract.KL, boxed(scores.kl()));
        } else {
          LossScorer s = (LossScorer) vae.scorer();
          Vae.SquaredErrors scores = s.squaredErrors(x, given);
          out.put(Contract.LOSS, boxed(scores.loss()));
          out.put(Contract.SQUARED_ERROR, boxed(scores.squaredError()));
          out.put(Contract.KL, boxed(scores.kl()));
        }
      }
      case Contract.SAMPLE -> {
        long seed = TensorJson.scalar(in.get(Contract.SEED), Contract.SEED);
        Vae.Samples s;
        if (onCodes != Given.NONE) {
          s = vae.sample(onCodes, seed);
        } else {
          long count = TensorJson.scalar(in.get(Contract.COUNT), Contract.COUNT);
          s = vae.sample((int) Math.max(-1, Math.min(count, Integer.MAX_VALUE)), seed);
        }
        out.put(Contract.IMAGES, TensorJson.nestAll(s.images(), image));
        out.put(Contract.LATENT, TensorJson.nestAll(s.latent(), code));
      }
      case Contract.LOG_WEIGHTS -> {
        float[][] x = TensorJson.rows(in.get(Contract.IMAGES), image, Contract.IMAGES);
        long samples = TensorJson.scalar(in.get(Contract.SAMPLES), Contract.SAMPLES);
        long seed = TensorJson.scalar(in.get(Contract.SEED), Contract.SEED);
        if (!(vae.scorer() instanceof ElboScorer s)) {
          throw new IllegalArgumentException("this model has no likelihood, so no log weights");
        }
        float[][] w = s.logWeights(x, given, (int) Math.max(0, Math.min(samples, Integer.MAX_VALUE)), seed);
        out.put(Contract.LOG_WEIGHTS, TensorJson.nestAll(w, new int[] {w.length == 0 ? 0 : w[0].length}));
      }
      default -> throw new NotFound("the model has no signature '" + signature + "' that vae4j serves");
    }
    return out;
  }

  private static List<Object> boxed(float[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  /** Outputs per example: the value itself for one output, else an object of named values. */
  @SuppressWarnings("unchecked")
  private static List<Object> toInstances(Map<String, Object> outputs) {
    List<Object> out = new ArrayList<>();
    int n = ((List<Object>) outputs.values().iterator().next()).size();
    for (int i = 0; i < n; i++) {
      if (outputs.size() == 1) {
        out.add(((List<Object>) outputs.values().iterator().next()).get(i));
      } else {
        Map<String, Object> example = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : outputs.entrySet()) {
          example.put(e.getKey(), ((List<Object>) e.getValue()).get(i));
        }
        out.add(example);
      }
    }
    return out;
  }

  /** A request for something the server does not have: TF Serving answers 404. */
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }
}
