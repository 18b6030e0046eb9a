package dev.klinika;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
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

	/**
	 * The module map in docs/architecture.md is the one the code has: which modules each
	 * module uses and which events it listens to, as Modulith reads them.
	 */
	@Test
	void theArchitectureDocumentShowsTheModuleMapOfTheCode() throws IOException {
		StringBuilder map = new StringBuilder(
				"| module | uses | listens to (other modules' events) |\n|---|---|---|\n");
		this.modules.stream()
			.sorted(java.util.Comparator.comparing(module -> module.getIdentifier().toString()))
			.forEach(module -> map.append("| `")
				.append(module.getIdentifier())
				.append("` | ")
				.append(module.getDirectDependencies(this.modules)
					.uniqueModules()
					.map(other -> other.getIdentifier().toString())
					.sorted()
					.distinct()
					.collect(Collectors.joining(", ")))
				.append(" | ")
				.append(listened(module))
				.append(" |\n"));
		Path generated = Path.of("target/module-map.md");
		Files.createDirectories(generated.getParent());
		Files.writeString(generated, map.toString());
		assertThat(Files.readString(Path.of("docs/architecture.md")))
			.as("docs/architecture.md shows the module map; copy " + generated + " into it")
			.contains(map.toString());
	}

	private String listened(ApplicationModule module) {
		return module.getEventsListenedTo(this.modules)
			.stream()
			.map(type -> type.getSimpleName())
			.sorted()
			.distinct()
			.collect(Collectors.joining(", "));
	}

}
