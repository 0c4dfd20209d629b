package org.vae4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vae4j.serve.CraftedGraphs.addWriteFile;
import static org.vae4j.serve.CraftedGraphs.editGraph;
import static org.vae4j.serve.CraftedGraphs.editModel;
import static org.vae4j.serve.CraftedGraphs.node;
import static org.vae4j.serve.CraftedGraphs.nodeOfType;
import static org.vae4j.serve.CraftedGraphs.runAsInitOp;
import static org.vae4j.serve.CraftedGraphs.runAtRestore;
import static org.vae4j.serve.CraftedGraphs.stringConst;
import static org.vae4j.serve.CraftedGraphs.stringVector;
import static org.vae4j.serve.CraftedGraphs.type;
import static org.vae4j.serve.CraftedGraphs.types;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.vae4j.Fixtures;
import org.vae4j.VaeException;
import org.vae4j.contract.Contract;

/**
 * The trust check against graphs crafted as an attacker crafts them (each class of issue 22): the wrong meta graph
 * checked, the saver's file ops on other paths, ops no export holds, signatures that lie about their tensors. Each
 * is refused in one sentence before TensorFlow runs anything, and nothing outside the model folder is created,
 * moved or deleted. Where it is safe to show, the same model loaded as trusted does the harm, so the refusal is
 * what stood in the way.
 */
class CraftedModelTest {
  private static final Fixtures.TinyModel MODEL = Fixtures.tinyModel();

  @TempDir
  Path dir;
  private Path outside;
  private Map<String, String> before;

  @BeforeEach
  void outsideFolder() throws IOException {
    outside = Files.createDirectories(dir.resolve("outside"));
    // another model's checkpoint, which a hostile merge would move and delete
    Files.createDirectories(outside.resolve("other"));
    Files.writeString(outside.resolve("other/ckpt.index"), "index");
    Files.writeString(outside.resolve("other/ckpt.data-00000-of-00001"), "data");
    Files.writeString(outside.resolve(".x.tmp-1"), "a user's file");
    before = listing(outside);
  }

  private Path copy(String name) throws IOException {
    return Fixtures.copyModel(MODEL.version, dir.resolve("models").resolve(name).resolve("1"));
  }

  private void refused(Path version, String expected) throws IOException {
    VaeException e = assertThrows(VaeException.class, () -> Vae.load(version));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertUntouched();
  }

  private void assertUntouched() throws IOException {
    assertEquals(before, listing(outside), "a file outside the model folder was created, moved or deleted");
  }

  private static Map<String, String> listing(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }

  // the wrong graph checked

  @Test
  void theMetaGraphTensorFlowLoadsIsTheOneChecked() throws IOException {
    Path version = copy("tags");
    Path written = outside.resolve("written-at-load");
    editModel(version, m -> {
      MetaGraphDef clean = m.getMetaGraphs(0);
      MetaGraphDef.Builder hostile = clean.toBuilder();
      addWriteFile(hostile, "evil", written, "gotcha");
      runAsInitOp(hostile, "evil");
      m.clearMetaGraphs();
      // a clean graph that merely includes 'serve' first, the one TensorFlow loads for {serve} second
      m.addMetaGraphs(clean.toBuilder().setMetaInfoDef(clean.getMetaInfoDef().toBuilder().addTags("other")));
      m.addMetaGraphs(hostile);
    });
    refused(version, "WriteFile at 'evil'");
    assertFalse(Files.exists(written));
    // trusted, TensorFlow loads the hostile one and its init op writes outside the folder
    Vae.load(version, VaeOptions.defaults().trusting()).close();
    assertEquals("gotcha", Files.readString(written));
  }

  @Test
  void twoMetaGraphsTaggedServeAreRefusedAndAHostileOneTaggedOtherwiseIsNotLoaded() throws IOException {
    Path two = copy("two");
    editModel(two, m -> m.addMetaGraphs(m.getMetaGraphs(0)));
    refused(two, "has 2 meta graphs tagged exactly 'serve'");

    Path aside = copy("aside");
    Path written = outside.resolve("never-written");
    editModel(aside, m -> {
      MetaGraphDef.Builder hostile = m.getMetaGraphs(0).toBuilder();
      addWriteFile(hostile, "evil", written, "gotcha");
      runAsInitOp(hostile, "evil");
      hostile.getMetaInfoDefBuilder().addTags("gpu");
      m.addMetaGraphs(0, hostile);
    });
    // TensorFlow loads the clean {serve} graph, which is the one checked: it loads and works
    try (Vae vae = Vae.load(aside)) {
      assertEquals(1, vae.encode(new float[][] {new float[784]}).mean().length);
    }
    assertFalse(Files.exists(written));
    assertUntouched();
  }

  // the saver's file ops

