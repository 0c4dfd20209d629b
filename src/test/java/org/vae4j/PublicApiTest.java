package org.vae4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
 * The public API is deliberate: the packages docs/ARCHITECTURE.md lists under "Public API" ({@link #API_PACKAGES})
 * are all a user's code needs; no public method, constructor or field of them hands out or takes a type from the
 * internals; and every other public class lives under {@code org.vae4j.internal} (free to change in any release),
 * the command line's entry point aside.
 */
@AnalyzeClasses(packages = "org.vae4j", importOptions = ImportOption.DoNotIncludeTests.class)
class PublicApiTest {
  /** Packages whose public types are the API. */
  static final Set<String> API_PACKAGES = Set.of("org.vae4j", "org.vae4j.spec", "org.vae4j.contract",
      "org.vae4j.data", "org.vae4j.serve", "org.vae4j.run", "org.vae4j.eval", "org.vae4j.http", "org.vae4j.spark",
      "org.vae4j.classify");

  /** The internals' root: public there only because another vae4j package calls it. */
  static final String INTERNAL = "org.vae4j.internal";

  /** The one public class outside both: the program {@code java -jar} starts. */
  static final String ENTRY_POINT = "org.vae4j.cli.Main";

  static boolean isApi(JavaClass c) {
    return API_PACKAGES.contains(c.getPackageName());
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

  @ArchTest
  static final ArchRule publicClassesAreApiOrMarkedInternal = classes()
      .that().arePublic().and().areTopLevelClasses()
      .and().resideOutsideOfPackages(API_PACKAGES.toArray(String[]::new))
      .and().resideOutsideOfPackage(INTERNAL + "..")
      .should().haveFullyQualifiedName(ENTRY_POINT)
      .because("a public class is either API (documented, stable) or under org.vae4j.internal (free to change);"
          + " the command line's other classes are package-private");

  @ArchTest
  static final ArchRule theApiStandsOnItself = noClasses()
      .that().resideInAnyPackage(API_PACKAGES.toArray(String[]::new))
      .and().arePublic()
      .should().beAssignableTo(DescribedPredicate.describe("an internal type",
          (JavaClass c) -> c.getPackageName().startsWith(INTERNAL)))
      .because("an API type that extends or implements an internal one would hand the internal's methods out");
}
