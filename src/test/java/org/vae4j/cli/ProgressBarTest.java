package org.vae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void outsideATerminalItWritesPlainLinesNowAndThenAndNothingAtTheEnd() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(err, false, 0);
    bar.update("log p(x)", 0, 100, 0, "images");
    bar.update("log p(x)", 25, 100, 90, "images");
    bar.update("log p(x)", 100, 100, 360, "images");
    bar.clear();
    assertEquals("log p(x) 25/100 images, 1:30 elapsed, ETA 4:30\n", bytes.toString(StandardCharsets.UTF_8));

    ByteArrayOutputStream quiet = new ByteArrayOutputStream();
    ProgressBar minute = new ProgressBar(new PrintStream(quiet, true, StandardCharsets.UTF_8), false);
    minute.update("epoch 1/1", 0, 10, 0, "");
    minute.update("epoch 1/1", 5, 10, 1, "");
    assertEquals("", quiet.toString(StandardCharsets.UTF_8), "nothing for a task shorter than a minute");
  }
}
