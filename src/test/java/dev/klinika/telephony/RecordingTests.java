package dev.klinika.telephony;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import dev.klinika.KlinikaTest;
import dev.klinika.Logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A call's recording plays through Klinika from the vendor's link (a real HTTP server on
 * loopback stands in for the PBX's storage): whole or from a position, audited, only for
 * those who may hear the call, and a vendor that fails is a clear 502.
 */
@KlinikaTest
class RecordingTests {

	@Autowired
	Calls calls;

	@Autowired
	MockMvc mvc;

	@Autowired
	Logins logins;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aRecordingStreamsFromTheVendorWithSeekingAndEachListeningIsAudited() throws Exception {
		byte[] audio = new byte[64 * 1024];
		Arrays.fill(audio, (byte) 7);
		audio[1000] = 42;
		List<String> ranges = new CopyOnWriteArrayList<>();
		HttpServer vendor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		vendor.createContext("/rec/", exchange -> {
			String range = exchange.getRequestHeaders().getFirst("Range");
			ranges.add(String.valueOf(range));
			exchange.getResponseHeaders().add("Content-Type", "audio/mpeg");
			if (exchange.getRequestURI().getPath().endsWith("gone.mp3")) {
				exchange.sendResponseHeaders(404, -1);
			}
			else if (exchange.getRequestURI().getPath().endsWith("moved.mp3")) {
				// A listed host sends the player on to this machine's own endpoints.
				exchange.getResponseHeaders()
					.set("Location", "http://127.0.0.1:" + exchange.getLocalAddress().getPort()
							+ "/rec/call.mp3?actuator/health");
				exchange.sendResponseHeaders(302, -1);
			}
			else if (range != null) {
				int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
				exchange.getResponseHeaders()
					.add("Content-Range", "bytes " + from + "-" + (audio.length - 1) + "/" + audio.length);
				exchange.sendResponseHeaders(206, audio.length - from);
				exchange.getResponseBody().write(audio, from, audio.length - from);
			}
			else {
				exchange.sendResponseHeaders(200, audio.length);
				exchange.getResponseBody().write(audio);
			}
			exchange.close();
		});
		vendor.start();
		try {
			String base = "http://127.0.0.1:" + vendor.getAddress().getPort() + "/rec/";
			long branch = this.jdbc.sql("select min(id) from branch").query(Long.class).single();
			long call = recorded(base + "call.mp3", branch);
			long gone = recorded(base + "gone.mp3", branch);
			this.mvc.perform(get("/telephony/calls/{id}/recording", call).with(this.logins.as("admin")))
				.andExpect(status().isOk())
				.andExpect(header().string("Content-Type", "audio/mpeg"))
				.andExpect(header().string("Accept-Ranges", "bytes"))
				.andExpect(content().bytes(audio));
			byte[] tail = Arrays.copyOfRange(audio, 1000, audio.length);
			this.mvc
				.perform(get("/telephony/calls/{id}/recording", call).with(this.logins.as("admin"))
					.header("Range", "bytes=1000-"))
				.andExpect(status().isPartialContent())
				.andExpect(header().string("Content-Range", "bytes 1000-65535/65536"))
				.andExpect(content().bytes(tail));
			assertThat(ranges).containsExactly("null", "bytes=1000-");
			assertThat(this.jdbc
				.sql("""
						select count(*) from audit_log where action = 'CALL_RECORDING_PLAYED' and record_id = :id and actor = 'admin'
						""")
				.param("id", String.valueOf(call))
				.query(Integer.class)
				.single()).isEqualTo(2);
			this.mvc.perform(get("/telephony/calls/{id}/recording", gone).with(this.logins.as("admin")))
				.andExpect(status().isBadGateway());
			// A redirect is not followed past the address check.
			long moved = recorded(base + "moved.mp3", branch);
			this.mvc.perform(get("/telephony/calls/{id}/recording", moved).with(this.logins.as("admin")))
				.andExpect(status().isBadGateway());
			assertThat(ranges).hasSize(4);
			// A link to the server's own neighbours (a cloud's metadata service,
			// localhost by
			// name) is not fetched; 127.0.0.1 is allowed here by
			// klinika.telephony.recording-hosts.
			for (String forged : List.of("http://169.254.169.254/latest/meta-data/", "http://localhost:5432/")) {
				long call2 = recorded(forged, branch);
				this.mvc.perform(get("/telephony/calls/{id}/recording", call2).with(this.logins.as("admin")))
					.andExpect(status().isBadGateway());
			}
			// Not a web address at all: there is nothing to play.
			long file = recorded("file:///etc/passwd", branch);
			this.mvc.perform(get("/telephony/calls/{id}/recording", file).with(this.logins.as("admin")))
				.andExpect(status().isNotFound());
			// A doctor does not hear the reception's calls; another branch's admin does
			// not find it.
			this.mvc.perform(get("/telephony/calls/{id}/recording", call).with(this.logins.as("doctor")))
				.andExpect(status().isForbidden());
			long other = this.jdbc.sql("select id from branch order by id offset 1 limit 1").query(Long.class).single();
			long elsewhere = recorded(base + "call.mp3", other);
			this.mvc.perform(get("/telephony/calls/{id}/recording", elsewhere).with(this.logins.as("admin")))
				.andExpect(status().isNotFound());
		}
		finally {
			vendor.stop(0);
		}
	}

	private long recorded(String url, long branch) {
		String id = "rec-" + UUID.randomUUID();
		Instant now = Instant.now();
		long call = this.calls
			.apply(new CallEvent("generic", id + ":1", id, CallEvent.Kind.ANSWERED, now.minusSeconds(60),
					CallEvent.Direction.IN, "+79160000001", "+74950000000", "101", null))
			.call();
		this.calls.apply(new CallEvent("generic", id + ":2", id, CallEvent.Kind.RECORDING, now, CallEvent.Direction.IN,
				null, null, null, url));
		this.jdbc.sql("update call set branch_id = :b where id = :id").param("b", branch).param("id", call).update();
		return call;
	}

}
