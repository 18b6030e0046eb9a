package dev.klinika.billing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.stereotype.Component;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The desk's steps for billing tests: a bill made over HTTP as a demo login, a payment,
 * service calls as a login, calls raced at once, and the branches' drawers opened.
 */
@Component
class Desk {

	private final ObjectProvider<MockMvc> mvc;

	private final Logins logins;

	private final JdbcClient jdbc;

	private final UserDetailsService accounts;

	Desk(ObjectProvider<MockMvc> mvc, Logins logins, JdbcClient jdbc, UserDetailsService accounts) {
		this.mvc = mvc;
		this.logins = logins;
		this.jdbc = jdbc;
		this.accounts = accounts;
	}

	/** Every active branch gets an open shift, so that cash can be taken. */
	void openDrawers() {
		this.jdbc.sql("""
				insert into cash_shift (branch_id, currency, opened_by, opened_at, opening_balance)
				select b.id, 'RUB', 'admin', now(), 0 from organization_branch_v b
				 where not exists (select 1 from cash_shift s where s.branch_id = b.id and s.closed_at is null)
				""").update();
	}

	/**
	 * Closes the branch's open shift as if counted right, for a test to start with none.
	 */
	void closeDrawer(long branch) {
		this.jdbc.sql("""
				update cash_shift set closed_by = 'admin', closed_at = now(), expected = 0, counted = 0
				 where branch_id = :branch and closed_at is null
				""").param("branch", branch).update();
	}

	/** Runs the calls at once; how many succeeded (the rest were refused). */
	int race(List<Callable<Object>> calls) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(calls.size());
		try {
			List<Future<Object>> futures = pool.invokeAll(calls);
			int done = 0;
			for (Future<Object> future : futures) {
				try {
					future.get();
					done++;
				}
				catch (java.util.concurrent.ExecutionException ex) {
					assertThat(ex.getCause()).isInstanceOf(BillingRefused.class);
				}
			}
			return done;
		}
		finally {
			pool.shutdown();
		}
	}

	<T> T as(String login, java.util.function.Supplier<T> step) {
		var user = this.accounts.loadUserByUsername(login);
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
		try {
			return step.get();
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	/**
	 * A bill without a visit for a patient of the login's branch, with one goods line.
	 */
	long billWith(String login, String price) throws Exception {
		return billWith(login, price, this.logins.branchOf("admin"));
	}

	long billWith(String login, String price, long branch) throws Exception {
		long patient = this.jdbc.sql("""
				select id from patients_card_v where home_branch_id = :branch and live order by random() limit 1
				""").param("branch", branch).query(Long.class).single();
		return billFor(patient, branch, login, price);
	}

	/** A new bill without a visit over HTTP, as the login; its id. */
	long newBill(long patient, long branch, String login) throws Exception {
		MvcResult made = this.mvc.getObject()
			.perform(post("/billing/patients/{id}/bills", patient).param("branch", String.valueOf(branch))
				.with(csrf())
				.with(this.logins.as(login)))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		String to = made.getResponse().getRedirectedUrl();
		assertThat(to).startsWith("/billing/bills/");
		return Long.parseLong(to.substring("/billing/bills/".length()));
	}

	long billFor(long patient, long branch, String login, String price) throws Exception {
		long bill = newBill(patient, branch, login);
		this.mvc.getObject()
			.perform(post("/billing/bills/{id}/lines", bill).param("goodsName", "Материалы")
				.param("goodsPrice", price)
				.with(csrf())
				.with(this.logins.as(login)))
			.andExpect(status().is3xxRedirection());
		assertThat(this.jdbc.sql("select count(*) from bill_line where bill_id = :bill")
			.param("bill", bill)
			.query(Integer.class)
			.single()).isEqualTo(1);
		return bill;
	}

	MvcResult pay(long bill, String login, Map<String, String> form) throws Exception {
		var request = post("/billing/bills/{id}/pay", bill).with(csrf()).with(this.logins.as(login));
		form.forEach(request::param);
		return this.mvc.getObject().perform(request).andExpect(status().is3xxRedirection()).andReturn();
	}

	/**
	 * Refunds part of a line over HTTP with a reason; the answer (a redirect either way).
	 */
	MvcResult refund(long bill, String login, long line, String amount, String to, String reason) throws Exception {
		return this.mvc.getObject()
			.perform(post("/billing/bills/{id}/refund", bill).param("line", String.valueOf(line))
				.param("amount", amount)
				.param("to", to)
				.param("reason", reason)
				.with(csrf())
				.with(this.logins.as(login)))
			.andExpect(status().is3xxRedirection())
			.andReturn();
	}

	/** Every column of the bill's ledger transfers, in order. */
	List<Map<String, Object>> transfers(long bill) {
		return this.jdbc.sql("select * from ledger_transfer where bill_id = :bill order by id")
			.param("bill", bill)
			.query()
			.listOfRows();
	}

	/** The id of the bill's one line. */
	long onlyLine(long bill) {
		return this.jdbc.sql("select id from bill_line where bill_id = :bill")
			.param("bill", bill)
			.query(Long.class)
			.single();
	}

}
