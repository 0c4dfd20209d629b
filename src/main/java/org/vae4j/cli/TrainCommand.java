package org.vae4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.tensorflow.proto.ConfigProto;
import org.vae4j.VaeException;
import org.vae4j.contract.ModelCard;
import org.vae4j.data.Dataset;
import org.vae4j.data.IdxDatasets;
import org.vae4j.export.SavedModelExport;
import org.vae4j.json.Json;
import org.vae4j.model.ImageShape;
import org.vae4j.model.VaeSpec;
import org.vae4j.serve.Vae;
import org.vae4j.tf.Device;
import org.vae4j.train.EpochStats;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.TrainingListener;
import org.vae4j.train.TrainingSession;
import org.vae4j.util.Files2;
import org.vae4j.viz.ImageGrid;

/** {@code vae train}: trains the conv VAE, exports a SavedModel and writes sample and reconstruction pictures. */
final class TrainCommand extends Command {
  static final int DEFAULT_LATENT = 32;
  static final int SAMPLE_COUNT = 64;
  static final int RECONSTRUCTION_COUNT = 32;

  TrainCommand() {
    super("train", "train a VAE (built-in MNIST by default), export it as a SavedModel, write sample pictures",
        "[options]");
  }

  @Override
  Options options() {
    return new Options()
        .addOption(Args.value("data", "DIR", "folder with the four idx files of an MNIST-like data set"
            + " (gzipped or not); default: the built-in MNIST"))
        .addOption(Args.value("epochs", "N", "passes over the training images (default 10)"))
        .addOption(Args.batchSize())
        .addOption(Args.latentDim())
        .addOption(Args.value("learning-rate", "X", "Adam step size (default 0.001)"))
        .addOption(Args.value("seed", "N", "seed of weights, data order and noise (default 42)"))
        .addOption(Args.value("limit", "N", "train on the first N training images only (default: all)"))
        .addOption(Args.value("out", "DIR", "run folder to create (default runs/<timestamp>)"))
        .addOption(Args.value("model-version", "N", "version folder of the export (default 1)"))
        .addOption(Args.device());
  }

  @Override
  int run(CommandLine line, Io io) throws IOException {
    TrainConfig config = TrainConfig.defaults()
        .withEpochs(Args.integer(line, "epochs", TrainConfig.DEFAULT_EPOCHS, 1, 100_000))
        .withBatchSize(Args.integer(line, "batch-size", TrainConfig.DEFAULT_BATCH, 2, 65_536))
        .withLearningRate(Args.positive(line, "learning-rate", TrainConfig.DEFAULT_LEARNING_RATE, 10f))
        .withSeed(Args.longValue(line, "seed", TrainConfig.DEFAULT_SEED))
        .withLimit(Args.integer(line, "limit", 0, 0, Integer.MAX_VALUE));
    int latent = Args.integer(line, "latent-dim", DEFAULT_LATENT, 1, VaeSpec.MAX_LATENT);
    long version = Args.longValue(line, "model-version", 1);
    if (version < 1) {
      throw new UsageException("--model-version must be a positive whole number, got " + version);
    }
    Device device = Args.parseDevice(line);
    Path out = line.hasOption("out") ? Path.of(line.getOptionValue("out"))
        : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    checkFreshFolder(out);

    Path dataDir = Args.path(line, "data");
    Dataset data = dataDir == null ? IdxDatasets.mnist() : IdxDatasets.folder(dataDir);
    if (config.limit() > 0) {
      data = data.limitTrain(config.limit());
    }
    if (data.train().count() < 2) {
      throw new VaeException("training needs at least 2 images, the data set has " + data.train().count());
    }
    VaeSpec spec = VaeSpec.conv(new ImageShape(data.height(), data.width(), data.channels()), latent);
    Device.Resolved target = device.resolve();
    ConfigProto sessionConfig = target.config();
    Files.createDirectories(out);
    Files2.writeAtomically(out.resolve("spec.json"), specJson(spec, config, data).getBytes(StandardCharsets.UTF_8));

    List<EpochStats> history = new ArrayList<>();
    Path checkpoint;
    long parameters;
    try (TrainingSession session = TrainingSession.create(spec, config, sessionConfig)) {
      parameters = session.parameterCount();
      io.out().printf("vae4j: %s VAE, z=%d, %,d parameters; %s: %,d training / %,d test images of %s; %s%n",
          spec.architecture().label(), latent, parameters, data.name(), data.train().count(), data.test().count(),
          spec.image(), target.label());
      ProgressBar bar = new ProgressBar(io.err(), io.terminal());
      TrainingListener listener = new TrainingListener() {
        @Override
        public void batchDone(int epoch, int batch, int batches, double loss, double seconds) {
          bar.update(String.format("epoch %d/%d", epoch, config.epochs()), batch, batches, seconds,
              String.format("loss %.2f", loss));
        }

        @Override
        public void epochDone(EpochStats s) {
          bar.clear();
          io.out().println(epochLine(s, config.epochs()));
        }
      };
      Path checkpointDir = out.resolve("checkpoint");
      checkpoint = null;
      try {
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
          history.add(session.trainEpoch(data.train(), epoch, data.test(), listener));
          checkpoint = session.saveCheckpoint(checkpointDir);
          writeMetrics(out.resolve("metrics.csv"), history);
        }
      } finally {
        bar.clear();
      }
    }

