package org.vae4j.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.VaeException;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.tf.Sessions;
import org.vae4j.internal.train.TrainingSession;

/** The conv stack follows the image: the seed design where it fits, deeper for larger pictures, read back alike. */
class ConvStackTest {
  private static long parameters(VaeSpec spec) {
    try (TrainingSession s = TrainingSession.create(spec, TrainConfig.defaults(), Sessions.cpu())) {
      return s.parameterCount();
    }
  }

  @Test
  void theDefaultStackGrowsUntilTheFeaturesAreAtMost8By8And8192Values() {
    assertEquals(ConvStack.SEED, ConvStack.defaultFor(new ImageShape(28, 28, 1)), "7 x 7 x 128");
    assertEquals(ConvStack.SEED, ConvStack.defaultFor(new ImageShape(32, 32, 3)), "8 x 8 x 128 = 8192");
    assertArrayEquals(new int[] {64, 128, 256, 256}, ConvStack.defaultFor(new ImageShape(64, 64, 3)).channels());
    assertArrayEquals(new int[] {64, 128, 256, 256, 256},
        ConvStack.defaultFor(new ImageShape(128, 128, 3)).channels());
    assertArrayEquals(new int[] {4, 8, 256}, ConvStack.defaultFor(new ImageShape(64, 128, 3))
        .features(new ImageShape(64, 128, 3)), "non-square: both sides at most 8");
    // sides that stop halving end the stack where they must
    assertArrayEquals(new int[] {64}, ConvStack.defaultFor(new ImageShape(30, 28, 1)).channels());
  }

  @Test
  void the28By28DefaultIsTheSeedDesignAndLargePicturesStayUnder25MillionParameters() {
    VaeSpec mnist = VaeSpec.conv(new ImageShape(28, 28, 1), 32);
    assertEquals(13_224_705L, parameters(mnist), "the design's conv VAE, z = 32");
    VaeSpec photos = VaeSpec.conv(new ImageShape(64, 64, 3), 32);
    // the seed stack on 64 x 64 x 3: 16 x 16 x 128 features before a 1024-unit layer, the figure
    assertEquals(67_545_603L, parameters(photos.withConvStack(ConvStack.SEED)));
    long photos64 = parameters(photos);
    long photos128 = parameters(VaeSpec.conv(new ImageShape(128, 128, 3), 32));
    assertTrue(photos64 < 25_000_000L, "64 x 64 x 3: " + photos64);
    assertTrue(photos128 <= 25_000_000L, "128 x 128 x 3: " + photos128);
  }

  @Test
  void aStackWithExtraConvolutionsAndNoDenseLayerBuilds() {
    VaeSpec spec = VaeSpec.conv(new ImageShape(32, 32, 3), 16).withConvStack(new ConvStack(new int[] {32, 64, 64},
        true, 0));
    // conv1 (bias) + 3 extra 3x3 + conv2, conv3 with batch norm; no encoder.dense1; the head reads 4 x 4 x 64
    long p = parameters(spec);
    assertTrue(p > 0);
    assertEquals("conv [32, 64, 64] + 3x3 dense 0 VAE, z=16, bernoulli, softplus stddev", spec.toString());
  }

  @Test
  void theCardFormReadsBackAndOldCardsDescribeTheSeedStack() {
    VaeSpec spec = VaeSpec.conv(new ImageShape(64, 64, 3), 8).withConvStack(new ConvStack(new int[] {32, 64, 128,
        128}, true, 512));
    Map<String, Object> m = new HashMap<>(Json.parseObject(Json.write(spec.toMap()))); // as spec.json holds it
    assertEquals("[32, 64, 128, 128]", m.get(ConvStack.CHANNELS).toString());
    assertEquals(spec, VaeSpec.fromMap(m, "spec.json"));
    m.remove(ConvStack.CHANNELS);
    m.remove(ConvStack.EXTRA);
    m.remove(ConvStack.DENSE);
    assertEquals(ConvStack.SEED, VaeSpec.fromMap(m, "an old card").convStack(), "written before stacks");
    assertFalse(VaeSpec.mlp(new ImageShape(28, 28, 1), 2, 16).toMap().containsKey(ConvStack.CHANNELS));
  }

  @Test
  void stacksThatDoNotFitTheImageAreOneSentenceNamingTheField() {
    VaeException deep = assertThrows(VaeException.class, () -> VaeSpec.conv(new ImageShape(28, 28, 1), 2)
        .withConvStack(new ConvStack(new int[] {64, 128, 256}, false, 1024)));
    assertEquals("a conv stack of 3 levels needs image sides divisible by 8, got 28x28x1; give fewer levels in"
        + " convChannels, or images of another size", deep.getMessage());
    assertEquals(List.of("convChannels"), deep.fields());
    assertEquals("convChannels needs 1 to 8 levels, got 0", assertThrows(VaeException.class,
        () -> new ConvStack(new int[0], false, 1)).getMessage());
    assertEquals(List.of("convDense"), assertThrows(VaeException.class,
        () -> new ConvStack(new int[] {8}, false, -1)).fields());
    assertEquals("convChannels applies only to the conv architecture", assertThrows(VaeException.class,
        () -> VaeSpec.mlp(new ImageShape(28, 28, 1), 2, 8).withConvStack(ConvStack.SEED)).getMessage());
  }

  @Test
  void aCraftedStackOnACardIsOneSentenceNotAGraph() {
    // what a model card or spec.json may hold when the model to start from (--init-from) was made by someone else
    Map<String, Object> base = Json.parseObject(Json.write(VaeSpec.conv(new ImageShape(28, 28, 1), 2).toMap()));
    Object[][] cases = {
        {ConvStack.CHANNELS, List.of("64", "128"), "'conv_channels' must be a list of channel counts"},
        {ConvStack.CHANNELS, "64,128", "'conv_channels' must be a list of channel counts"},
        {ConvStack.CHANNELS, List.of(1e40, 1e40), "convChannels must be between 1 and 4096"},
        {ConvStack.CHANNELS, java.util.Collections.nCopies(9, 8), "convChannels needs 1 to 8 levels, got 9"},
        {ConvStack.CHANNELS, List.of(), "convChannels needs 1 to 8 levels, got 0"},
        {ConvStack.EXTRA, "yes", "must be true or false"},
        {ConvStack.DENSE, -5, "convDense must be between 0"},
        {ConvStack.CHANNELS, List.of(64, 128, 256, 256), "needs image sides divisible by 16, got 28x28x1"}};
    for (Object[] c : cases) {
      Map<String, Object> m = new HashMap<>(base);
      m.put((String) c[0], c[1]);
      VaeException e = assertThrows(VaeException.class, () -> VaeSpec.fromMap(m, "card"), c[0] + " = " + c[1]);
      assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), "one sentence");
    }
  }
}
