package cardterm.terminal.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

/**
 * The layers and packages as the README draws them, kept by a test: {@code terminal -> devices
 * -> firmware-bridge}, {@code terminal} reaching firmware only through {@code devices}, and no
 * package cycle in any module's main sources. A new cycle or a skipped layer fails here, naming
 * the classes.
 */
class ArchitectureTest {
    /** Main sources only: not test classes, nor the modules' test jars. */
    private static final ImportOption MAIN_ONLY = (Location location) -> !location.contains("/test-classes/")
            && !location.contains("-tests.jar");

    private static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(MAIN_ONLY)
            .importPackages("cardterm");

    @Test
    void theClassesOfAllThreeModulesAreSeen() {
        // a rule over nothing passes: make sure each layer is really imported
        org.assertj.core.api.Assertions.assertThat(CLASSES.stream().map(c -> c.getPackageName().split("\\.")[1])
                .distinct()).contains("bridge", "devices", "terminal");
    }

    @Test
    void terminalReachesFirmwareOnlyThroughDevices() {
        noClasses().that().resideInAPackage("cardterm.terminal..").should().dependOnClassesThat()
                .resideInAPackage("cardterm.bridge..").check(CLASSES);
    }

    @Test
    void devicesKnowNothingOfTheTerminal() {
        noClasses().that().resideInAPackage("cardterm.devices..").should().dependOnClassesThat()
                .resideInAPackage("cardterm.terminal..").check(CLASSES);
    }

    @Test
    void firmwareBridgeKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage("cardterm.bridge..").should().dependOnClassesThat()
                .resideInAnyPackage("cardterm.devices..", "cardterm.terminal..").check(CLASSES);
    }

    @Test
    void noPackageCycleInTheTerminal() {
        slices().matching("cardterm.terminal.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noPackageCycleInDevices() {
        slices().matching("cardterm.devices.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noPackageCycleInTheFirmwareBridge() {
        slices().matching("cardterm.bridge.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theStoreKnowsNoTransport() {
        noClasses().that().resideInAnyPackage("cardterm.terminal.store..", "cardterm.terminal.event..",
                "cardterm.terminal.command..").should().dependOnClassesThat()
                .resideInAnyPackage("org.eclipse.paho..", "cardterm.terminal.hub..").check(CLASSES);
    }

    @Test
    void commandsKnowNoDoor() {
        noClasses().that().resideInAPackage("cardterm.terminal.command..").should().dependOnClassesThat()
                .resideInAnyPackage("cardterm.terminal.hub..", "cardterm.terminal.cli..", "cardterm.terminal.app..")
                .check(CLASSES);
    }
}
