package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogTest {
  @TempDir
  Path run;

  @Test
  void resumingDropsTheEpochsRunAgainAndARowCutShortByACrash() throws IOException {
    Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\": 1, \"x\": 1}\n{\"epoch\": 2, \"x\": 2}\n"
        + "{\"epoch\": 3, \"x\": 3}\n{\"epoch\": 4, \"x\"", StandardCharsets.UTF_8);
    Files.writeString(run.resolve("metrics.csv"), "epoch,x\n1,1\n2,2\n3,3\n4", StandardCharsets.UTF_8);
    try (RunLog log = RunLog.resume(run, true, 3)) {
      assertEquals(List.of("{\"epoch\": 1, \"x\": 1}", "{\"epoch\": 2, \"x\": 2}"),
          Files.readAllLines(run.resolve("metrics.jsonl")));
      List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
      assertEquals(List.of("1,1", "2,2"), csv.subList(1, csv.size()));
    }
    assertEquals(Integer.MAX_VALUE, RunLog.epochOf("{\"epo", true));
    assertEquals(Integer.MAX_VALUE, RunLog.epochOf("", false));
    assertEquals(7, RunLog.epochOf("7,1.5", false));
  }
}
