package org.vae4j.internal.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A scatter plot of 2-D points colored by integer label, with axes, ticks and a legend, drawn with Java2D.
 * Labels 0..9 get the ten colors of the usual categorical palette; other labels repeat it; -1 (no label) is gray.
 */
public final class ScatterPlot {
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf)};
  private static final Color UNLABELLED = new Color(0x555555);

  private ScatterPlot() {}

  /**
   * Draws {@code points} ([n][2]) on a square plot of {@code size} pixels plus a legend strip.
   *
   * @param labels one per point, or null
   */
  public static BufferedImage render(float[][] points, int[] labels, String title, String xLabel, String yLabel,
      int size) {
    int legend = 110;
    BufferedImage img = new BufferedImage(size + legend, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      int left = 70;
      int top = 40;
      int plot = size - left - 50;
      double[] xr = range(points, 0);
      double[] yr = range(points, 1);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      FontMetrics fm = g.getFontMetrics();
      // grid and ticks
      g.setStroke(new BasicStroke(1f));
      for (double t : ticks(xr)) {
        int x = left + (int) Math.round((t - xr[0]) / (xr[1] - xr[0]) * plot);
        g.setColor(new Color(0xeeeeee));
        g.drawLine(x, top, x, top + plot);
        g.setColor(Color.DARK_GRAY);
        String s = tick(t);
        g.drawString(s, x - fm.stringWidth(s) / 2, top + plot + 16);
      }
      for (double t : ticks(yr)) {
        int y = top + plot - (int) Math.round((t - yr[0]) / (yr[1] - yr[0]) * plot);
        g.setColor(new Color(0xeeeeee));
        g.drawLine(left, y, left + plot, y);
        g.setColor(Color.DARK_GRAY);
        String s = tick(t);
        g.drawString(s, left - 6 - fm.stringWidth(s), y + 4);
      }
      g.setColor(Color.DARK_GRAY);
      g.drawRect(left, top, plot, plot);
      // points, in input order with some transparency so dense regions show
      for (int i = 0; i < points.length; i++) {
        int label = labels == null ? -1 : labels[i];
        Color c = color(label);
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
        int x = left + (int) Math.round((points[i][0] - xr[0]) / (xr[1] - xr[0]) * plot);
        int y = top + plot - (int) Math.round((points[i][1] - yr[0]) / (yr[1] - yr[0]) * plot);
        g.fillOval(x - 2, y - 2, 5, 5);
      }
      // labels
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, left, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      fm = g.getFontMetrics();
      g.drawString(xLabel, left + plot / 2 - fm.stringWidth(xLabel) / 2, size - 12);
      Graphics2D rotated = (Graphics2D) g.create();
      rotated.rotate(-Math.PI / 2);
      rotated.drawString(yLabel, -(top + plot / 2 + fm.stringWidth(yLabel) / 2), 18);
      rotated.dispose();
      // legend
      TreeSet<Integer> present = new TreeSet<>();
      for (int i = 0; i < points.length; i++) {
        present.add(labels == null ? -1 : labels[i]);
      }
      int y = top + 10;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      for (int label : present) {
        g.setColor(color(label));
        g.fillOval(size + 10, y - 9, 10, 10);
        g.setColor(Color.BLACK);
        g.drawString(label < 0 ? "no label" : "label " + label, size + 26, y);
        y += 20;
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  static Color color(int label) {
    return label < 0 ? UNLABELLED : PALETTE[label % PALETTE.length];
  }

  /** [min, max] of one coordinate, padded by 5% (and widened when all points coincide). */
  private static double[] range(float[][] points, int k) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (float[] p : points) {
      lo = Math.min(lo, p[k]);
      hi = Math.max(hi, p[k]);
    }
    if (!(hi > lo)) {
      lo = (Double.isFinite(lo) ? lo : 0) - 1;
      hi = lo + 2;
    }
    double pad = 0.05 * (hi - lo);
    return new double[] {lo - pad, hi + pad};
  }

  /** About six round tick values inside the range. */
  static double[] ticks(double[] r) {
    double raw = (r[1] - r[0]) / 6;
    double step = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * step >= raw) {
        step = m * step;
        break;
      }
    }
    double first = Math.ceil(r[0] / step) * step;
    int n = (int) Math.floor((r[1] - first) / step) + 1;
    double[] t = new double[Math.max(0, n)];
    for (int i = 0; i < t.length; i++) {
      t[i] = first + i * step;
    }
    return t;
  }

  private static String tick(double t) {
    return Math.abs(t) < 1e-9 ? "0" : String.format(Locale.ROOT, "%.3g", t);
  }
}
