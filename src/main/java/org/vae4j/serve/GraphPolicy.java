package org.vae4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;
import org.vae4j.contract.GraphOps;

/**
 * The trust check. A SavedModel is code: its graph can hold ops that read or write files or end the process, and
 * loading it runs its restore and init ops. This reads the meta graph TensorFlow will load (the one whose tag set
 * is exactly {@code {serve}}) and allows only what a vae4j export holds ({@link GraphOps}): every other op type, a
 * function library, a device placement, a checkpoint op on any path but the saver's filename placeholder, an
 * assignment outside the saver's restore, and any checkpoint op or assignment that a signature, the init op or
 * (for a save) the restore op would run is a finding. {@link Vae#load} refuses a graph with findings unless the
 * caller trusts it.
 */
final class GraphPolicy {
  private GraphPolicy() {}

  /** The largest saved_model.pb read for the trust check. */
  static final int MAX_GRAPH_BYTES = 256 << 20;
  /** Findings named in a refusal; the rest are counted. */
  static final int SHOWN = 5;
  /** Where TensorFlow's loader finds a model's init op besides the signature of that name. */
  private static final List<String> INIT_COLLECTIONS = List.of("saved_model_main_op", "legacy_init_op");
  private static final String INIT_SIGNATURE = "__saved_model_init_op";

  /**
   * The meta graph whose tag set is exactly {@code {serve}} (TensorFlow's loader compares tag sets, so another
   * meta graph that merely includes {@code serve} is not the one it loads), read before TensorFlow loads it.
   * {@code source} names the file in messages.
   *
   * @throws VaeException when the bytes are not a SavedModel, or none or several meta graphs have that tag set
   */
  static MetaGraphDef readServeGraph(InputStream in, String source) {
    SavedModel model;
    try {
      // from bytes: protobuf's stream parser can throw IllegalStateException on some malformed input (a fuzzing
      // finding kept in GraphPolicyFuzzTestInputs); every protobuf failure is a malformed file here
      byte[] bytes = in.readNBytes(MAX_GRAPH_BYTES + 1);
      if (bytes.length > MAX_GRAPH_BYTES) {
        throw new VaeException(source + " is larger than " + MAX_GRAPH_BYTES + " bytes; a vae4j graph is tens of"
            + " kilobytes (its weights are in variables/)");
      }
      model = SavedModel.parseFrom(bytes);
    } catch (VaeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("");
      throw new VaeException("cannot read the SavedModel " + source + ": " + why, e);
    }
    List<MetaGraphDef> loaded = model.getMetaGraphsList().stream()
        .filter(m -> Set.copyOf(m.getMetaInfoDef().getTagsList()).equals(Set.of(Contract.TAG))).toList();
    if (loaded.size() > 1) {
      throw new VaeException(source + " has " + loaded.size() + " meta graphs tagged exactly '" + Contract.TAG
          + "'; a vae4j model has one, and which of them TensorFlow loads is not for a model to decide");
    }
    if (loaded.isEmpty()) {
      throw new VaeException(source + " has no meta graph tagged exactly '" + Contract.TAG + "'");
    }
    return loaded.get(0);
  }

