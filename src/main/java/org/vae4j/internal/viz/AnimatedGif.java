package org.vae4j.internal.viz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.vae4j.internal.util.Files2;

/** An animated GIF from frames of equal size, looping forever, written with the JDK's GIF writer. */
public final class AnimatedGif {
  private static final String FORMAT = "javax_imageio_gif_image_1.0";

  private AnimatedGif() {}

  /** Writes {@code frames} shown {@code delayMillis} each (the last one three times as long), atomically. */
  public static void write(List<BufferedImage> frames, int delayMillis, Path file) throws IOException {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("an animation needs at least one frame");
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int i = 0; i < frames.size(); i++) {
        BufferedImage frame = frames.get(i);
        int delay = i == frames.size() - 1 ? 3 * delayMillis : delayMillis;
        writer.writeToSequence(new IIOImage(frame, null, metadata(writer, frame, delay, i == 0)), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    Files2.writeAtomically(file, bytes.toByteArray());
  }

  /** Frame metadata: its delay, and on the first frame the NETSCAPE2.0 extension that makes the GIF loop. */
  private static IIOMetadata metadata(ImageWriter writer, BufferedImage frame, int delayMillis, boolean first)
      throws IOException {
    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Integer.toString(Math.max(1, delayMillis / 10)));
    control.setAttribute("transparentColorIndex", "0");
    if (first) {
      IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
      app.setAttribute("applicationID", "NETSCAPE");
      app.setAttribute("authenticationCode", "2.0");
      app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0 = forever
      child(root, "ApplicationExtensions").appendChild(app);
    }
    meta.setFromTree(FORMAT, root);
    return meta;
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
