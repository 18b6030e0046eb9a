package dev.klinika.messaging;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real channels with links that point at this machine are said loudly: the patients'
 * confirm and cancel links would not open.
 */
class SendersTests {

	private static final Sender SMS = new Sender() {

		@Override
		public ChannelKind channel() {
			return ChannelKind.SMS;
		}

		@Override
		public Accepted send(Outgoing message) {
			return new Accepted(List.of("1"));
		}

	};

	@Test
	void aLocalPublicAddressWithARealChannelIsFlagged() {
		assertThat(new Senders(List.of(SMS), properties("http://localhost:8080"), false).localLinks()).isTrue();
		assertThat(new Senders(List.of(SMS), properties("http://127.0.0.1:9000"), false).localLinks()).isTrue();
		assertThat(new Senders(List.of(SMS), properties("https://klinika.clinic.example"), false).localLinks())
			.isFalse();
		// Not an address at all: warned of too, and the start goes on.
		assertThat(new Senders(List.of(SMS), properties("http://bad host:80"), false).localLinks()).isTrue();
		// The demo's sandbox sends nothing anywhere: nothing to warn of.
		assertThat(new Senders(List.of(), properties("http://localhost:8080"), false).localLinks()).isFalse();
	}

	private static MessagingProperties properties(String publicUrl) {
		return new MessagingProperties(publicUrl, "secret", false, null, null, null, null, null, null, null, null,
				null);
	}

}
