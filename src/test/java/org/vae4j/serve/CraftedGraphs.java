package org.vae4j.serve;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.vae4j.contract.Contract;

/**
 * Hostile SavedModels made as an attacker makes them: a real vae4j export's saved_model.pb edited at the protobuf
 * level (nodes added, inputs rewired, meta graphs and signatures changed), its weights left as they are.
 */
final class CraftedGraphs {
  private CraftedGraphs() {}

  /** Rewrites {@code version}'s saved_model.pb; {@code edit} gets the whole SavedModel. */
  static void editModel(Path version, Consumer<SavedModel.Builder> edit) throws IOException {
    Path file = version.resolve(Contract.SAVED_MODEL_FILE);
    SavedModel.Builder model = SavedModel.parseFrom(Files.readAllBytes(file)).toBuilder();
    edit.accept(model);
    Files.write(file, model.build().toByteArray());
  }

  /** Rewrites the (single) serving meta graph. */
  static void editGraph(Path version, Consumer<MetaGraphDef.Builder> edit) throws IOException {
    editModel(version, m -> edit.accept(m.getMetaGraphsBuilder(0)));
  }

  static NodeDef.Builder node(String name, String op, String... inputs) {
    NodeDef.Builder n = NodeDef.newBuilder().setName(name).setOp(op);
    for (String input : inputs) {
      n.addInput(input);
    }
    return n;
  }

  static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  static AttrValue types(DataType... ts) {
    AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
    for (DataType t : ts) {
      l.addType(t);
    }
    return AttrValue.newBuilder().setList(l).build();
  }

  /** A string scalar constant. */
  static NodeDef stringConst(String name, String value) {
    return strings(name, false, value);
  }

  /** A string vector constant. */
  static NodeDef stringVector(String name, String... values) {
    return strings(name, true, values);
  }

  private static NodeDef strings(String name, boolean vector, String... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_STRING);
    if (vector) {
      t.setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(values.length)));
    } else {
      t.setTensorShape(TensorShapeProto.getDefaultInstance());
    }
    for (String v : values) {
      t.addStringVal(ByteString.copyFrom(v, StandardCharsets.UTF_8));
    }
    return node(name, "Const").putAttr("dtype", type(DataType.DT_STRING))
        .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
  }

  /** Adds a control dependency of the saver's restore op (which loading runs) on {@code node}. */
  static void runAtRestore(MetaGraphDef.Builder meta, String node) {
    String restore = meta.getSaverDef().getRestoreOpName();
    for (NodeDef.Builder n : meta.getGraphDefBuilder().getNodeBuilderList()) {
      if (n.getName().equals(restore)) {
        n.addInput("^" + node);
      }
    }
  }

  /** Makes {@code node} the model's init op, which loading runs after the restore. */
  static void runAsInitOp(MetaGraphDef.Builder meta, String node) {
    meta.putSignatureDef("__saved_model_init_op", SignatureDef.newBuilder()
        .putOutputs("__saved_model_init_op", TensorInfo.newBuilder().setName(node).build()).build());
  }

  /** A node that writes {@code contents} to {@code file} (WriteFile), added to the graph. */
  static void addWriteFile(MetaGraphDef.Builder meta, String name, Path file, String contents) {
    meta.getGraphDefBuilder().addNode(stringConst(name + "_path", file.toString()))
        .addNode(stringConst(name + "_contents", contents))
        .addNode(node(name, "WriteFile", name + "_path", name + "_contents"));
  }

  /** The name of a node of the given op type in the graph. */
  static String nodeOfType(MetaGraphDef.Builder meta, String op) {
    return meta.getGraphDef().getNodeList().stream().filter(n -> n.getOp().equals(op)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + op + " in the graph")).getName();
  }
}
