package org.vae4j.spec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.VaeException;

/**
 * The conv encoder's stack, which the decoder mirrors: one stride-2 convolution per level (kernel 4, leaky ReLU,
 * batch norm on every level but the first) with that level's channels, optionally a 3x3 convolution after each
 * that keeps its size (batch norm, leaky ReLU), then a dense layer of {@code dense} units (none when 0) before the
 * latent head. The decoder runs it backwards with transposed convolutions and ReLU.
 *
 * <p>The default follows the image ({@link #defaultFor}): the seed's two levels (64 and 128 channels), then levels
 * of 256 added until the feature map in front of the dense layer is at most {@value #MAX_SIDE} x {@value
 * #MAX_SIDE} and at most {@value #MAX_FEATURES} values (or the sides cannot be halved again), with a dense layer
 * of 1024. For images up to 32 x 32 that is the seed architecture, {@link #SEED} (7 x 7 x 128 features for
 * 28 x 28, 8 x 8 x 128 for 32 x 32); sides that halve only once get one level.
 *
 * @param channels each level's channels, the first (nearest the pixels) first: 1 to {@value #MAX_LEVELS} levels
 * @param extra whether each level adds a 3x3 convolution that keeps its size
 * @param dense the dense layer's width, 0 for none (the latent head then reads the features directly)
 */
public record ConvStack(int[] channels, boolean extra, int dense) {
  /** The most levels: a 256-pixel side halves to 1 after 8. */
  public static final int MAX_LEVELS = 8;
  /** The most channels of one level. */
  public static final int MAX_CHANNELS = 4096;
  /** The widest dense layer. */
  public static final int MAX_DENSE = 65_536;
  /** The default stack stops once the feature map's sides are at most this. */
  public static final int MAX_SIDE = 8;
  /** The default stack stops once the feature map holds at most this many values. */
  public static final int MAX_FEATURES = 8192;
  /** The channels of the default stack's levels: doubling from 64, then 256 from the third level on. */
  private static final int[] DEFAULT_CHANNELS = {64, 128, 256};
  /** The dense layer of the default stack. */
  public static final int DEFAULT_DENSE = 1024;
  /** The design's stack: conv 64, conv 128, dense 1024 (what every model card without a stack describes). */
  public static final ConvStack SEED = new ConvStack(new int[] {64, 128}, false, DEFAULT_DENSE);

  /** The card's and spec.json's names for the stack. */
  public static final String CHANNELS = "conv_channels";
  /** The card's name for {@link #extra}. */
  public static final String EXTRA = "conv_extra";
  /** The card's name for {@link #dense}. */
  public static final String DENSE = "conv_dense";

  /**
   * Checks the stack and keeps a copy of the channels.
   *
   * @throws VaeException naming {@code convChannels} or {@code convDense} when a count is out of range
   */
  public ConvStack {
    if (channels == null || channels.length < 1 || channels.length > MAX_LEVELS) {
      throw VaeException.setting("convChannels needs 1 to " + MAX_LEVELS + " levels, got "
          + (channels == null ? "none" : channels.length), "convChannels");
    }
    channels = channels.clone();
    for (int c : channels) {
      if (c < 1 || c > MAX_CHANNELS) {
        throw VaeException.setting("convChannels must be between 1 and " + MAX_CHANNELS + ", got " + c,
            "convChannels");
      }
    }
    if (dense < 0 || dense > MAX_DENSE) {
      throw VaeException.setting("convDense must be between 0 (no dense layer) and " + MAX_DENSE + ", got "
          + dense, "convDense");
    }
  }

  /** Each level's channels (a copy). */
  @Override
  public int[] channels() {
    return channels.clone();
  }

  /** The number of stride-2 levels: the image's sides are divided by 2 to this power. */
  public int levels() {
    return channels.length;
  }

  /**
   * The default stack for {@code image}: the seed's two levels, then levels added until the features in front of
   * the dense layer are at most {@value #MAX_SIDE} x {@value #MAX_SIDE} and {@value #MAX_FEATURES} values, or the
   * sides stop halving evenly.
   */
  public static ConvStack defaultFor(ImageShape image) {
    int h = image.height();
    int w = image.width();
    int levels = 0;
    int c = image.channels();
    // the seed's two levels at least (where the sides halve twice), then more while the features are too many
    while (levels < MAX_LEVELS && h % 2 == 0 && w % 2 == 0
        && (levels < SEED.levels() || h > MAX_SIDE || w > MAX_SIDE || (long) h * w * c > MAX_FEATURES)) {
      h /= 2;
      w /= 2;
      c = DEFAULT_CHANNELS[Math.min(levels, DEFAULT_CHANNELS.length - 1)];
      levels++;
    }
    if (levels == 0) {
      throw VaeException.setting("a conv model halves the image at each level; " + image + " has an odd side: use"
          + " architecture mlp, or images with even sides", "architecture");
    }
    int[] channels = new int[levels];
    for (int i = 0; i < levels; i++) {
      channels[i] = DEFAULT_CHANNELS[Math.min(i, DEFAULT_CHANNELS.length - 1)];
    }
    return new ConvStack(channels, false, DEFAULT_DENSE);
  }

  /**
   * Refuses an image whose sides do not divide by 2 to the power of the levels.
   *
   * @throws VaeException naming {@code convChannels}
   */
  public void check(ImageShape image) {
    int d = 1 << levels();
    if (image.height() % d != 0 || image.width() % d != 0) {
      throw VaeException.setting("a conv stack of " + levels() + " levels needs image sides divisible by " + d
          + ", got " + image + "; give fewer levels in convChannels, or images of another size", "convChannels");
    }
  }

  /** The feature map in front of the dense layer for {@code image}: [height, width, channels]. */
  public int[] features(ImageShape image) {
    int d = 1 << levels();
    return new int[] {image.height() / d, image.width() / d, channels[channels.length - 1]};
  }

  /** The stack's card fields. */
  public Map<String, Object> cardFields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(CHANNELS, channels.clone());
    if (extra) {
      m.put(EXTRA, true);
    }
    m.put(DENSE, dense);
    return m;
  }

  /**
   * Reads the card fields back; a card or spec.json without them (written before stacks were a setting)
   * describes {@link #SEED}.
   *
   * @throws VaeException naming the field when it is not what {@link #cardFields} writes
   */
  public static ConvStack fromFields(Map<String, Object> m, String source) {
    Object channels = m.get(CHANNELS);
    if (channels == null) {
      return SEED;
    }
    if (!(channels instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof Number)) {
      throw new VaeException(source + ": '" + CHANNELS + "' must be a list of channel counts");
    }
    Object extra = m.getOrDefault(EXTRA, false);
    Object dense = m.getOrDefault(DENSE, DEFAULT_DENSE);
    if (!(extra instanceof Boolean) || !(dense instanceof Number)) {
      throw new VaeException(source + ": '" + EXTRA + "' must be true or false and '" + DENSE + "' a number");
    }
    return new ConvStack(list.stream().mapToInt(v -> ((Number) v).intValue()).toArray(), (Boolean) extra,
        ((Number) dense).intValue());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvStack s && Arrays.equals(channels, s.channels) && extra == s.extra && dense == s.dense;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(channels) * 31 + Boolean.hashCode(extra) * 7 + dense;
  }

  @Override
  public String toString() {
    return "conv " + Arrays.toString(channels) + (extra ? " + 3x3" : "") + (dense > 0 ? ", dense " + dense
        : ", no dense layer");
  }
}
