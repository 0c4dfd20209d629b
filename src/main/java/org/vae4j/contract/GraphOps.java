package org.vae4j.contract;

import java.util.Set;

/**
 * The op types a vae4j SavedModel holds: those of the serving graph for every architecture, likelihood, stddev and
 * conditioning, and those of the saver TensorFlow Java writes beside it. {@code ExportedOpsTest} builds every
 * kind of export and checks that this list is exactly what they use, so the trust check that allows only these
 * ops neither refuses an export nor allows more than exports need.
 */
public final class GraphOps {
  private GraphOps() {}

  /**
   * Ops of the serving graph (math, shapes, batch norm, stateless noise, the label and mask checks; Greater,
   * Maximum and SelectV2 for the discretized logistic's edge bins and its thin-bin fallback).
   */
  public static final Set<String> SERVING = Set.of("Add", "All", "Assert", "BiasAdd", "ConcatV2", "Const", "Conv2D",
      "Conv2DBackpropInput", "Equal", "Exp", "ExpandDims", "Fill", "FusedBatchNormV3", "GatherV2", "Greater",
      "GreaterEqual", "Identity", "LeakyRelu", "Less", "Log", "LogicalAnd", "LogicalOr", "MatMul", "Maximum", "Mean",
      "Mul", "MulNoNan", "Neg", "OneHot", "Pack", "Placeholder", "Range", "Rank", "Relu", "Reshape", "SelectV2",
      "Shape", "Sigmoid", "Slice", "Softplus", "Split", "Square", "StatelessRandomNormal", "Sub", "Sum", "Tile",
      "VariableV2", "ZerosLike");

  /**
   * Ops of the saver's subgraph: the filename placeholder, the tensor names, SaveV2 and RestoreV2 on that filename,
   * an Assign per variable and the restore NoOp.
   */
  public static final Set<String> SAVER = Set.of("Placeholder", "Const", "ZerosLike", "SaveV2", "RestoreV2",
      "Assign", "Identity", "NoOp", "VariableV2");

  /** The checkpoint ops, allowed only on the saver's filename. */
  public static final Set<String> FILE_OPS = Set.of("SaveV2", "RestoreV2");
}
