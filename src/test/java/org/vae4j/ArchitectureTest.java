package org.vae4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency rules of docs/ARCHITECTURE.md, on the compiled main classes. */
@AnalyzeClasses(packages = "org.vae4j", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule nothingDependsOnTheCommandLine = noClasses()
      .that().resideOutsideOfPackage("org.vae4j.cli..")
      .should().dependOnClassesThat().resideInAPackage("org.vae4j.cli..")
      .because("the command line is a shell over the library");

  @ArchTest
  static final ArchRule servingStaysApartFromTraining = noClasses()
      .that().resideInAPackage("org.vae4j.serve..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.internal.train..", "org.vae4j.internal.model..",
          "org.vae4j.run..", "org.vae4j.internal.export..", "org.vae4j.data..", "org.vae4j.cli..")
      .because("an application embeds Vae without the training code: serve knows the contract only");

  @ArchTest
  static final ArchRule modelCodeNeverTouchesFiles = noClasses()
      .that().resideInAPackage("org.vae4j.internal.model..")
      .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
      .orShould().dependOnClassesThat().haveNameMatching("java\\.io\\.File.*Stream")
      .because("model builds graphs; reading and writing belong to data, train, export and run");

  @ArchTest
  static final ArchRule graphCodeKnowsNothingAbove = noClasses()
      .that().resideInAnyPackage("org.vae4j.internal.model..", "org.vae4j.data..", "org.vae4j.internal.viz..", "org.vae4j.internal.util..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.internal.train..", "org.vae4j.internal.export..",
          "org.vae4j.serve..", "org.vae4j.eval..", "org.vae4j.run..", "org.vae4j.internal.bench..", "org.vae4j.classify..",
          "org.vae4j.http..")
      .because("layers depend one way: data, model, viz and util are the bottom");

  @ArchTest
  static final ArchRule theServerAnswersThroughServing = noClasses()
      .that().resideInAPackage("org.vae4j.http..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.internal.train..", "org.vae4j.internal.model..",
          "org.vae4j.run..", "org.vae4j.internal.export..", "org.vae4j.eval..", "org.vae4j.spark..", "org.vae4j.internal.bench..",
          "org.tensorflow..")
      .because("vae serve answers every request through the Vae calls and their checks, as embedders do");

  @ArchTest
  static final ArchRule servingKnowsNoServer = noClasses()
      .that().resideInAnyPackage("org.vae4j.serve..", "org.vae4j.eval..", "org.vae4j.spark..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.http..", "com.sun.net.httpserver..")
      .because("the HTTP server sits on top of the embedding API, never under it");

  @ArchTest
  static final ArchRule theClassifierStandsBesideTraining = noClasses()
      .that().resideInAPackage("org.vae4j.classify..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.internal.export..", "org.vae4j.serve..",
          "org.vae4j.run..", "org.vae4j.eval..", "org.vae4j.internal.bench..", "org.vae4j.spark..")
      .because("the classifier judges samples handed to it; it loads no model and runs no VAE training");

  @ArchTest
  static final ArchRule trainingDoesNotExportOrRunItself = noClasses()
      .that().resideInAPackage("org.vae4j.internal.train..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.internal.export..", "org.vae4j.serve..",
          "org.vae4j.run..", "org.vae4j.eval..")
      .because("train adds the optimizer and the session; exports and whole runs sit above it");

  @ArchTest
  static final ArchRule evaluationMeasuresThroughServing = noClasses()
      .that().resideInAPackage("org.vae4j.eval..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.internal.train..", "org.vae4j.internal.model..",
          "org.vae4j.internal.export..", "org.vae4j.run..")
      .because("vae evaluate scores exactly what TF Serving would load");

  @ArchTest
  static final ArchRule configurationNeverLeaksTensorFlowsProtos = noClasses()
      .that().resideOutsideOfPackages("org.vae4j.internal.tf..", "org.vae4j.internal.train..", "org.vae4j.internal.export..",
          "org.vae4j.internal.bench..", "org.vae4j.run..", "org.vae4j.serve..", "org.vae4j.classify..")
      .should().dependOnClassesThat().haveFullyQualifiedName("org.tensorflow.proto.ConfigProto")
      .because("session configurations are built in tf.Sessions and passed down, never chosen by callers");

  @ArchTest
  static final ArchRule sparkScoresThroughServing = noClasses()
      .that().resideInAPackage("org.vae4j.spark..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.internal.train..", "org.vae4j.internal.model..",
          "org.vae4j.run..", "org.vae4j.internal.export..", "org.vae4j.eval..", "org.vae4j.internal.bench..")
      .because("Spark jobs score exported models through Vae, as any embedding application does");

  @ArchTest
  static final ArchRule onlyTheSparkPackageKnowsSpark = noClasses()
      .that().resideOutsideOfPackage("org.vae4j.spark..")
      .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..", "scala..")
      .because("Spark is a provided dependency: the rest of vae4j, and the command line's loading of its commands,"
          + " must work without it on the class path");

  @ArchTest
  static final ArchRule theRecordsStandOnTheBase = noClasses()
      .that().resideInAPackage("org.vae4j.spec..")
      .should().dependOnClassesThat().resideInAnyPackage("org.vae4j.internal..", "org.vae4j.serve..",
          "org.vae4j.run..", "org.vae4j.eval..", "org.vae4j.http..", "org.vae4j.spark..", "org.vae4j.classify..",
          "org.vae4j.cli..", "org.tensorflow..")
      .because("the spec and configuration records are plain data a user builds: they name no graph, session or"
          + " file code, so the internals may change under them");
}
