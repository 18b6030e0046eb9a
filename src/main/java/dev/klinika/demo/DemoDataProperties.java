package dev.klinika.demo;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled load demo data into an empty database; unset means "when the embedded
 * database is used"
 * @param seed seed of the random choices, so that two runs make the same clinic
 * @param staff how many staff members to create across the branches (at least one per
 * specialty)
 * @param password the password of every demo login
 * @param patients how many patients to generate (1,000,000 for benchmarks)
 * @param appointments at most this many appointments, past and future (1,000,000 for
 * benchmarks)
 */
@ConfigurationProperties("klinika.demo")
record DemoDataProperties(@Nullable Boolean enabled, Long seed, Integer staff, String password, Integer patients,
		Integer appointments) {

	public DemoDataProperties {
		seed = seed == null ? 20261125L : seed;
		staff = staff == null ? 25 : Math.max(staff, 1);
		password = password == null || password.isBlank() ? "klinika" : password;
		patients = patients == null ? 5000 : Math.max(patients, 0);
		appointments = appointments == null ? 50_000 : Math.max(appointments, 0);
	}

}
