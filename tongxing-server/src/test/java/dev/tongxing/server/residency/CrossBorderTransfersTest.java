package dev.tongxing.server.residency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PIPL Art. 38–39 at start-up: a client abroad names its legal basis, its company and contact, and asks consent. */
class CrossBorderTransfersTest {

	static List<String> problems(String region, String mechanism, boolean firstParty, String company, String contact) {
		return CrossBorderTransfers.problems(new ClientRegions(List.of(
				new ClientRegions.Client("app", region, mechanism, company, contact, firstParty))), Set.of("cn"));
	}

	@Test
	void aClientAbroadMustNameItsBasisItsCompanyAndCannotSkipConsent() {
		assertThat(problems("us", null, false, "C", "c@example.com")).singleElement().asString()
			.contains("tongxing.clients[0] (app)").contains("cross-border-mechanism").contains("PIPL Art. 38");
		assertThat(problems("us", "a-promise", false, "C", "c@example.com")).singleElement().asString()
			.contains("cross-border-mechanism");
		assertThat(problems("us", "standard-contract", true, "C", "c@example.com")).singleElement().asString()
			.contains("cannot be first-party");
		assertThat(problems("us", "standard-contract", false, null, null)).singleElement().asString()
			.contains("company and contact");
		assertThat(problems("cn", "certification", false, null, null)).singleElement().asString().contains("remove it");
		assertThat(problems("US!", null, false, null, null)).singleElement().asString().contains("lower-case region");
		assertThat(problems("us", "security-assessment", false, "C", "c@example.com")).isEmpty();
		assertThat(problems("cn", null, true, null, null)).isEmpty();
	}

	@Test
	void theGatewayDoesNotStartWithOneAndTellsWhichClientAbroadWhatItLacks() {
		CrossBorderTransfers transfers = new CrossBorderTransfers(
				new ClientRegions(List.of(new ClientRegions.Client("app", "us", null, null, null, true))),
				new ResidencyProperties(List.of("cn"), Map.of()));
		assertThatThrownBy(transfers::afterSingletonsInstantiated).hasMessageContaining("receive personal data abroad")
			.hasMessageContaining("cannot be first-party");
		CrossBorderTransfers fine = new CrossBorderTransfers(new ClientRegions(List.of(
				new ClientRegions.Client("app", "sg", "standard-contract", "C", "c@example.com", false),
				new ClientRegions.Client("home", "cn", null, null, null, true))), new ResidencyProperties(List.of("cn"), Map.of()));
		assertThat(fine.of("app")).hasValueSatisfying(t -> assertThat(t.region()).isEqualTo("sg"));
		assertThat(fine.of("home")).isEmpty();
		assertThat(fine.of("unknown")).isEmpty();
	}

}
