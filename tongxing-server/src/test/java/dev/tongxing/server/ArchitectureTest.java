package dev.tongxing.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;

import com.tngtech.archunit.base.DescribedPredicate;
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
			.dependOnClassesThat(resideInAPackage("dev.tongxing.server.connector..")
				// known, still to move: the complaint form normalises a contact number with the phone connector's parser
				.and(not(type(dev.tongxing.server.connector.phone.PhoneNumbers.class))))
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
	 * No cycles between the capability packages. The edges ignored here are the tangles still to break, each
	 * named: a new cycle, or one of these growing a new edge between other packages, fails.
	 */
	@Test
	void noPackageCycles() {
		slices().matching("dev.tongxing.server.(*)..")
			.should()
			.beFreeOfCycles()
			// the audit log's listeners for tokens and released data live in audit rather than with their events
			.ignoreDependency(inPackage("audit"), inPackage("oidc"))
			.check(MAIN);
	}

	private static DescribedPredicate<JavaClass> inPackage(String capability) {
		return resideInAPackage("dev.tongxing.server." + capability + "..");
	}

}
