package dev.klinika.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** What the demo steps made so far, and the seeded random source they share. */
class DemoContext {

	final DemoDataProperties properties;

	final Random random;

	final List<Long> branchIds = new ArrayList<>();

	final Map<String, Long> specialties = new HashMap<>();

	final Map<String, List<Long>> staffBySpecialty = new HashMap<>();

	final Map<Long, List<Long>> staffBranches = new HashMap<>();

	final Map<Long, String> staffNames = new HashMap<>();

	DemoContext(DemoDataProperties properties) {
		this.properties = properties;
		this.random = new Random(properties.seed());
	}

	<T> T pick(List<T> values) {
		return values.get(this.random.nextInt(values.size()));
	}

}