  /** What the graph holds beyond a vae4j export, one phrase each, sorted; empty for a graph vae4j could write. */
  static Set<String> findings(MetaGraphDef meta) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      byName.put(n.getName(), n);
    }
    Set<String> found = new TreeSet<>();
    for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      found.add("a function '" + f.getSignature().getName() + "'");
    }
    if (meta.getGraphDef().getLibrary().getGradientCount() > 0) {
      found.add("gradient functions");
    }
    String filename = meta.hasSaverDef() ? nodeName(meta.getSaverDef().getFilenameTensorName()) : null;
    NodeDef file = filename == null ? null : byName.get(filename);
    boolean filenameOk = file != null && file.getOp().equals("Placeholder")
        && file.getAttrOrDefault("dtype", null) != null && file.getAttrOrThrow("dtype").getType() == DataType.DT_STRING;
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      String at = n.getOp() + " at '" + n.getName() + "'";
      if (!GraphOps.SERVING.contains(n.getOp()) && !GraphOps.SAVER.contains(n.getOp())) {
        found.add(at);
      }
      if (!n.getDevice().isEmpty()) {
        found.add("a device placement at '" + n.getName() + "'");
      }
      if (GraphOps.FILE_OPS.contains(n.getOp()) && !(filenameOk && n.getInputCount() > 0
          && isOutput(n.getInput(0), filename, 0))) {
        found.add(at + " on a path other than the saver's filename");
      }
      if (n.getOp().equals("Assign") && !(n.getInputCount() == 2 && isOp(byName, n.getInput(0), "VariableV2")
          && isOp(byName, n.getInput(1), "RestoreV2"))) {
        found.add(at + " that is no restore of a variable");
      }
    }
    Set<String> checkpointOps = Set.of("SaveV2", "RestoreV2", "Assign");
    meta.getSignatureDefMap().forEach((key, sig) -> forbid(byName, tensorNodes(sig), checkpointOps,
        key.equals(INIT_SIGNATURE) ? "the init op" : "signature '" + key + "'", found));
    for (String collection : INIT_COLLECTIONS) {
      CollectionDef c = meta.getCollectionDefMap().get(collection);
      if (c != null) {
        forbid(byName, c.getNodeList().getValueList().stream().map(GraphPolicy::nodeName).toList(), checkpointOps,
            "the init op", found);
      }
    }
    if (meta.hasSaverDef()) {
      forbid(byName, List.of(nodeName(meta.getSaverDef().getRestoreOpName())), Set.of("SaveV2"), "the restore op",
          found);
    }
    return found;
  }

  /** The findings as one phrase: the first {@link #SHOWN}, then how many more. */
  static String describe(Set<String> findings) {
    List<String> all = List.copyOf(findings);
    String shown = String.join(", ", all.subList(0, Math.min(SHOWN, all.size())));
    return all.size() > SHOWN ? shown + " and " + (all.size() - SHOWN) + " more" : shown;
  }

  /** Adds a finding for every op of {@code types} that running {@code roots} would run. */
  private static void forbid(Map<String, NodeDef> byName, Collection<String> roots, Set<String> types, String who,
      Set<String> found) {
    for (String name : reached(byName, roots)) {
      NodeDef n = byName.get(name);
      if (types.contains(n.getOp())) {
        found.add(n.getOp() + " at '" + name + "' run by " + who);
      }
    }
  }

  private static List<String> tensorNodes(SignatureDef sig) {
    List<String> names = new java.util.ArrayList<>();
    for (TensorInfo t : sig.getInputsMap().values()) {
      names.add(nodeName(t.getName()));
    }
    for (TensorInfo t : sig.getOutputsMap().values()) {
      names.add(nodeName(t.getName()));
    }
    return names;
  }

  /** The nodes that running {@code roots} runs: the roots and everything they depend on, control inputs too. */
  private static Set<String> reached(Map<String, NodeDef> byName, Collection<String> roots) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef n = byName.get(name);
      if (n != null && seen.add(name)) {
        for (String input : n.getInputList()) {
          todo.add(nodeName(input));
        }
      }
    }
    return seen;
  }

  private static boolean isOp(Map<String, NodeDef> byName, String input, String op) {
    NodeDef n = byName.get(nodeName(input));
    return !input.startsWith("^") && n != null && n.getOp().equals(op);
  }

  /** Whether {@code input} is output {@code index} of node {@code node} (not a control input). */
  private static boolean isOutput(String input, String node, int index) {
    return input.equals(node) || input.equals(node + ":" + index);
  }

  /** "^name" (a control input) or "name:1" (an output) to "name". */
  static String nodeName(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }
}
