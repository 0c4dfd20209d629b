package org.vae4j.serve;

import java.util.Map;

/**
 * One signature of a loaded graph ({@link Vae#signatures()}): its key, method name, and inputs and outputs by
 * name.
 *
 * @param key the signature's key in the SavedModel (for example {@code encode})
 * @param methodName the method name the graph gives it
 * @param inputs its inputs by name
 * @param outputs its outputs by name
 */
public record SignatureInfo(String key, String methodName, Map<String, TensorInfo> inputs,
    Map<String, TensorInfo> outputs) {
  /** Keeps unmodifiable copies of the inputs and outputs. */
  public SignatureInfo {
    inputs = Map.copyOf(inputs);
    outputs = Map.copyOf(outputs);
  }
}
