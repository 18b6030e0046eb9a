package dev.klinika.demo;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.billing.BillHistory;
import dev.klinika.organization.ClinicProfile;

/**
 * The demo clinic's money: a bill with payments for every visit done before today (but
 * the few that walked past the cash desk), the cash desks' closed shifts, and today's
 * drawers open, so that the desk takes money at once.
 */
@Component
@Order(7)
class BillingDemo implements DemoStep {

	private static final Logger log = LoggerFactory.getLogger(BillingDemo.class);

	private final BillHistory history;

	private final ClinicProfile clinic;

	private final Clock clock;

	BillingDemo(BillHistory history, ClinicProfile clinic, Clock clock) {
		this.history = history;
		this.clinic = clinic;
		this.clock = clock;
	}

	@Override
	public void generate(DemoContext context) {
		var currency = this.clinic.current().getCurrency();
		var today = LocalDate.now(this.clock.withZone(ZoneId.of("Europe/Moscow")))
			.atStartOfDay(ZoneId.of("Europe/Moscow"))
			.toInstant();
		BillHistory.Made made = this.history.billCompletedVisits(today, currency);
		int open = this.history.openDrawers(this.clock.instant(), currency);
		this.history.prepayOnline("CON-MANU-1");
		log.info("Demo money: {} bills, {} ledger transfers, {} closed cash shifts, {} open", made.bills(),
				made.transfers(), made.shifts(), open);
	}

}
