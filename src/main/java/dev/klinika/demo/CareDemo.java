package dev.klinika.demo;

import java.time.Clock;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.care.DemoPrescriptions;

/**
 * The demo clinic's prescriptions and their pathways, written by the care module itself.
 */
@Component
@Order(9)
class CareDemo implements DemoStep {

	private final DemoPrescriptions prescriptions;

	private final Clock clock;

	CareDemo(DemoPrescriptions prescriptions, Clock clock) {
		this.prescriptions = prescriptions;
		this.clock = clock;
	}

	@Override
	public void generate(DemoContext context) {
		this.prescriptions.generate(context.random, this.clock.instant());
	}

}
