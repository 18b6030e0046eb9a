package dev.klinika.demo;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.telephony.DemoCalls;

/** The demo clinic's telephony, written by the telephony module itself. */
@Component
@Order(8)
class CallsDemo implements DemoStep {

	private final DemoCalls calls;

	CallsDemo(DemoCalls calls) {
		this.calls = calls;
	}

	@Override
	public void generate(DemoContext context) {
		this.calls.generate();
	}

}
