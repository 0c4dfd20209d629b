package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.tensorflow.proto.MetaGraphDef;
import org.vae4j.VaeException;

/**
 * Coverage-guided fuzzing (Jazzer) of the trust check on arbitrary {@code saved_model.pb} bytes: what {@link
 * Vae#load} runs before TensorFlow sees a graph. It returns the denied ops (never null) or throws a {@link
 * VaeException} naming the file; anything else is a finding. Replayed by {@code mvn test}; fuzzed with
 * {@code JAZZER_FUZZ=1 mvn test -Dtest='GraphPolicyFuzzTest#savedModel'}.
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
}
