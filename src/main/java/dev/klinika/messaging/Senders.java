package dev.klinika.messaging;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The channels this clinic can send through: each configured sender, or with the sandbox
 * on, a stand-in for every channel that records the message as sent and delivered.
 */
@Component
public class Senders {

	private static final Logger log = LoggerFactory.getLogger(Senders.class);

	private final Map<ChannelKind, Sender> senders = new EnumMap<>(ChannelKind.class);

	private final boolean sandbox;

	private final boolean localLinks;

	Senders(List<Sender> configured, MessagingProperties properties,
			@Value("${klinika.embedded-db.enabled:false}") boolean embedded) {
		this.sandbox = properties.sandbox() == null ? embedded : properties.sandbox();
		for (Sender sender : configured) {
			if (sender.ready())
				this.senders.put(sender.channel(), sender);
		}
		// Real channels with links patients cannot open: say so loudly, here and to the
		// owner.
		this.localLinks = !this.senders.isEmpty() && local(properties.publicUrl());
		if (this.localLinks) {
			log.warn("klinika.messaging.public-url is {}: the links in patients' messages (confirm, cancel, "
					+ "unsubscribe) point at this machine and will not open on a patient's phone. Set it to the "
					+ "address patients reach Klinika at.", properties.publicUrl());
		}
		if (this.sandbox) {
			for (ChannelKind channel : ChannelKind.values()) {
				this.senders.putIfAbsent(channel, new Sandbox(channel));
			}
			log.info("Messaging sandbox: channels without a provider record their messages as sent, nothing leaves");
		}
	}

	public Optional<Sender> of(ChannelKind channel) {
		return Optional.ofNullable(this.senders.get(channel));
	}

	/** The channels a message can go through now. */
	public Set<ChannelKind> available() {
		return this.senders.isEmpty() ? EnumSet.noneOf(ChannelKind.class) : EnumSet.copyOf(this.senders.keySet());
	}

	public boolean sandbox() {
		return this.sandbox;
	}

	/**
	 * Whether real channels are on while the links in messages point at this machine
	 * (klinika.messaging.public-url left at localhost).
	 */
	public boolean localLinks() {
		return this.localLinks;
	}

	static boolean local(String url) {
		String host;
		try {
			host = java.net.URI.create(url).getHost();
		}
		catch (IllegalArgumentException ex) {
			// Not an address a phone could open either: warn, do not stop the start.
			return true;
		}
		return host == null || host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]")
				|| host.equals("::1") || host.equals("0.0.0.0") || host.endsWith(".local");
	}

	/** The demo's stand-in: accepts everything and names it "sandbox-N". */
	static final class Sandbox implements Sender {

		private static final AtomicLong SEQUENCE = new AtomicLong();

		private final ChannelKind channel;

		Sandbox(ChannelKind channel) {
			this.channel = channel;
		}

		@Override
		public ChannelKind channel() {
			return this.channel;
		}

		@Override
		public Accepted send(Outgoing message) {
			return new Accepted(List.of("sandbox-" + System.nanoTime() + "-" + SEQUENCE.incrementAndGet()));
		}

	}

}
