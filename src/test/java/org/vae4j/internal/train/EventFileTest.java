package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

/** The TensorBoard event file is a valid TFRecord stream of Event protos. */
class EventFileTest {
  @TempDir
  Path dir;

  @Test
  void writesAFileVersionThenScalarsAndImagesThatReadBack() throws IOException {
    Path file;
    try (EventFile f = EventFile.create(dir)) {
      file = f.path();
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("test/elbo", -101.25);
      values.put("kl_weight", 0.5);
      f.scalars(469, values);
      f.image(469, "samples", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 10, 20);
    }
    assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
    List<Event> events = EventFile.read(file);
    assertEquals(3, events.size());
    assertEquals("brain.Event:2", events.get(0).getFileVersion());
    Event scalars = events.get(1);
    assertEquals(469, scalars.getStep());
    assertEquals("test/elbo", scalars.getSummary().getValue(0).getTag());
    assertEquals(-101.25f, scalars.getSummary().getValue(0).getSimpleValue());
    assertEquals(0.5f, scalars.getSummary().getValue(1).getSimpleValue());
    var image = events.get(2).getSummary().getValue(0).getImage();
    assertEquals(10, image.getHeight());
    assertEquals(20, image.getWidth());
    assertEquals('P', image.getEncodedImageString().byteAt(1));
  }

  @Test
  void theChecksumsAreTfRecordsMaskedCrc32c() {
    // CRC-32C of "123456789" is 0xE3069283 (the standard check value); masking rotates right by 15 and adds
    int crc = 0xE3069283;
    int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    assertEquals(masked, EventFile.maskedCrc("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @Test
  void corruptAndTruncatedRecordsAreNamed() throws IOException {
    Path file;
    try (EventFile f = EventFile.create(dir)) {
      file = f.path();
      f.scalars(1, Map.of("a", 1.0));
    }
    byte[] bytes = Files.readAllBytes(file);
    Path flipped = dir.resolve("flipped");
    byte[] copy = bytes.clone();
    copy[copy.length - 6] ^= 0x40;
    Files.write(flipped, copy);
    IOException e = assertThrows(IOException.class, () -> EventFile.read(flipped));
    assertTrue(e.getMessage().contains("record 1") && e.getMessage().contains("checksum"), e.getMessage());
    Path cut = dir.resolve("cut");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
    e = assertThrows(IOException.class, () -> EventFile.read(cut));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }
}