  @Test
  void aSaveWiredIntoTheRestoreWritingOutsideIsRefused() throws IOException {
    Path version = copy("save");
    Path target = outside.resolve("pwned");
    editGraph(version, meta -> {
      meta.getGraphDefBuilder().addNode(stringConst("evil_path", target.toString()))
          .addNode(stringVector("evil_names", "payload"))
          .addNode(stringVector("evil_slices", ""))
          .addNode(stringConst("evil_bytes", "attacker's bytes"))
          .addNode(node("evil_save", "SaveV2", "evil_path", "evil_names", "evil_slices", "evil_bytes")
              .putAttr("dtypes", types(DataType.DT_STRING)));
      runAtRestore(meta, "evil_save");
    });
    refused(version, "SaveV2 at 'evil_save' on a path other than the saver's filename");
    Vae.load(version, VaeOptions.defaults().trusting()).close();
    assertTrue(Files.exists(Path.of(target + ".index")), "trusted, the restore wrote outside the folder");
  }

  @Test
  void aMergeOfAnotherFoldersCheckpointIsRefused() throws IOException {
    Path version = copy("merge");
    editGraph(version, meta -> {
      meta.getGraphDefBuilder().addNode(stringVector("evil_from", outside.resolve("other/ckpt").toString()))
          .addNode(stringConst("evil_to", outside.resolve("moved").toString()))
          .addNode(node("evil_merge", "MergeV2Checkpoints", "evil_from", "evil_to")
              .putAttr("delete_old_dirs", AttrValue.newBuilder().setB(true).build()));
      runAtRestore(meta, "evil_merge");
    });
    refused(version, "MergeV2Checkpoints at 'evil_merge'");
  }

  @Test
  void aRestoreFromOutsideTheFolderIsRefused() throws IOException {
    Path version = copy("restore");
    editGraph(version, meta -> {
      meta.getGraphDefBuilder().addNode(stringConst("evil_prefix", outside.resolve("other/ckpt").toString()))
          .addNode(stringVector("evil_names", "encoder.conv1.bias"))
          .addNode(stringVector("evil_slices", ""))
          .addNode(node("evil_restore", "RestoreV2", "evil_prefix", "evil_names", "evil_slices")
              .putAttr("dtypes", types(DataType.DT_FLOAT)))
          .addNode(node("evil_assign", "Assign", "encoder.conv1.bias", "evil_restore")
              .putAttr("T", type(DataType.DT_FLOAT)));
      runAtRestore(meta, "evil_assign");
    });
    refused(version, "RestoreV2 at 'evil_restore' on a path other than the saver's filename");
  }

  @Test
  void aSaverWhoseFilenameIsAConstantIsRefused() throws IOException {
    Path version = copy("const-filename");
    editGraph(version, meta -> {
      meta.getGraphDefBuilder().addNode(stringConst("evil_path", outside.resolve("pwned").toString()));
      for (NodeDef.Builder n : meta.getGraphDefBuilder().getNodeBuilderList()) {
        if (n.getOp().equals("SaveV2") || n.getOp().equals("RestoreV2")) {
          n.setInput(0, "evil_path");
        }
      }
      meta.getSaverDefBuilder().setFilenameTensorName("evil_path:0");
    });
    refused(version, "on a path other than the saver's filename");
  }

  @Test
  void aSaveRunByASignatureOrByTheRestoreIsRefused() throws IOException {
    Path signature = copy("save-by-signature");
    editGraph(signature, meta -> meta.putSignatureDef("leak", SignatureDef.newBuilder()
        .putInputs("filename", TensorInfo.newBuilder().setName(meta.getSaverDef().getFilenameTensorName()).build())
        .putOutputs("done", TensorInfo.newBuilder().setName(meta.getSaverDef().getSaveTensorName() + ":0").build())
        .build()));
    refused(signature, "SaveV2 at 'save/Save' run by signature 'leak'");

    Path restore = copy("save-by-restore");
    editGraph(restore, meta -> runAtRestore(meta, nodeOfType(meta, "SaveV2")));
    refused(restore, "SaveV2 at 'save/Save' run by the restore op");
  }

  @Test
  void anInitOpThatOverwritesWeightsIsRefused() throws IOException {
    Path version = copy("assign");
    editGraph(version, meta -> {
      meta.getGraphDefBuilder().addNode(node("evil_assign", "Assign", "encoder.conv1.bias", "encoder.conv1.bias")
          .putAttr("T", type(DataType.DT_FLOAT)));
      runAsInitOp(meta, "evil_assign");
    });
    refused(version, "Assign at 'evil_assign' that is no restore of a variable");
  }

  // ops no export holds

