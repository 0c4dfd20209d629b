package org.vae4j.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vae4j.VaeException;
import org.vae4j.Version;
import org.vae4j.contract.Contract;
import org.vae4j.contract.ModelCard;
import org.vae4j.internal.json.Json;
import org.vae4j.internal.util.Files2;
import org.vae4j.internal.util.FolderLock;
import org.vae4j.internal.util.SafeFiles;

/**
 * Every evaluation of a model, kept: {@code assets.extra/evaluations/<UTC time>.json}, each with its protocol (test
 * data and binarization, images, K, seed, vae4j version). The model card shows the most complete one: the most
 * test images, then the largest K, then the most images with a log-likelihood estimate, the newest on a tie. A
 * new evaluation less complete than the one the card shows is recorded but replaces the card's figures only when
 * the caller asks.
 *
 * <p>Models evaluated before the history existed have one {@code evaluation.json}; it is kept as the history's
 * first entry. A card whose figures are still the training run's (it names no evaluation) counts as an entry too,
 * so a quick check never replaces a full test set's figures silently. {@code evaluation.json} stays a copy of the
 * evaluation the card shows. Every write is atomic, and one lock keeps two evaluations from racing on the card.
 */
public final class EvaluationHistory {
  /** The folder of evaluations, relative to a version folder. */
  public static final String FOLDER = "assets.extra/evaluations";
  /** The copy of the shown evaluation, relative to a version folder (what earlier releases wrote). */
  public static final String SHOWN = "assets.extra/evaluation.json";

  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss.SSS'Z'");
  private static final long MAX_BYTES = 1 << 20;

  private EvaluationHistory() {}

  /**
   * One kept evaluation.
   *
   * @param name its file name in {@link #FOLDER}
   * @param figures what it wrote, protocol included
   */
  public record Entry(String name, Map<String, Object> figures) {
    /** Test images the ELBO covers. */
    public long images() {
      return whole("test_images");
    }

    /** Importance samples per image of the log-likelihood estimate, 0 when none. */
    public long importanceSamples() {
      return whole("test_importance_samples");
    }

    /** Images with a log-likelihood estimate. */
    public long importanceImages() {
      return whole("test_importance_images");
    }

    private long whole(String key) {
      return figures.get(key) instanceof Number n ? n.longValue() : 0;
    }

    /** The card's test figures from this evaluation. */
    public Map<String, Double> cardMetrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      for (String key : ModelCard.TEST_FIGURES) {
        if (figures.get(key) instanceof Number n) {
          m.put(key, n.doubleValue());
        }
      }
      return m;
    }

