package org.vae4j.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.vae4j.Fixtures;
import org.vae4j.contract.Contract;
import org.vae4j.contract.GraphOps;
import org.vae4j.contract.Observation;
import org.vae4j.internal.model.InferenceGraph;
import org.vae4j.spec.Architecture;
import org.vae4j.spec.ImageShape;
import org.vae4j.spec.Likelihood;
import org.vae4j.spec.StddevParameterization;
import org.vae4j.spec.VaeSpec;
import org.vae4j.spec.Weights;

/**
 * The trust check's allowlist is derived from what the exporter writes: exactly the ops of the serving graphs of
 * every architecture, likelihood, stddev, conditioning and weight choice, and exactly those of the saver
 * TensorFlow Java writes beside them. A new op in an export fails here first (add it, knowing what it does), and
 * an op no export uses any more leaves the list.
 */
class ExportedOpsTest {
  @Test
  void theServingOpsAreExactlyThoseOfEveryKindOfExport() {
    Set<String> used = new TreeSet<>();
    int graphs = 0;
    for (Architecture architecture : Architecture.values()) {
      for (Likelihood likelihood : Likelihood.values()) {
        for (StddevParameterization stddev : StddevParameterization.values()) {
          for (VaeSpec spec : conditionings(architecture == Architecture.CONV
              ? VaeSpec.conv(new ImageShape(28, 28, 1), 4) : VaeSpec.mlp(new ImageShape(28, 28, 1), 4, 16))) {
            for (Weights weights : Weights.values()) {
              used.addAll(ops(spec.withLikelihood(likelihood, 0.1f).withStddev(stddev), weights));
              graphs++;
            }
          }
        }
      }
    }
    assertEquals(2 * Likelihood.values().length * StddevParameterization.values().length * 5 * 2, graphs);
    assertEquals(new TreeSet<>(GraphOps.SERVING), used);
  }

  @Test
  void theSaverOpsAreExactlyThoseTheExporterWrites() throws IOException {
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(Fixtures.tinyModel().version
        .resolve(Contract.SAVED_MODEL_FILE)));
    Set<String> saver = new TreeSet<>(Set.of("VariableV2"));
    for (NodeDef n : model.getMetaGraphs(0).getGraphDef().getNodeList()) {
      if (n.getName().startsWith("save/")) {
        saver.add(n.getOp());
      }
    }
    assertEquals(new TreeSet<>(GraphOps.SAVER), saver);
  }

  private static VaeSpec[] conditionings(VaeSpec plain) {
    return new VaeSpec[] {plain, plain.withClasses(3), plain.withObservation(Observation.MIDDLE_COLUMN, false),
        plain.withObservation(Observation.MIDDLE_COLUMN, true), plain.withObservation(Observation.RANDOM_MASK, false)};
  }

  private static Set<String> ops(VaeSpec spec, Weights weights) {
    try (Graph g = new Graph()) {
      InferenceGraph.build(Ops.create(g), spec, 8, weights);
      Set<String> types = new TreeSet<>();
      g.operations().forEachRemaining(o -> types.add(o.type()));
      return types;
    }
  }
}