    EpochStats last = history.get(history.size() - 1);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("test_elbo", last.test().elbo());
    metrics.put("test_reconstruction_log_likelihood", last.test().reconstructionLogLikelihood());
    metrics.put("test_kl", last.test().kl());
    metrics.put("train_elbo", last.train().elbo());
    ModelCard card = ModelCard.create(spec.image().toArray(), latent, spec.architecture().label(),
        spec.likelihood().label(), data.name(), SavedModelExport.DEFAULT_SCORE_SAMPLES, parameters,
        config.toMap(), metrics);
    Path exported = SavedModelExport.export(spec, checkpoint, card, out.resolve("savedmodel"), version,
        sessionConfig);

    try (Vae vae = Vae.load(exported, target.gpu() ? Device.GPU : Device.CPU)) {
      ImageGrid grid = new ImageGrid(data.height(), data.width(), data.channels(), 2, 1);
      ImageGrid.writePng(grid.render(vae.sample(SAMPLE_COUNT, config.seed()).images(), 8),
          out.resolve("samples.png"));
      float[][] originals = data.test().images(0, Math.min(RECONSTRUCTION_COUNT, data.test().count()));
      ImageGrid.writePng(grid.renderPairs(originals, vae.reconstruct(originals), 8),
          out.resolve("reconstructions.png"));
    }
    io.out().printf("test -ELBO %.2f nats per image after %d epoch%s%n", -last.test().elbo(), config.epochs(),
        config.epochs() == 1 ? "" : "s");
    io.out().println("SavedModel: " + exported);
    io.out().println("pictures:   " + out.resolve("samples.png") + ", " + out.resolve("reconstructions.png"));
    return Main.OK;
  }

  static String epochLine(EpochStats s, int epochs) {
    return String.format("epoch %" + String.valueOf(epochs).length() + "d/%d  train -ELBO %7.2f (rec %7.2f, KL %6.2f)"
            + "  test -ELBO %7.2f (rec %7.2f, KL %6.2f)  %,6.0f img/s  %5.1f s",
        s.epoch(), epochs, -s.train().elbo(), -s.train().reconstructionLogLikelihood(), s.train().kl(),
        -s.test().elbo(), -s.test().reconstructionLogLikelihood(), s.test().kl(), s.imagesPerSecond(), s.seconds());
  }

  /** A run never writes into a folder that already holds something: nothing a user had is overwritten. */
  private static void checkFreshFolder(Path out) throws IOException {
    if (Files.exists(out)) {
      if (!Files.isDirectory(out)) {
        throw new UsageException("--out " + out + " is a file; give a folder to create");
      }
      try (Stream<Path> children = Files.list(out)) {
        if (children.findAny().isPresent()) {
          throw new UsageException("--out " + out + " exists and is not empty; choose a new folder");
        }
      }
    }
  }

  private static String specJson(VaeSpec spec, TrainConfig config, Dataset data) {
    Map<String, Object> m = new LinkedHashMap<>(spec.toMap());
    m.put("dataset", data.name());
    m.put("training_images", data.train().count());
    m.put("test_images", data.test().count());
    m.put("training", config.toMap());
    return Json.write(m) + "\n";
  }

  private static void writeMetrics(Path file, List<EpochStats> history) throws IOException {
    StringBuilder csv = new StringBuilder("epoch,train_elbo,train_reconstruction_log_likelihood,train_kl,"
        + "test_elbo,test_reconstruction_log_likelihood,test_kl,images_per_second,seconds\n");
    for (EpochStats s : history) {
      csv.append(String.format(java.util.Locale.ROOT, "%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.1f,%.2f%n", s.epoch(),
          s.train().elbo(), s.train().reconstructionLogLikelihood(), s.train().kl(), s.test().elbo(),
          s.test().reconstructionLogLikelihood(), s.test().kl(), s.imagesPerSecond(), s.seconds()));
    }
    Files2.writeAtomically(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }
}
