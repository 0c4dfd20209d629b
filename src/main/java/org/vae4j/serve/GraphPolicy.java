package org.vae4j.serve;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Signature;

/**
 * A SavedModel is code: its graph can hold ops that read or write files or reach outside the process. vae4j's own
 * exports compute their signatures from math ops only; this finds the ops of other kinds that a signature's outputs
 * depend on, so {@link Vae#load} can refuse such a model unless the caller trusts it. The saver's Save and Restore
 * ops, which every SavedModel carries for its variables, are not reachable from signature outputs and do not count.
 */
final class GraphPolicy {
  private GraphPolicy() {}

  /** Op types that touch the file system, the network, or the process's output, or run foreign code. */
  private static final Set<String> DENIED = Set.of("ReadFile", "WriteFile", "MatchingFiles", "ImmutableConst",
      "Save", "SaveV2", "SaveSlices", "Restore", "RestoreV2", "RestoreSlice", "MergeV2Checkpoints",
      "ShardedFilename", "ShardedFilespec", "Print", "PrintV2", "PyFunc", "PyFuncStateless", "EagerPyFunc",
      "DecodeProtoV2", "EncodeProto", "Timestamp");

  /** Substrings of op types in the same families: readers, datasets, summary writers, debuggers, RPC. */
  private static final String[] DENIED_PARTS = {"reader", "dataset", "iterator", "summary", "debug", "rpc",
      "file", "checkpoint", "collective"};

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

  /** "Type in 'signature'" for every denied op a signature depends on, sorted; empty for a safe graph. */
  static Set<String> deniedOps(Graph graph, Iterable<Signature> signatures) {
    Set<String> found = new TreeSet<>();
    for (Signature s : signatures) {
      Set<GraphOperation> outputs = new HashSet<>();
      for (Signature.TensorDescription t : s.getOutputs().values()) {
        String op = t.name.contains(":") ? t.name.substring(0, t.name.indexOf(':')) : t.name;
        GraphOperation o = graph.operation(op);
        if (o != null) {
          outputs.add(o);
        }
      }
      Set<GraphOperation> needed = new HashSet<>(graph.subgraphToOps(outputs));
      needed.addAll(outputs);
      for (GraphOperation o : needed) {
        if (denied(o.type())) {
          found.add(o.type() + " in '" + s.key() + "'");
        }
      }
    }
    return found;
  }
}
