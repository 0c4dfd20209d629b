package org.vae4j.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.contract.Conditioning;
import org.vae4j.contract.Given;
import org.vae4j.contract.ModelCard;
import org.vae4j.data.Binarization;
import org.vae4j.data.IdxDatasets;
import org.vae4j.data.ImageSet;
import org.vae4j.serve.ElboScorer;
import org.vae4j.serve.LossScorer;
import org.vae4j.serve.Vae;

/**
 * What the web page needs beyond TF Serving's API, worked out once per served version: the card's summary, the
 * latent dimensions ordered by how much the encoder uses them (their mean KL over reference images: the sliders
 * show the largest), and the reference images' scores, against which a drawn picture's score becomes a
 * percentile. The reference is the first {@value #REFERENCE} MNIST test images (built in) for a 28 x 28 x 1 model
 * trained on MNIST, else the model's own samples.
 */
final class Explorer {
  private Explorer() {}

  static final int REFERENCE = 500;
  /** Sliders at most: the page shows the dimensions the encoder uses most. */
  static final int SLIDERS = 8;

  /** The page's data of one version, as JSON-ready maps. */
  record Summary(Map<String, Object> json) {}

  static Summary summarize(Vae vae) {
    ModelCard card = vae.card();
    Conditioning c = vae.conditioning();
    Reference ref = reference(vae, card);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("image_shape", vae.imageShape());
    out.put("latent_dim", vae.latentDim());
    out.put("architecture", card.architecture());
    out.put("likelihood", card.likelihood());
    out.put("dataset", card.dataset());
    out.put("parameters", card.parameters());
    out.put("metrics", card.metrics());
    Map<String, Object> cond = new LinkedHashMap<>();
    cond.put("kind", c.labelled() ? "label" : c.partial() ? "partial" : "none");
    cond.put("classes", c.classes());
    cond.put("observe", c.partial() ? c.observe().label() : null);
    if (c.partial() && !c.masked()) {
      int[] shape = vae.imageShape();
      boolean[] seen = c.observe().mask(shape[0], shape[1], shape[2]);
      List<Integer> flags = new ArrayList<>(seen.length);
      for (boolean b : seen) {
        flags.add(b ? 1 : 0);
      }
      cond.put("observed", flags);
    }
    cond.put("masked", c.masked());
    cond.put("regressor", c.regressor());
    out.put("conditioning", cond);
    out.put("dimensions", ref == null ? allDims(vae.latentDim()) : dimsByKl(vae, ref));
    out.put("reference", ref == null ? null : Map.of("source", ref.source, "scores", scores(vae, ref)));
    return new Summary(out);
  }

  private record Reference(String source, float[][] images, Given given) {}

  private static Reference reference(Vae vae, ModelCard card) {
    Conditioning c = vae.conditioning();
    int[] shape = vae.imageShape();
    if ("mnist".equals(card.dataset()) && Arrays.equals(shape, new int[] {28, 28, 1})) {
      ImageSet test = IdxDatasets.mnist().test().first(REFERENCE);
      boolean binary = "bernoulli".equals(card.likelihood());
      ImageSet set = binary ? Binarization.once(test, Binarization.TEST_SEED) : test;
      return new Reference("the first " + REFERENCE + " MNIST test images" + (binary ? ", binarized" : ""),
          set.images(0, REFERENCE), test.given(c, 0, REFERENCE, 1L));
    }
    if (c.partial()) {
      return null; // no pictures of its kind to compare with
    }
    if (c.labelled()) {
      int[] labels = new int[REFERENCE];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i % c.classes();
      }
      Given given = Given.labels(labels);
      return new Reference(REFERENCE + " of the model's own samples", vae.sample(given, 1L).images(), given);
    }
    return new Reference(REFERENCE + " of the model's own samples", vae.sample(REFERENCE, 1L).images(),
        Given.NONE);
  }

  /** Dimensions by mean KL(q(z_d|x) || N(0, 1)) over the reference, largest first. */
  private static List<Object> dimsByKl(Vae vae, Reference ref) {
    Vae.Encoding e = vae.encode(ref.images, ref.given);
    int z = vae.latentDim();
    double[] kl = new double[z];
    for (int i = 0; i < e.mean().length; i++) {
      for (int d = 0; d < z; d++) {
        double m = e.mean()[i][d];
        double s = e.stddev()[i][d];
        kl[d] += 0.5 * (m * m + s * s - 1 - 2 * Math.log(s)) / e.mean().length;
      }
    }
    List<Map<String, Object>> dims = new ArrayList<>();
    for (int d = 0; d < z; d++) {
      dims.add(Map.of("index", d, "kl", kl[d]));
    }
    dims.sort(Comparator.comparingDouble(m -> -(Double) m.get("kl")));
    return new ArrayList<>(dims.subList(0, Math.min(SLIDERS, z)));
  }

  private static List<Object> allDims(int z) {
    List<Object> dims = new ArrayList<>();
    for (int d = 0; d < Math.min(SLIDERS, z); d++) {
      dims.add(Map.of("index", d));
    }
    return dims;
  }

  /** The reference's scores, sorted: the ELBO, or minus the loss of an mse model (higher is more typical). */
  private static List<Float> scores(Vae vae, Reference ref) {
    float[] s;
    if (vae.scorer() instanceof ElboScorer e) {
      s = e.score(ref.images, ref.given).elbo();
    } else {
      LossScorer l = (LossScorer) vae.scorer();
      s = l.squaredErrors(ref.images, ref.given).loss().clone();
      for (int i = 0; i < s.length; i++) {
        s[i] = -s[i];
      }
    }
    Arrays.sort(s);
    List<Float> sorted = new ArrayList<>(s.length);
    for (float v : s) {
      sorted.add(v);
    }
    return sorted;
  }
}
