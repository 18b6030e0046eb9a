package dev.klinika.demo;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.leads.DemoLeads;

/** The demo clinic's funnel, written by the leads module itself. */
@Component
@Order(9)
class LeadsDemo implements DemoStep {

	private final DemoLeads leads;

	LeadsDemo(DemoLeads leads) {
		this.leads = leads;
	}

	@Override
	public void generate(DemoContext context) {
		this.leads.generate(context.random, context.branchIds);
	}

}
