package org.vae4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;

/**
 * A SavedModel is code: its graph can hold ops that read or write files or reach outside the process, and loading
 * it runs its restore and init ops. vae4j's own exports compute with math ops only; this lists the ops of other
 * kinds anywhere in a meta graph (its nodes and its function library), so {@link Vae#load} can refuse such a model
 * before TensorFlow loads it, unless the caller trusts it. The one exception is the saver's own subgraph (reached
 * from the {@code SaverDef}'s save and restore names), which every SavedModel carries for its variables: there
 * the checkpoint ops are expected, and anything else denied still counts.
 */
final class GraphPolicy {
  private GraphPolicy() {}

  /** The largest saved_model.pb read for the trust check. */
  static final int MAX_GRAPH_BYTES = 256 << 20;

  /**
   * The meta graph tagged {@code serve} of a {@code saved_model.pb}, read before TensorFlow loads it (loading runs
   * the model's restore and init ops, so the graph is checked first). {@code source} names it in messages.
   *
   * @throws VaeException when the bytes are not a SavedModel or hold no meta graph tagged {@code serve}
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
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      if (meta.getMetaInfoDef().getTagsList().contains(Contract.TAG)) {
        return meta;
      }
    }
    throw new VaeException(source + " has no meta graph tagged '" + Contract.TAG + "'");
  }

  /** Op types that touch the file system, the network, or the process's output, or run foreign code. */
  private static final Set<String> DENIED = Set.of("ReadFile", "WriteFile", "MatchingFiles", "ImmutableConst",
      "Save", "SaveV2", "SaveSlices", "Restore", "RestoreV2", "RestoreSlice", "MergeV2Checkpoints",
      "ShardedFilename", "ShardedFilespec", "Print", "PrintV2", "PyFunc", "PyFuncStateless", "EagerPyFunc",
      "DecodeProtoV2", "EncodeProto", "Timestamp", "LoadAndRemapMatrix", "GenerateVocabRemapping");

  /** Substrings of op types in the same families: readers, datasets, summary writers, debuggers, RPC. */
  private static final String[] DENIED_PARTS = {"reader", "dataset", "iterator", "summary", "debug", "rpc",
      "file", "checkpoint", "collective", "vocab", "lookuptable"};

  /** The checkpoint ops a saver subgraph may hold. */
  private static final Set<String> SAVER_OPS = Set.of("Save", "SaveV2", "SaveSlices", "Restore", "RestoreV2",
      "RestoreSlice", "MergeV2Checkpoints", "ShardedFilename", "ShardedFilespec");

  static boolean denied(String type) {
    if (DENIED.contains(type)) {
      return true;
    }
    String lower = type.toLowerCase(Locale.ROOT);
    for (String part : DENIED_PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /** "Type at 'node'" for every denied op of the meta graph, sorted; empty for a safe graph. */
  static Set<String> deniedOps(MetaGraphDef meta) {
    Set<String> saver = saverNodes(meta);
    Set<String> found = new TreeSet<>();
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      if (denied(n.getOp()) && !(saver.contains(n.getName()) && SAVER_OPS.contains(n.getOp()))) {
        found.add(n.getOp() + " at '" + n.getName() + "'");
      }
    }
    for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      for (NodeDef n : f.getNodeDefList()) {
        if (denied(n.getOp())) {
          found.add(n.getOp() + " at '" + n.getName() + "' in function '" + f.getSignature().getName() + "'");
        }
      }
    }
    return found;
  }

  /** The names of the nodes the saver's save tensor and restore op depend on. */
  private static Set<String> saverNodes(MetaGraphDef meta) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      byName.put(n.getName(), n);
    }
    Set<String> seen = new HashSet<>();
    if (!meta.hasSaverDef()) {
      return seen;
    }
    SaverDef saver = meta.getSaverDef();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(nodeName(saver.getSaveTensorName()));
    todo.add(nodeName(saver.getRestoreOpName()));
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

  /** "^name" (a control input) or "name:1" (an output) to "name". */
  private static String nodeName(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }
}
