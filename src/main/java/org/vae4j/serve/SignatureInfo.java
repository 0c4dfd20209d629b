package org.vae4j.serve;

import java.util.Map;

/**
 * One signature of a loaded graph ({@link Vae#signatures()}): its key, method name, and inputs and outputs by
 * name.
 */
public record SignatureInfo(String key, String methodName, Map<String, TensorInfo> inputs,
    Map<String, TensorInfo> outputs) {
  public SignatureInfo {
    inputs = Map.copyOf(inputs);
    outputs = Map.copyOf(outputs);
  }
}
