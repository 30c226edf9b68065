package dev.trainlog.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The direction of every module's main code, checked here because this module sees them all: no package
 * cycle, and no use of another module's {@code internal} package (the command line reads through public
 * seams: {@code ConfigCheck}, the TensorBoard reader, {@code StoreSchema} and trainlog-query).
 */
class ArchitectureTest {

  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.trainlog");

  /** Every package its own slice, so {@code core} and {@code core.internal.config} count apart. */
  static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.trainlog.(**)")
      .as("packages of dev.trainlog").should().beFreeOfCycles();

  static final ArchRule NO_OTHER_MODULES_INTERNALS = classes().that().areTopLevelClasses()
      .should(useNoInternalTypeOfAnotherModule());

  @Test
  void noPackageCycleInsideAnyModule() {
    NO_PACKAGE_CYCLES.check(ALL);
  }

  @Test
  void noModuleUsesAnotherModulesInternalTypes() {
    NO_OTHER_MODULES_INTERNALS.check(ALL);
  }

  /**
   * One violation per class and internal type it uses (nested classes counted with their top-level one),
   * so the frozen list reads like imports and survives edits inside a method.
   */
  static ArchCondition<JavaClass> useNoInternalTypeOfAnotherModule() {
    return new ArchCondition<>("use no internal type of another module") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        Set<String> used = new TreeSet<>();
        for (JavaClass c : ALL) {
          if (c.equals(origin) || c.getName().startsWith(origin.getName() + "$")) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
              JavaClass target = d.getTargetClass().getBaseComponentType();
              if (isInternal(target.getPackageName())
                  && !module(target.getPackageName()).equals(module(origin.getPackageName()))) {
                used.add(target.getName().replaceAll("\\$.*", ""));
              }
            }
          }
        }
        for (String type : used) {
          events.add(SimpleConditionEvent.violated(origin, origin.getName() + " uses " + type));
        }
      }
    };
  }

  private static boolean isInternal(String packageName) {
    return packageName.startsWith("dev.trainlog.") && ("." + packageName + ".").contains(".internal.");
  }

  /** The module a package belongs to: its third segment ({@code core}, {@code mongodb}); spi is api's. */
  private static String module(String packageName) {
    String[] parts = packageName.split("\\.");
    String module = parts.length > 2 ? parts[2] : packageName;
    return module.equals("spi") ? "api" : module;
  }
}
