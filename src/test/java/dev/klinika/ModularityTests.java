package dev.klinika;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module structure holds (no cycles, no use of another module's internals) and is
 * documented.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(KlinikaApplication.class);

	@Test
	void verifiesModuleStructure() {
		this.modules.verify();
	}

	@Test
	void findsTheModulesOfTheArchitecture() {
		assertThat(this.modules.stream().map(module -> module.getIdentifier().toString())).contains("organization",
				"catalog", "patients", "security", "workspace", "demo", "shared");
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(this.modules, Documenter.Options.defaults().withOutputFolder("target/modulith-docs"))
			.writeDocumentation()
			.writeIndividualModulesAsPlantUml();
	}

}