  @Test
  void anAbortInTheRestoreIsRefusedInsteadOfKillingTheJvm() throws IOException {
    Path version = copy("abort");
    editGraph(version, meta -> {
      meta.getGraphDefBuilder().addNode(node("evil_abort", "Abort")
          .putAttr("error_msg", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("bye")).build()));
      runAtRestore(meta, "evil_abort");
    });
    refused(version, "Abort at 'evil_abort'");
  }

  @Test
  void functionsDevicesAndOpsOutsideTheListAreRefusedByName() throws IOException {
    Path function = copy("function");
    editGraph(function, meta -> meta.getGraphDefBuilder().getLibraryBuilder().addFunction(FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("innocent"))));
    refused(function, "a function 'innocent'");

    Path device = copy("device");
    editGraph(device, meta -> meta.getGraphDefBuilder().getNodeBuilder(0).setDevice("/job:ps/task:0"));
    refused(device, "a device placement at");

    Path unknown = copy("unknown");
    editGraph(unknown, meta -> meta.getGraphDefBuilder().addNode(node("quiet", "DebugIdentityV2")));
    refused(unknown, "DebugIdentityV2 at 'quiet'");
  }

  // signatures that lie about their tensors

  @Test
  void aSignatureWhoseTensorIsNotTheDeclaredTypeOrRankIsRefusedAtLoad() throws IOException {
    Path intMean = copy("int-mean");
    editGraph(intMean, meta -> {
      String images = meta.getSignatureDefOrThrow(Contract.ENCODE).getInputsOrThrow(Contract.IMAGES).getName();
      meta.getGraphDefBuilder().addNode(node("evil_shape", "Shape", images).putAttr("T", type(DataType.DT_FLOAT))
          .putAttr("out_type", type(DataType.DT_INT32)));
      SignatureDef encode = meta.getSignatureDefOrThrow(Contract.ENCODE);
      meta.putSignatureDef(Contract.ENCODE, encode.toBuilder().putOutputs(Contract.MEAN,
          encode.getOutputsOrThrow(Contract.MEAN).toBuilder().setName("evil_shape:0").build()).build());
    });
    refused(intMean, "signature 'encode' output 'mean' is float (the graph's tensor is int32), but the contract"
        + " says float");

    Path rank = copy("rank");
    editGraph(rank, meta -> {
      SignatureDef encode = meta.getSignatureDefOrThrow(Contract.ENCODE);
      TensorInfo mean = encode.getOutputsOrThrow(Contract.MEAN);
      meta.putSignatureDef(Contract.ENCODE, encode.toBuilder().putOutputs(Contract.MEAN, mean.toBuilder()
          .setTensorShape(mean.getTensorShape().toBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
          .build()).build());
    });
    refused(rank, "signature 'encode' output 'mean' has rank 3, but the contract says 2");

    Path extra = copy("extra-input");
    editGraph(extra, meta -> {
      SignatureDef encode = meta.getSignatureDefOrThrow(Contract.ENCODE);
      meta.putSignatureDef(Contract.ENCODE, encode.toBuilder().putInputs("filename", TensorInfo.newBuilder()
          .setName(meta.getSaverDef().getFilenameTensorName()).setDtype(DataType.DT_STRING).build()).build());
    });
    refused(extra, "signature 'encode' has inputs [filename, images], expected [images]");
  }

  @Test
  void aSignatureReturningTwiceTheRowsFailsTheCallInOneSentence() throws IOException {
    Path version = copy("double");
    editGraph(version, meta -> {
      SignatureDef reconstruct = meta.getSignatureDefOrThrow(Contract.RECONSTRUCT);
      TensorInfo images = reconstruct.getOutputsOrThrow(Contract.IMAGES);
      TensorProto zero = TensorProto.newBuilder().setDtype(DataType.DT_INT32)
          .setTensorShape(TensorShapeProto.getDefaultInstance()).addIntVal(0).build();
      meta.getGraphDefBuilder().addNode(node("evil_axis", "Const").putAttr("dtype", type(DataType.DT_INT32))
              .putAttr("value", AttrValue.newBuilder().setTensor(zero).build()))
          .addNode(node("evil_twice", "ConcatV2", images.getName(), images.getName(), "evil_axis")
              .putAttr("N", AttrValue.newBuilder().setI(2).build()).putAttr("T", type(DataType.DT_FLOAT))
              .putAttr("Tidx", type(DataType.DT_INT32)));
      meta.putSignatureDef(Contract.RECONSTRUCT, reconstruct.toBuilder().putOutputs(Contract.IMAGES,
          images.toBuilder().setName("evil_twice:0").build()).build());
    });
    try (Vae vae = Vae.load(version)) {
      VaeException e = assertThrows(VaeException.class, () -> vae.reconstruct(new float[][] {new float[784]}));
      assertEquals("the model's 'reconstruct' signature returned 'images' of shape [2, 28, 28, 1] for 1 rows of 784"
          + " values", e.getMessage());
      // the other signatures still answer
      assertEquals(1, vae.encode(new float[][] {new float[784]}).mean().length);
    }
    assertUntouched();
  }
}
