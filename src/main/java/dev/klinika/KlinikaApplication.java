package dev.klinika;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/** Klinika: a CRM for private clinics, one deployable application on PostgreSQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Modulithic(systemName = "Klinika", sharedModules = "shared")
public class KlinikaApplication {

	public static void main(String[] args) {
		SpringApplication.run(KlinikaApplication.class, args);
	}

}