    /** What the card says about where its figures come from. */
    Map<String, Object> reference() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", FOLDER.substring("assets.extra/".length()) + "/" + name);
      m.put("images", images());
      m.put("importance_samples", importanceSamples());
      m.put("importance_images", importanceImages());
      if (figures.get("test_data") != null) {
        m.put("test_data", figures.get("test_data"));
      }
      return m;
    }

    /** A short description for messages: "10000 images, K = 5000 on 10000". */
    public String protocol() {
      return images() + " images" + (importanceSamples() > 0
          ? ", K = " + importanceSamples() + " on " + importanceImages() : ", no log-likelihood estimate");
    }
  }

  /** More test images, then larger K, then more images with an estimate, win. */
  public static final Comparator<Entry> COMPLETENESS = Comparator.comparingLong(Entry::images)
      .thenComparingLong(Entry::importanceSamples).thenComparingLong(Entry::importanceImages);

  /**
   * What recording did.
   *
   * @param recorded the new evaluation
   * @param shown the evaluation the card shows now (the new one, or a more complete earlier one)
   * @param file the file the new evaluation was written to
   */
  public record Outcome(Entry recorded, Entry shown, Path file) {
    /** Whether the card now shows the new evaluation's figures. */
    public boolean cardUpdated() {
      return shown == recorded;
    }
  }

  /** Every evaluation kept for the model in {@code version}, oldest first (a missing folder is an empty history). */
  public static List<Entry> read(Path version) {
    Path folder = version.resolve(FOLDER);
    SafeFiles.checkOwnFolder(folder, version, "evaluation history");
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json") && !name.startsWith(".")) {
          entries.add(new Entry(name, readJson(file, version)));
        }
      }
    } catch (IOException e) {
      throw new VaeException("cannot read " + folder + ": " + e.getMessage(), e);
    }
    return entries;
  }

  /**
   * Starts the history of a model evaluated before vae4j kept one: its {@code evaluation.json} (or the training
   * run's test figures) becomes the first entry, and the card names it. Does nothing when a history exists.
   *
   * @return the card as it is now
   */
  public static ModelCard adopt(Path version, ModelCard card) {
    Path folder = version.resolve(FOLDER);
    // before the lock file is made or a leftover deleted: a linked folder would lead them elsewhere
    SafeFiles.checkOwnFolder(folder, version, "evaluation history");
    try (FolderLock lock = FolderLock.acquire(folder, "recording an evaluation")) {
      if (!read(version).isEmpty()) {
        return card;
      }
      Entry earlier = earlierFigures(version, card);
      if (earlier == null) {
        return card;
      }
      write(folder.resolve(earlier.name()), earlier.figures());
      ModelCard named = card.withEvaluation(card.metrics().entrySet().stream()
          .filter(e -> ModelCard.TEST_FIGURES.contains(e.getKey()))
          .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
              LinkedHashMap::new)), earlier.reference());
      write(version.resolve(Contract.MODEL_CARD), named);
      return named;
    }
  }

  /**
   * Keeps {@code report} as a new evaluation of the model in {@code version} and shows on the card the most
   * complete evaluation kept, or this one when {@code replace}.
   */
  public static Outcome record(Path version, ModelCard loaded, TestReport report, boolean replace) {
    Path folder = version.resolve(FOLDER);
    // before the lock file is made or a leftover deleted: a linked folder would lead them elsewhere
    SafeFiles.checkOwnFolder(folder, version, "evaluation history");
    try (FolderLock lock = FolderLock.acquire(folder, "recording an evaluation")) {
      // the card as it is now, under the lock: another evaluation may have changed it since the model loaded
      ModelCard card = current(version, loaded);
      Files2.deleteLeftovers(folder, p -> false); // interrupted writes: stale while the lock is held
      List<Entry> entries = new ArrayList<>(read(version));
      if (entries.isEmpty()) {
        Entry earlier = earlierFigures(version, card);
        if (earlier != null) {
          write(folder.resolve(earlier.name()), earlier.figures());
          entries.add(earlier);
        }
      }
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("recorded", now.withNano(now.getNano() / 1_000_000 * 1_000_000).toString());
      figures.put("vae4j_version", Version.VAE4J);
      figures.putAll(report.toMap());
      Entry recorded = new Entry(freeName(folder, now), figures);
      write(folder.resolve(recorded.name()), figures);
      Entry current = shownNow(card, entries);
      Entry shown = replace || current == null || COMPLETENESS.compare(recorded, current) >= 0 ? recorded : current;
      if (shown == recorded) {
        write(version.resolve(SHOWN), figures);
        write(version.resolve(Contract.MODEL_CARD), card.withEvaluation(recorded.cardMetrics(),
            recorded.reference()));
      }
      return new Outcome(recorded, shown, folder.resolve(recorded.name()));
    }
  }

  private static ModelCard current(Path version, ModelCard loaded) {
    Path file = version.resolve(Contract.MODEL_CARD);
    try {
      return ModelCard.fromJson(SafeFiles.readUtf8(file, version, MAX_BYTES, "model card"), file.toString());
    } catch (NoSuchFileException | IllegalArgumentException e) {
      return loaded;
    }
  }

  /** The entry the card shows: the one it names, else the most complete one kept, else null. */
  private static Entry shownNow(ModelCard card, List<Entry> entries) {
    Object file = card.evaluation().get("file");
    for (Entry e : entries) {
      if (e.reference().get("file").equals(file)) {
        return e;
      }
    }
    return entries.stream().max(COMPLETENESS).orElse(null);
  }

  /** The figures a model had before its first recorded evaluation, as a history entry, or null when none. */
  private static Entry earlierFigures(Path version, ModelCard card) {
    Path legacy = version.resolve(SHOWN);
    if (Files.isRegularFile(legacy)) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("recorded", "before " + Version.VAE4J + " kept a history (from evaluation.json)");
      figures.putAll(readJson(legacy, version));
      return new Entry("0000-evaluation.json", figures);
    }
    if (card.evaluation().isEmpty() && card.metrics().containsKey("test_images")) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("recorded", card.created());
      figures.put("vae4j_version", card.vae4jVersion());
      figures.put("test_data", "the training run's test set (" + card.training().getOrDefault("test_data", "")
          + ")");
      figures.put("elbo_estimate", "the training run's evaluation at export: one sampled z per image");
      figures.putAll(card.metrics());
      figures.keySet().retainAll(new java.util.HashSet<>(concat(List.of("recorded", "vae4j_version", "test_data",
          "elbo_estimate"), ModelCard.TEST_FIGURES)));
      return new Entry("0000-training.json", figures);
    }
    if (card.evaluation().get("images") instanceof Number) {
      // the history files are gone (a model copied without them): the card's own protocol is what it shows
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("recorded", "restored from the model card (its evaluation's file was missing)");
      figures.putAll(card.metrics());
      figures.keySet().retainAll(new java.util.HashSet<>(concat(List.of("recorded"), ModelCard.TEST_FIGURES)));
      figures.put("test_images", card.evaluation().get("images"));
      figures.put("test_importance_samples", card.evaluation().getOrDefault("importance_samples", 0L));
      figures.put("test_importance_images", card.evaluation().getOrDefault("importance_images", 0L));
      if (card.evaluation().get("test_data") instanceof String data) {
        figures.put("test_data", data);
      }
      return new Entry("0000-card.json", figures);
    }
    return null;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String freeName(Path folder, OffsetDateTime now) {
    String stem = NAME.format(now);
    String name = stem + ".json";
    for (int i = 2; Files.exists(folder.resolve(name)); i++) {
      name = stem + "-" + i + ".json";
    }
    return name;
  }

  private static Map<String, Object> readJson(Path file, Path version) {
    try {
      return Json.parseObject(SafeFiles.readUtf8(file, version, MAX_BYTES, "evaluation"));
    } catch (NoSuchFileException e) {
      throw new VaeException(file + " disappeared while it was read", e);
    } catch (IllegalArgumentException e) {
      throw new VaeException(file + " is not a valid evaluation: " + e.getMessage(), e);
    }
  }

  private static void write(Path file, Object value) {
    byte[] bytes = (value instanceof ModelCard c ? c.toJson() : Json.write(value) + "\n")
        .getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.getParent());
      Files2.writeAtomically(file, bytes);
    } catch (IOException e) {
      throw new VaeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
