package dev.tongxing.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies between the gateway's packages: connectors → login → account, and nothing
 * outside the connectors reaches into one (the core knows them through {@code login.spi} alone).
 */
class ArchitectureTest {

	static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.tongxing.server");

	@Test
	void nothingOutsideTheConnectorsDependsOnOne() {
		noClasses().that()
			.resideOutsideOfPackage("dev.tongxing.server.connector..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.tongxing.server.connector..")
			.check(MAIN);
	}

	@Test
	void connectorsDoNotDependOnEachOther() {
		slices().matching("dev.tongxing.server.connector.(*)..").should().notDependOnEachOther().check(MAIN);
	}

	@Test
	void loginDependsOnNoConnectorAndAccountOnNeitherLoginNorConnector() {
		noClasses().that()
			.resideInAPackage("dev.tongxing.server.login..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.tongxing.server.connector..")
			.check(MAIN);
		noClasses().that()
			.resideInAPackage("dev.tongxing.server.account..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.tongxing.server.login..", "dev.tongxing.server.connector..",
					"dev.tongxing.server.consent..", "dev.tongxing.server.oidc..")
			.check(MAIN);
	}

	@Test
	void theKernelDependsOnNoCapability() {
		noClasses().that()
			.resideInAPackage("dev.tongxing.server.kernel..")
			.should()
			.dependOnClassesThat(resideInAPackage("dev.tongxing.server..")
				.and(JavaClass.Predicates.resideOutsideOfPackage("dev.tongxing.server.kernel..")))
			.check(MAIN);
	}

	/**
	 * A question asked at sign-in is declared once: the class that asks native apps (a {@code NativeLoginGate}) is
	 * also the browser's gate or step for it, so the two ways in cannot drift apart.
	 */
	@Test
	void everyNativeGateIsAlsoTheBrowsersGateForItsQuestion() {
		com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
			.that()
			.implement(dev.tongxing.server.login.NativeLoginGate.class)
			.should(new com.tngtech.archunit.lang.ArchCondition<JavaClass>("also implement LoginGate or PostLoginStep") {
				@Override
				public void check(JavaClass gate, com.tngtech.archunit.lang.ConditionEvents events) {
					if (!gate.isAssignableTo(dev.tongxing.server.login.LoginGate.class)
							&& !gate.isAssignableTo(dev.tongxing.server.login.PostLoginStep.class)) {
						events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(gate,
								gate.getName() + " asks native apps a question no browser gate of its own asks"));
					}
				}
			})
			.check(MAIN);
	}

	/** The application class sits on top: it starts the capabilities (and the commands), none of them names it. */
	@Test
	void noCapabilityDependsOnTheApplicationClass() {
		noClasses().that()
			.resideOutsideOfPackage("dev.tongxing.server")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.tongxing.server")
			.check(MAIN);
	}

	/** No cycles between the capability packages, with no edge ignored. */
	@Test
	void noPackageCycles() {
		slices().matching("dev.tongxing.server.(*)..")
			.should()
			.beFreeOfCycles()
			.check(MAIN);
	}

}
