package org.vae4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The public API is deliberate: what docs/ARCHITECTURE.md lists under "Public API" ({@link #API_PACKAGES}, and the
 * spec and configuration records of {@code model} and {@code train} in {@link #API_CLASSES}) is all a user's code
 * needs, and no public method, constructor or field of it hands out or takes a type from the internals.
 */
@AnalyzeClasses(packages = "org.vae4j", importOptions = ImportOption.DoNotIncludeTests.class)
class PublicApiTest {
  /** Packages whose public types are the API. */
  static final Set<String> API_PACKAGES = Set.of("org.vae4j", "org.vae4j.contract", "org.vae4j.data",
      "org.vae4j.serve", "org.vae4j.run", "org.vae4j.eval", "org.vae4j.http", "org.vae4j.spark",
      "org.vae4j.classify");

  /** The API's types that live among internals: the records that describe a model and its training. */
  static final Set<String> API_CLASSES = Set.of(
      "org.vae4j.model.VaeSpec", "org.vae4j.model.ConvStack", "org.vae4j.model.ImageShape", "org.vae4j.model.Architecture",
      "org.vae4j.model.Likelihood", "org.vae4j.model.StddevParameterization",
      "org.vae4j.train.TrainConfig", "org.vae4j.train.OptimizerConfig", "org.vae4j.train.ObjectiveConfig",
      "org.vae4j.train.KlSchedule", "org.vae4j.train.LearningRateSchedule", "org.vae4j.train.EpochStats",
      "org.vae4j.train.Evaluation", "org.vae4j.train.OnNan", "org.vae4j.tf.Device",
      "org.vae4j.util.Choice", "org.vae4j.model.Weights");

  static boolean isApi(JavaClass c) {
    JavaClass top = c;
    while (top.getEnclosingClass().isPresent() && !API_CLASSES.contains(top.getName())) {
      top = top.getEnclosingClass().get();
    }
    return API_PACKAGES.contains(top.getPackageName()) || API_CLASSES.contains(top.getName());
  }

  private static final DescribedPredicate<JavaClass> PUBLIC_API_CLASS = DescribedPredicate.describe(
      "public API classes", c -> isApi(c) && isVisible(c));

  private static boolean isVisible(JavaClass c) {
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> internalTypes(List<JavaType> types) {
    List<String> out = new ArrayList<>();
    for (JavaType t : types) {
      for (JavaClass c : t.getAllInvolvedRawTypes()) {
        if (c.getPackageName().startsWith("org.vae4j") && !isApi(c)) {
          out.add(c.getName());
        }
      }
    }
    return out;
  }

  private static final ArchCondition<JavaCodeUnit> USE_ONLY_API_TYPES = new ArchCondition<>(
      "take and return only API types") {
    @Override
    public void check(JavaCodeUnit m, ConditionEvents events) {
      List<JavaType> types = new ArrayList<>(m.getParameterTypes());
      types.add(m.getReturnType());
      for (String internal : internalTypes(types)) {
        events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + internal));
      }
    }
  };

  @ArchTest
  static final ArchRule apiSignaturesExposeNoInternals = codeUnits()
      .that().areDeclaredInClassesThat(PUBLIC_API_CLASS).and().arePublic()
      .should(USE_ONLY_API_TYPES)
      .because("a user's code compiles against the API alone; internals may change in any release");

  @ArchTest
  static final ArchRule apiFieldsExposeNoInternals = fields()
      .that().areDeclaredInClassesThat(PUBLIC_API_CLASS).and().arePublic()
      .should(new ArchCondition<JavaField>("have API types") {
        @Override
        public void check(JavaField f, ConditionEvents events) {
          for (String internal : internalTypes(List.of(f.getType()))) {
            events.add(SimpleConditionEvent.violated(f, f.getFullName() + " exposes " + internal));
          }
        }
      })
      .because("a user's code compiles against the API alone");
}
