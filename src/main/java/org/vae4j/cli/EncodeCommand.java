package org.vae4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.vae4j.data.ImageSet;
import org.vae4j.internal.util.Files2;
import org.vae4j.serve.Vae;

/** {@code vae encode}: the latent means (and stddevs) of test images as CSV. */
final class EncodeCommand extends Command {
  EncodeCommand() {
    super("encode", "write the latent means and stddevs of test images as CSV", "--model DIR --csv FILE [options]");
  }

  @Override
  Options options() {
    return TestImages.options()
        .addOption(Args.value("csv", "FILE", "CSV file to write: index, label, mean_0.., stddev_0.."))
        .addOption(Args.value("limit", "N", "encode the first N test images only (default: all)"));
  }

  @Override
  int run(CommandLine line, Io io) throws Exception {
    Path csv = Args.requiredPath(line, "csv");
    int limit = Args.integer(line, "limit", 0, 0, Integer.MAX_VALUE);
    try (Vae vae = Args.loadModel(line)) {
      ImageSet test = TestImages.of(line, io, vae, limit).images();
      Vae.Encoding q = vae.encode(test.images(0, test.count()), TestImages.given(vae, test, 0, test.count()));
      int z = vae.latentDim();
      StringBuilder out = new StringBuilder("index,label");
      for (int j = 0; j < z; j++) {
        out.append(",mean_").append(j);
      }
      for (int j = 0; j < z; j++) {
        out.append(",stddev_").append(j);
      }
      out.append('\n');
      for (int i = 0; i < test.count(); i++) {
        out.append(i).append(',').append(test.label(i) < 0 ? "" : Integer.toString(test.label(i)));
        for (float v : q.mean()[i]) {
          out.append(',').append(String.format(Locale.ROOT, "%.6g", v));
        }
        for (float v : q.stddev()[i]) {
          out.append(',').append(String.format(Locale.ROOT, "%.6g", v));
        }
        out.append('\n');
      }
      Files2.writeAtomically(csv, out.toString().getBytes(StandardCharsets.UTF_8));
      io.out().println("wrote the latent codes of " + test.count() + " test images to " + csv);
    }
    return Main.OK;
  }
}
