package org.vae4j.spark;

import org.apache.spark.sql.SparkSession;
import org.vae4j.VaeException;

/** The Spark session of vae4j's own jobs and tests: an existing one (spark-submit's), or one for a master URL. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * The running session, or a new one: on {@code master} when given, else on what spark-submit configured, else on
   * {@code local[*]}. The web UI stays off unless configured: a scoring job does not need a port.
   *
   * @throws VaeException when a session on another master runs in this JVM already
   */
  public static SparkSession local(String master, String appName) {
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined() && !running.get().sparkContext().isStopped()) {
      String current = running.get().sparkContext().master();
      if (master != null && !master.equals(current)) {
        throw VaeException.setting("this JVM runs Spark on " + current + " already; master " + master
            + " cannot start beside it", "master");
      }
      return running.get();
    }
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (master != null) {
      builder.master(master);
      if (master.startsWith("local")) {
        // a local job talks to itself only: on the loopback interface, whatever the host name resolves to
        builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
      }
    } else if (System.getProperty("spark.master") == null) {
      builder.master("local[*]");
    }
    if (System.getProperty("spark.ui.enabled") == null) {
      builder.config("spark.ui.enabled", "false");
    }
    return builder.getOrCreate();
  }
}
