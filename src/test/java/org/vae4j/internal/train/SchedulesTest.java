package org.vae4j.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vae4j.VaeException;
import org.vae4j.spec.KlSchedule;
import org.vae4j.spec.LearningRateSchedule;

/** The KL weight and the learning rate at step k against their formulas. */
class SchedulesTest {
  @Test
  void constantWeightIsBeta() {
    KlSchedule s = new KlSchedule(4f, KlSchedule.Anneal.NONE, 1, 0);
    assertEquals(4f, s.weight(0));
    assertEquals(4f, s.weight(123_456));
  }

  @Test
  void linearAnnealingRampsFromZeroToBeta() {
    KlSchedule s = new KlSchedule(2f, KlSchedule.Anneal.LINEAR, 100, 0);
    for (long k : new long[] {0, 1, 37, 99, 100, 101, 5000}) {
      assertEquals(2.0 * Math.min(1.0, k / 100.0), s.weight(k), 1e-6, "step " + k);
    }
  }

  @Test
  void cyclicalAnnealingRepeatsARampOverHalfOfEachCycle() {
    KlSchedule s = new KlSchedule(1f, KlSchedule.Anneal.CYCLICAL, 100, 0);
    for (long k : new long[] {0, 10, 49, 50, 75, 99, 100, 110, 150, 199, 250}) {
      double want = Math.min(1.0, 2.0 * (k % 100) / 100.0);
      assertEquals(want, s.weight(k), 1e-6, "step " + k);
    }
    assertEquals(0f, s.weight(300));
    assertEquals(0.2f, s.weight(310), 1e-6);
  }

  @Test
  void balanceRuleMovesTheWeightTowardsReconstructionOverKl() {
    double alpha = 1e-3;
    KlSchedule s = new KlSchedule(1f, KlSchedule.Anneal.NONE, 1, alpha);
    assertEquals(0f, s.weight(0), "starts at 0");
    double w = 0;
    double[][] steps = {{120, 30}, {110, 25}, {100, 26}, {95, 24}};
    for (double[] step : steps) {
      s.observe(step[0], step[1]);
      w = w + alpha * (step[0] - w * step[1]);
      assertEquals(w, s.weight(0), 1e-6);
    }
    // long run on constant terms: w * KL tracks RE, so w -> RE / KL
    for (int i = 0; i < 20_000; i++) {
      s.observe(100, 20);
    }
    assertEquals(5.0, s.weight(0), 1e-3);
    // a negative reconstruction error (a Gaussian density above 1) never drives w below 0
    KlSchedule g = new KlSchedule(1f, KlSchedule.Anneal.NONE, 1, 0.01);
    g.observe(-50, 10);
    assertEquals(0f, g.weight(0));
  }

  @Test
  void conflictingOrBadKlOptionsAreNamed() {
    VaeException e = assertThrows(VaeException.class, () -> new KlSchedule(1f, KlSchedule.Anneal.LINEAR, 10, 0.001));
    assertTrue(e.getMessage().contains("klBalance and klAnneal"), e.getMessage());
    e = assertThrows(VaeException.class, () -> new KlSchedule(1f, KlSchedule.Anneal.NONE, 1, 0.1));
    assertTrue(e.getMessage().contains("oscillates"), e.getMessage());
    e = assertThrows(VaeException.class, () -> new KlSchedule(-1f, KlSchedule.Anneal.NONE, 1, 0));
    assertTrue(e.getMessage().contains("klWeight"), e.getMessage());
    e = assertThrows(VaeException.class, () -> KlSchedule.Anneal.parse("sigmoid"));
    assertTrue(e.getMessage().contains("none, linear or cyclical"), e.getMessage());
  }

  @Test
  void learningRateSchedulesFollowTheirFormulas() {
    LearningRateSchedule constant = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 0.01f, 0, 0.5, 10,
        100);
    assertEquals(0.01f, constant.rate(1));
    assertEquals(0.01f, constant.rate(100));

    LearningRateSchedule exp = new LearningRateSchedule(LearningRateSchedule.Kind.EXPONENTIAL, 0.01f, 0, 0.5, 10,
        100);
    assertEquals(0.01, exp.rate(1), 1e-9);
    assertEquals(0.01 * 0.5, exp.rate(11), 1e-9); // one epoch of 10 steps later
    assertEquals(0.01 * Math.pow(0.5, 2.5), exp.rate(26), 1e-9);

    LearningRateSchedule cos = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0.01f, 0, 1, 10, 100);
    assertEquals(0.01, cos.rate(1), 1e-9);
    assertEquals(0.005, cos.rate(51), 1e-9);
    assertEquals(0.01 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), cos.rate(26), 1e-9);
    assertEquals(0.0, cos.rate(101), 1e-9);

    LearningRateSchedule warm = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 0.01f, 4, 1, 10, 100);
    assertEquals(0.0025, warm.rate(1), 1e-9);
    assertEquals(0.0075, warm.rate(3), 1e-9);
    assertEquals(0.01, warm.rate(4), 1e-9);
    assertEquals(0.01, warm.rate(50), 1e-9);
  }

  @Test
  void badScheduleOptionsAreNamed() {
    VaeException e = assertThrows(VaeException.class,
        () -> new LearningRateSchedule(LearningRateSchedule.Kind.EXPONENTIAL, 0.01f, 0, 1.5, 1, 1));
    assertTrue(e.getMessage().contains("lrDecayRate"), e.getMessage());
    e = assertThrows(VaeException.class, () -> LearningRateSchedule.Kind.parse("step"));
    assertTrue(e.getMessage().contains("lrSchedule"), e.getMessage());
  }
}
