package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.tensorflow.proto.MetaGraphDef;
import org.vae4j.VaeException;

/**
 * Coverage-guided fuzzing (Jazzer) of the trust check: on arbitrary {@code saved_model.pb} bytes (what {@link
 * Vae#load} runs before TensorFlow sees a graph: its findings, never null, or a {@link VaeException} naming the
 * file), and on a real export whose graph the fuzzer edits ({@code graphEdits}: nodes added, retyped and rewired,
 * meta graphs, signatures, the saver and devices changed), where a graph the check accepts must hold, by an
 * independent reading, no op outside the list, no checkpoint op on another path, and nothing a signature or the
 * init op runs that writes, reads a checkpoint or assigns. Replayed by {@code mvn test}; fuzzed with
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='GraphPolicyFuzzTest#graphEdits'}.
 */
class GraphPolicyFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void savedModel(byte[] input) {
    try {
      MetaGraphDef meta = GraphPolicy.readServeGraph(new ByteArrayInputStream(input), "fuzz.pb");
      assertTrue(GraphPolicy.findings(meta) != null);
    } catch (VaeException e) {
      assertTrue(e.getMessage().contains("fuzz.pb"), e.getMessage());
    }
  }

  /** Op types the edits use: the allowed ones and the kinds an attacker wants. */
  private static final String[] OPS = {"Const", "Identity", "NoOp", "Placeholder", "Assign", "SaveV2", "RestoreV2",
      "MergeV2Checkpoints", "WriteFile", "ReadFile", "Abort", "PyFunc", "MatMul", "Add", "Shape", "ConcatV2",
      "VariableV2", "PrintV2", "StatelessRandomNormal", "DebugIdentityV2", "Save", "ShardedFilename", "StringJoin"};

  private static final byte[] EXPORT = shippedGraph();

  private static byte[] shippedGraph() {
    try {
      return java.nio.file.Files.readAllBytes(java.nio.file.Path.of("savedmodels/mnist-z2/1/saved_model.pb"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void graphEdits(com.code_intelligence.jazzer.api.FuzzedDataProvider data) throws Exception {
    org.tensorflow.proto.SavedModel.Builder model = org.tensorflow.proto.SavedModel.parseFrom(EXPORT).toBuilder();
    MetaGraphDef.Builder meta = model.getMetaGraphsBuilder(0);
    int edits = data.consumeInt(0, 6);
    for (int e = 0; e < edits; e++) {
      var nodes = meta.getGraphDefBuilder();
      int count = nodes.getNodeCount();
      String some = nodes.getNode(data.consumeInt(0, count - 1)).getName();
      switch (data.consumeInt(0, 7)) {
        case 0 -> nodes.addNode(org.tensorflow.proto.NodeDef.newBuilder().setName("fuzz" + e)
            .setOp(data.pickValue(OPS)).addInput(some).addInput(data.consumeBoolean() ? "^" + some : some + ":1"));
        case 1 -> {
          var n = nodes.getNodeBuilder(data.consumeInt(0, count - 1));
          if (n.getInputCount() > 0) {
            n.setInput(data.consumeInt(0, n.getInputCount() - 1), data.consumeBoolean() ? "^" + some : some);
          } else {
            n.addInput(some);
          }
        }
        case 2 -> nodes.getNodeBuilder(data.consumeInt(0, count - 1)).setOp(data.pickValue(OPS));
        case 3 -> model.addMetaGraphs(meta.build().toBuilder().setMetaInfoDef(meta.getMetaInfoDef().toBuilder()
            .clearTags().addTags(data.pickValue(new String[] {"serve", "gpu", "train"}))));
        case 4 -> {
          var saver = meta.getSaverDefBuilder();
          switch (data.consumeInt(0, 2)) {
            case 0 -> saver.setFilenameTensorName(some + ":0");
            case 1 -> saver.setRestoreOpName(some);
            default -> saver.setSaveTensorName(some + ":0");
          }
        }
        case 5 -> meta.putSignatureDef(data.consumeBoolean() ? "__saved_model_init_op" : "fuzz" + e,
            org.tensorflow.proto.SignatureDef.newBuilder().putOutputs("out", org.tensorflow.proto.TensorInfo
                .newBuilder().setName(some + ":0").build()).build());
        case 6 -> nodes.getNodeBuilder(data.consumeInt(0, count - 1)).setDevice("/job:fuzz");
        default -> nodes.getLibraryBuilder().addFunction(org.tensorflow.proto.FunctionDef.newBuilder()
            .setSignature(org.tensorflow.proto.OpDef.newBuilder().setName("f" + e)));
      }
    }
    MetaGraphDef checked;
    try {
      checked = GraphPolicy.readServeGraph(new ByteArrayInputStream(model.build().toByteArray()), "fuzz.pb");
    } catch (VaeException e) {
      assertTrue(e.getMessage().startsWith("fuzz.pb has ") && !e.getMessage().contains("\n"), e.getMessage());
      return;
    }
    if (GraphPolicy.findings(checked).isEmpty()) {
      assertSafe(checked);
    }
  }

  /** What an accepted graph must be, read independently of the policy's own code. */
  private static void assertSafe(MetaGraphDef meta) {
    java.util.Map<String, org.tensorflow.proto.NodeDef> byName = new java.util.HashMap<>();
    meta.getGraphDef().getNodeList().forEach(n -> byName.put(n.getName(), n));
    assertTrue(meta.getGraphDef().getLibrary().getFunctionCount() == 0);
    String filename = meta.getSaverDef().getFilenameTensorName().replaceAll(":0$", "");
    for (org.tensorflow.proto.NodeDef n : meta.getGraphDef().getNodeList()) {
      assertTrue(org.vae4j.contract.GraphOps.SERVING.contains(n.getOp())
          || org.vae4j.contract.GraphOps.SAVER.contains(n.getOp()), n.getOp());
      assertTrue(n.getDevice().isEmpty());
      if (n.getOp().equals("SaveV2") || n.getOp().equals("RestoreV2")) {
        assertTrue(n.getInput(0).replaceAll(":0$", "").equals(filename), n.getName());
        assertTrue(byName.get(filename).getOp().equals("Placeholder"), filename);
      }
    }
    java.util.Deque<String> todo = new java.util.ArrayDeque<>();
    meta.getSignatureDefMap().values().forEach(sig -> {
      sig.getInputsMap().values().forEach(t -> todo.add(t.getName()));
      sig.getOutputsMap().values().forEach(t -> todo.add(t.getName()));
    });
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      String name = todo.pop().replaceAll("^\\^", "").replaceAll(":\\d+$", "");
      org.tensorflow.proto.NodeDef n = byName.get(name);
      if (n != null && seen.add(name)) {
        assertTrue(!java.util.Set.of("SaveV2", "RestoreV2", "Assign").contains(n.getOp()),
            n.getOp() + " reached from a signature");
        todo.addAll(n.getInputList());
      }
    }
  }
}
